using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class StartPlanAdjustmentEndpoint
{
    /// <summary>Start an adjustment (调整) of a published plan, with the reason; it goes through approval and publication again.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/adjust"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanAdjustment command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
