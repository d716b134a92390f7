using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class AddTaskEndpoint
{
    public static async Task<Decision> LoadAsync(AddTask command, AnnualPlan plan, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        PlanRules.Decide(command, plan, await PlanAccess.LoadReferencesAsync(session, plan, command.Task, ct), user.Planner());

    /// <summary>Add a sampling task (抽查任务) to a draft plan: matters, target scope, sampling rule, window and joint departments.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/tasks"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(AddTask command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
