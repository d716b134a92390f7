using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

/// <summary>Scheduled at the start of the day after a measure's deadline; durable like the result-entry deadline.</summary>
public sealed record FollowUpMeasureOverdue(Guid FollowUpId, int Number);

internal static class FollowUpSchedule
{
    /// <summary>Each measure's overdue check, at the start of the day after its deadline, relative to the application's clock.</summary>
    public static OutgoingMessages Overdue(IEnumerable<Measure> measures, Guid followUpId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var messages = new OutgoingMessages();
        foreach (var measure in measures)
            messages.Add(new FollowUpMeasureOverdue(followUpId, measure.Number).ScheduledAt(DateTimeOffset.UtcNow + (CaseClock.StartOf(measure.DueOn.AddDays(1)) - now)));
        return messages;
    }
}
