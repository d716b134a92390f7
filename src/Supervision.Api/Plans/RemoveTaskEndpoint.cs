using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class RemoveTaskEndpoint
{
    public static Decision Load(RemoveTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, taskNumber, plan, user.Planner());

    /// <summary>Remove a sampling task from a draft plan.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/tasks/{taskNumber}/remove"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(RemoveTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
