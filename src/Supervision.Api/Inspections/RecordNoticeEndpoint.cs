using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class RecordNoticeEndpoint
{
    public static Decision Load(RecordNotice command, InspectionCase inspectionCase, ClaimsPrincipal user) =>
        CaseRules.Decide(command, inspectionCase, user.Inspector());

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Record the inspection notice served on the target (number and date).</summary>
    [Authorize(Roles = Roles.Inspector)]
    [WolverinePost("/api/cases/{caseId}/notices"), Tags("Cases")]
    public static (InspectionCase, Events) Post(RecordNotice command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
