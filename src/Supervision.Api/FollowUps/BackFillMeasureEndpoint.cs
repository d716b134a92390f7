using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public static class BackFillMeasureEndpoint
{
    public static Decision Load(BackFillMeasure command, int number, FollowUpCase followUp, ClaimsPrincipal user, TimeProvider clock) =>
        FollowUpRules.Decide(command, number, followUp, CaseClock.Today(clock), user.As(Roles.FollowUpHandler));

    /// <summary>Back-fill (回填) the outcome of a measure with its documents and completion date; late back-fills are flagged.</summary>
    [Authorize(Roles = Roles.FollowUpHandler), WolverinePost("/api/follow-ups/{followUpId}/measures/{number}/back-fill"), Tags("FollowUps")]
    public static async Task<(FollowUpCase, Events)> Post(BackFillMeasure command, int number, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision,
        IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var answer = CommandAnswers.StateAfter(followUp, decision);
        if (decision.Events.OfType<MeasureBackFilled>().FirstOrDefault() is { } backFilled)
            await DiscloseOutcomeAsync(answer.Item1, backFilled, session, clock, ct);
        return answer;
    }

    /// <summary>
    /// The outcome reaches the public copy in the same transaction as the back-fill (<see cref="FollowUpOutcomeDisclosed"/>): the
    /// publication stream is fetched for writing, so a correction committed meanwhile makes one of the two fail with 409, not lose a revision.
    /// </summary>
    private static async Task DiscloseOutcomeAsync(FollowUpCase followUp, MeasureBackFilled backFilled, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Supervision.Domain.Disclosure.ResultPublication>(
            Supervision.Domain.Disclosure.ResultPublication.IdFor(followUp.CaseId), ct);
        if (stream.Aggregate is null) return;
        var owner = followUp.MeasureNumbered(backFilled.Number)?.OwnerDepartmentId ?? followUp.DepartmentId;
        var decidingBody = (await session.LoadAsync<Supervision.Domain.Organization.Department>(owner, ct))?.Name ?? "";
        stream.AppendMany(Supervision.Domain.Disclosure.PublicationRules.DecideFollowUpOutcome(stream.Aggregate, followUp, backFilled, decidingBody, CaseClock.Today(clock)).Events);
    }
}
