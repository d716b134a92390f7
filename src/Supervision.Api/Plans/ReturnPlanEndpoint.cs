using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class ReturnPlanEndpoint
{
    /// <summary>Return a submitted plan to its planners with the reasons, for changes and a new submission.</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/plans/{planId}/return"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ReturnPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
