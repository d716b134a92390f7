using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class SubmitPlanEndpoint
{
    public static async Task<Decision> LoadAsync(SubmitPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Planner());

    /// <summary>Submit a draft plan for approval; it can no longer be changed unless the approver returns it.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/submit"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(SubmitPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
