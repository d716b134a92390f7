using Supervision.Api.Inspections;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Disclosure;

/// <summary>The publication reminder and deadline of a case, scheduled durably (they survive restarts) when its publication deadline is set.</summary>
public sealed record PublicationDue(Guid CaseId);
public sealed record PublicationOverdue(Guid CaseId);

public static class PublicationClock
{
    /// <summary>
    /// As for result entry (<see cref="CaseClock.Schedule"/>): the reminder at 09:00 China time on its day, the overdue check at the start of
    /// the day after the deadline, relative to the application's clock.
    /// </summary>
    public static OutgoingMessages Schedule(PublicationDeadline deadline, Guid caseId, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var realNow = DateTimeOffset.UtcNow;
        DateTimeOffset At(DateTimeOffset businessInstant) => realNow + (businessInstant - now);
        return
        [
            new PublicationDue(caseId).ScheduledAt(At(CaseClock.StartOf(deadline.RemindOn).AddHours(9))),
            new PublicationOverdue(caseId).ScheduledAt(At(CaseClock.StartOf(deadline.Due.AddDays(1)))),
        ];
    }
}

/// <summary>
/// Runs the publication reminder and deadline exactly as <see cref="ResultDeadlineHandler"/> runs result entry's: the case stream is fetched
/// for writing (a lost race is re-read and decided again), the decision is taken against the case and its publication as they are now,
/// so a message arriving after the result was published or withheld, or a second delivery, appends nothing; one that runs early schedules
/// itself again.
/// </summary>
public static class PublicationDeadlineHandler
{
    public static Task<OutgoingMessages> Handle(PublicationDue message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        RunAsync(message.CaseId, PublicationDeadlines.DecideDue, PublicationDeadlines.RemindAgain, reminder: 0, session, clock, ct);

    public static Task<OutgoingMessages> Handle(PublicationOverdue message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        RunAsync(message.CaseId, PublicationDeadlines.DecideOverdue, PublicationDeadlines.CheckAgain, reminder: 1, session, clock, ct);

    /// <param name="reminder">Which of <see cref="PublicationClock.Schedule"/>'s two messages to schedule again when the decision came early.</param>
    private static async Task<OutgoingMessages> RunAsync(Guid caseId, Func<InspectionCase, ResultPublication?, DateOnly, Decision> decide,
        Func<InspectionCase, ResultPublication?, DateOnly, bool> again, int reminder, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<InspectionCase>(caseId, ct);
        if (stream.Aggregate is not { PublicationDeadline: { } deadline } inspectionCase) return [];
        var publication = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(inspectionCase.Id), ct);
        var today = CaseClock.Today(clock);
        var decision = decide(inspectionCase, publication, today);
        stream.AppendMany(decision.Events);
        return decision.Events.Count == 0 && again(inspectionCase, publication, today)
            ? [PublicationClock.Schedule(deadline, inspectionCase.Id, clock)[reminder]]
            : [];
    }
}
