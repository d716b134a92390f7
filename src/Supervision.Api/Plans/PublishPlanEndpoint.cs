using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class PublishPlanEndpoint
{
    public static async Task<Decision> LoadAsync(PublishPlan command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, null, ct), user.Approver());

    /// <summary>Publish an approved plan (公示): a frozen public copy appears at /api/public/plans and on the public pages.</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/plans/{planId}/publish"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(PublishPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
