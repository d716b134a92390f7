using Supervision.Api.Disclosure;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>Reminder and deadline messages, scheduled durably (they survive restarts) when a case's deadline is set.</summary>
public sealed record ResultEntryDue(Guid CaseId);
public sealed record ResultEntryOverdue(Guid CaseId);

/// <summary>Business days are China's (UTC+8); the domain gets them passed in, never reads a clock.</summary>
public static class CaseClock
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(China).DateTime);

    /// <summary>The start of a China calendar day.</summary>
    public static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), China);

    /// <summary>
    /// The reminder at 09:00 on its day and the overdue check at the start of the day after the deadline. The instants are
    /// taken relative to the application's clock, so a test clock moves them as it moves "today".
    /// </summary>
    public static OutgoingMessages Schedule(ResultDeadline deadline, Guid caseId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var realNow = DateTimeOffset.UtcNow;
        DateTimeOffset At(DateTimeOffset businessInstant) => realNow + (businessInstant - now);
        return
        [
            new ResultEntryDue(caseId).ScheduledAt(At(StartOf(deadline.RemindOn).AddHours(9))),
            new ResultEntryOverdue(caseId).ScheduledAt(At(StartOf(deadline.Due.AddDays(1)))),
        ];
    }

    /// <summary>The reminders and deadlines for every deadline these events set: result entry, and publication (<see cref="PublicationClock"/>).</summary>
    public static OutgoingMessages ScheduleFor(IEnumerable<object> events, Guid caseId, TimeProvider clock)
    {
        var messages = new OutgoingMessages();
        foreach (var @event in events)
        {
            if (@event is ResultDeadlineSet result) messages.AddRange(Schedule(result.Deadline, caseId, clock));
            if (@event is PublicationDeadlineSet publication) messages.AddRange(PublicationClock.Schedule(publication.Deadline, caseId, clock));
        }
        return messages;
    }
}
