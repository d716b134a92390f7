using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class VoidPlanEndpoint
{
    /// <summary>Void (作废) a plan with the reason; the act and its reason stay on record and count in oversight.</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/plans/{planId}/void"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(VoidPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
