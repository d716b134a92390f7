using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class StartPlanExecutionEndpoint
{
    /// <summary>Start executing a published plan: its tasks can now be drawn.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/start"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanExecution command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
