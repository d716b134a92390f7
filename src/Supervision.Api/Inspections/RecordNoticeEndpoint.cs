using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class RecordNoticeEndpoint
{
    /// <summary>Record the inspection notice served on the target (number and date).</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/notices"), Tags("Cases")]
    public static (InspectionCase, Events) Post(RecordNotice command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
