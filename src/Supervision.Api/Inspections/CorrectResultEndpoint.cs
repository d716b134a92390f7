using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public static class CorrectResultEndpoint
{
    /// <summary>A correction is a new revision: it uses the version in force now, and the revision it replaces keeps its own.</summary>
    public static async Task<Decision> LoadAsync(CorrectResult command, InspectionCase inspectionCase, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        CaseRules.Decide(command, inspectionCase, await ResultCatalogueSource.InForceForDepartmentAsync(session, ResultCatalogueSource.ResultDepartment(inspectionCase, user), ct),
            CaseClock.Today(clock), user.Inspector());

    /// <summary>Correct an approved result with the reason; the original stays in the history.</summary>
    [Authorize(Roles = Roles.Inspector), WolverinePost("/api/cases/{caseId}/corrections"), Tags("Cases")]
    public static (InspectionCase, Events) Post(CorrectResult command, [WriteAggregate("caseId")] InspectionCase inspectionCase, Decision decision) =>
        CommandAnswers.StateAfter(inspectionCase, decision);
}
