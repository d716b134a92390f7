using Supervision.Api.Calendar;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class EnterResultEndpoint
{
    public static async Task<Decision> LoadAsync(EnterResult command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await ResultCatalogueSource.InForceForDepartmentAsync(session, ResultCatalogueSource.ResultDepartment(inspectionCase, user), ct),
            CaseClock.Today(clock), await CalendarSource.LoadAsync(session, ct), user.Inspector());

    /// <summary>Enter the result for one matter of the case (谁检查、谁录入), coded from the result catalogue in force.</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/results"), Tags("Cases")]
    public static (InspectionCase, Events, OutgoingMessages) Post(EnterResult command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision, TimeProvider clock) =>
        CaseAnswer.StateAfter(inspectionCase, decision, clock);
}
