using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

public static class CorrectPublicationEndpoint
{
    public static async Task<Decision> LoadAsync(CorrectPublication command, ResultPublication publication, ClaimsPrincipal user, IQuerySession session, TimeProvider clock,
        CancellationToken ct) =>
        await PublicationLoading.SourcesAsync(session, publication.CaseId, ct) is { } sources
            ? PublicationRules.Decide(command, publication, sources, user.As(user.IsInRole(Roles.Approver) ? Roles.Approver : Roles.Reviewer), Inspections.CaseClock.Today(clock))
            : PublicationLoading.Missing(publication.CaseId).Decision;

    /// <summary>Correct a publication: a new public revision with the reason and any redaction; earlier revisions stay visible as history.</summary>
    [Authorize(Roles = $"{Roles.Reviewer},{Roles.Approver}")]
    [WolverinePost("/api/publications/{publicationId}/corrections"), Tags("Disclosure")]
    public static (ResultPublication, Events) Post(CorrectPublication command, [WriteAggregate("publicationId")] ResultPublication publication, Decision decision) =>
        CommandAnswers.StateAfter(publication, decision);
}
