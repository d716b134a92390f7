using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class ApprovePlanEndpoint
{
    public static async Task<Decision> LoadAsync(ApprovePlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver());

    /// <summary>Approve a submitted plan (four eyes: not by the person who submitted it).</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/plans/{planId}/approve"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ApprovePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
