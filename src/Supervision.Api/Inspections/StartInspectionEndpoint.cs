using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class StartInspectionEndpoint
{
    public static Decision Load(StartInspection command, InspectionCase inspectionCase, ClaimsPrincipal user, TimeProvider clock) =>
        CaseRules.Decide(command, inspectionCase, CaseClock.Today(clock), user.Inspector());

    /// <summary>Record the day the inspection started (the visit or the documentary check).</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/start"), Tags("Cases")]
    public static (InspectionCase, Events) Post(StartInspection command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
