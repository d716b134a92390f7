using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public static class FollowUpMeasureOverdueHandler
{
    public static async Task Handle(FollowUpMeasureOverdue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<FollowUpCase>(message.FollowUpId, ct);
        if (stream.Aggregate is null) return;
        stream.AppendMany(FollowUpRules.DecideOverdue(stream.Aggregate, message.Number, CaseClock.Today(clock)).Events);
    }
}
