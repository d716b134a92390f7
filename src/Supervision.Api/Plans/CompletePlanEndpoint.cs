using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class CompletePlanEndpoint
{
    /// <summary>Mark a plan in execution as completed.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/complete"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(CompletePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
