using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class VoidPlanEndpoint
{
    public static Decision Load(VoidPlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Approver());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Void (作废) a plan with the reason; the act and its reason stay on record and count in oversight.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/plans/{planId}/void"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(VoidPlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
