using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class ChangePlanDetailsEndpoint
{
    /// <summary>Change a draft plan's name and implementing scheme; send the version last read (a stale one is 409).</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/details"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangePlanDetails command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
