using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class ChangeTaskEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTask command, string taskNumber, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, taskNumber, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner());

    /// <summary>Replace a sampling task of a draft plan with a new definition.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/tasks/{taskNumber}"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ChangeTask command, string taskNumber, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
