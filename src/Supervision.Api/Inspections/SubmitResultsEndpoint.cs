using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class SubmitResultsEndpoint
{
    public static Decision Load(SubmitResults command, InspectionCase inspectionCase, ClaimsPrincipal user) =>
        CaseRules.Decide(command, inspectionCase, user.Inspector());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Submit the department's results of the case for review.</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/submit"), Tags("Cases")]
    public static (InspectionCase, Events) Post(SubmitResults command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
