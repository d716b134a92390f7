using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class FilePlanEndpoint
{
    /// <summary>Record that the plan was filed (备案) with a supervising body: body, reference and date.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans/{planId}/filings"), Tags("Plans")]
    public static (AnnualPlan, Events) Post(FilePlan command, [WriteAggregate("planId")] AnnualPlan plan, Decision decision) =>
        CommandAnswers.StateAfter(plan, decision);
}
