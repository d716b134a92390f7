using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Revisits;

public sealed record RecordRevisitContext(Decision Decision, Guid RevisitId);

/// <summary>
/// <c>POST /api/cases/{caseId}/revisits</c>: a revisit (随机抽查回访) of a completed case. A case the caller's department neither holds
/// nor is above answers 404 as a missing one (docs/access.md); the rules themselves are <see cref="RevisitRules"/>.
/// </summary>
public static class RecordRevisitEndpoint
{
    public static async Task<RecordRevisitContext> LoadAsync(RecordRevisit command, Guid caseId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var by = user.Recorder();
        var departments = await session.Query<Department>().ToListAsync(ct);
        var parentOf = RevisitRecorders.ParentOf(departments);
        if (await session.LoadAsync<InspectionCase>(caseId, ct) is not { } inspectionCase || RevisitRules.DepartmentChecked(inspectionCase, by.DepartmentId, parentOf) is not { } checkedDepartment)
            return new(Decision.Reject(DomainError.NotFound("caseId", "case.unknown", $"Case {caseId} does not exist.")), Guid.Empty);
        var catalogue = await ResultCatalogueSource.InForceForDepartmentAsync(session, checkedDepartment, ct);
        var id = Guid.CreateVersion7();
        return new(RevisitRules.Decide(command, id, inspectionCase, parentOf, catalogue, CaseClock.Today(clock), by), id);
    }

    public static ProblemDetails Validate(RecordRevisitContext context) => context.Decision.ToProblem();

    [Authorize(Roles = RevisitRecorders.Recorders), WolverinePost("/api/cases/{caseId}/revisits"), Tags("Revisits")]
    public static (CreationResponse<Revisit>, IStartStream) Post(RecordRevisit command, Guid caseId, [NotBody] RecordRevisitContext context) =>
        CreationAnswers.Started<Revisit>(context.RevisitId, $"/api/revisits/{context.RevisitId}", context.Decision);
}
