using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Revisits;

/// <summary><c>POST /api/revisits/{revisitId}/corrections</c>: a new event with a reason; the revisit as first recorded stays in its stream.</summary>
public static class CorrectRevisitEndpoint
{
    public static async Task<Decision> LoadAsync(CorrectRevisit command, Revisit revisit, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<InspectionCase>(revisit.CaseId, ct) is not { } inspectionCase)
            return Decision.Reject(DomainError.NotFound("revisitId", "revisit.unknown", "No revisit with this id."));
        var catalogue = await ResultCatalogueSource.InForceForDepartmentAsync(session, revisit.DepartmentId, ct);
        return RevisitRules.Decide(command, revisit, inspectionCase, catalogue, CaseClock.Today(clock), user.Recorder());
    }

    [Authorize(Roles = RevisitRecorders.Recorders), WolverinePost("/api/revisits/{revisitId}/corrections"), Tags("Revisits")]
    public static (Revisit, Events) Post(CorrectRevisit command, [WriteAggregate("revisitId")] Revisit revisit, Decision decision) =>
        CommandAnswers.StateAfter(revisit, decision);
}
