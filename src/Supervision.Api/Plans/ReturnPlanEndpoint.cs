using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class ReturnPlanEndpoint
{
    public static Decision Load(ReturnPlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Return a submitted plan to its planners with the reasons, for changes and a new submission.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/return"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(ReturnPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
