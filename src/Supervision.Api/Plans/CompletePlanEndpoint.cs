using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class CompletePlanEndpoint
{
    public static Decision Load(CompletePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Mark a plan in execution as completed.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/complete"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(CompletePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
