using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

/// <summary>
/// <c>POST /api/publications/{publicationId}/revisions/{revision}/withdraw</c>: a superseded revision leaves public view (search, pages,
/// public history), recorded with ground and legal basis (<see cref="PublicationRevisionWithdrawn"/>); only the publishing department's approver.
/// </summary>
public static class WithdrawRevisionEndpoint
{
    public static Decision Load(WithdrawRevision command, int revision, ResultPublication publication, ClaimsPrincipal user) =>
        PublicationRules.Decide(command, revision, publication, user.As(Roles.Approver));

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/publications/{publicationId}/revisions/{revision}/withdraw"), Tags("Disclosure")]
    public static (ResultPublication, Events) Post(WithdrawRevision command, int revision, [WriteAggregate("publicationId")] ResultPublication publication, Decision decision) =>
        CommandAnswers.StateAfter(publication, decision);
}
