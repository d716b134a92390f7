using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

/// <summary><c>POST /api/cases/{caseId}/publication</c>: an explicit, recorded act of disclosure (一公开); the public copy is frozen.</summary>
public static class PublishResultEndpoint
{
    public static async Task<PublicationContext> LoadAsync(PublishResult command, Guid caseId, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await PublicationLoading.SourcesAsync(session, caseId, ct) is not { } sources) return PublicationLoading.Missing(caseId);
        var existing = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(caseId), ct);
        return new(PublicationRules.Decide(command, existing, sources, user.As(user.IsInRole(Roles.Approver) ? Roles.Approver : Roles.Reviewer),
            Inspections.CaseClock.Today(clock)), existing);
    }

    public static ProblemDetails Validate(PublicationContext context) => context.Decision.ToProblem();

    [Authorize(Roles = $"{Roles.Reviewer},{Roles.Approver}"), WolverinePost("/api/cases/{caseId}/publication"), Tags("Disclosure")]
    public static (ResultPublication, IStartStream?) Post(PublishResult command, Guid caseId, [NotBody] PublicationContext context) =>
        CreationAnswers.StartedOrExisting(ResultPublication.IdFor(caseId), context.Existing, context.Decision);
}
