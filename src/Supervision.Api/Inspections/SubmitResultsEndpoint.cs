using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class SubmitResultsEndpoint
{
    /// <summary>Submit the department's results of the case for review.</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/submit"), Tags("Cases")]
    public static (InspectionCase, Events) Post(SubmitResults command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
