using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class FilePlanEndpoint
{
    public static Decision Load(FilePlan command, AnnualPlan plan, ClaimsPrincipal user) =>
        PlanRules.Decide(command, plan, user.Planner());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Record that the plan was filed (备案) with a supervising body: body, reference and date.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans/{planId}/filings"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(FilePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
