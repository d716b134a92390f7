using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class StartPlanExecutionEndpoint
{
    public static Decision Load(StartPlanExecution command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Start executing a published plan: its tasks can now be drawn.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/start"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(StartPlanExecution command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
