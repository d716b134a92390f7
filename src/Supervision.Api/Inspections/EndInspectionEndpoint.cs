using Supervision.Api.Calendar;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class EndInspectionEndpoint
{
    public static async Task<Decision> LoadAsync(EndInspection command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await CalendarSource.LoadAsync(session, ct), CaseClock.Today(clock), user.Inspector());

    /// <summary>Record the day the inspection ended and the methods used (on-site, documentary, online, commissioned).</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/end"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(EndInspection command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.StateAfter(inspectionCase, decision, clock);
}
