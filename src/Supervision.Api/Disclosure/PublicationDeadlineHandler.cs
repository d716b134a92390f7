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
/// Runs the publication reminder and deadline exactly as <see cref="ResultDeadlineHandler"/> runs result entry's: Wolverine fetches the case
/// stream for writing (a lost race is re-read and decided again; a case that does not exist is logged and nothing is done), the decision is
/// taken against the case and its publication as they are now, so a message arriving after the result was published or withheld, or a
/// second delivery, appends nothing; one that runs early schedules itself again.
/// </summary>
public static class PublicationDeadlineHandler
{
    public static Task<(Events, OutgoingMessages)> Handle(PublicationDue message, [WriteAggregate("CaseId")] InspectionCase inspectionCase,
        IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        RunAsync(inspectionCase, PublicationDeadlines.DecideDue, PublicationDeadlines.RemindAgain, reminder: 0, session, clock, ct);

    public static Task<(Events, OutgoingMessages)> Handle(PublicationOverdue message, [WriteAggregate("CaseId")] InspectionCase inspectionCase,
        IQuerySession session, TimeProvider clock, CancellationToken ct) =>
        RunAsync(inspectionCase, PublicationDeadlines.DecideOverdue, PublicationDeadlines.CheckAgain, reminder: 1, session, clock, ct);

    /// <param name="reminder">Which of <see cref="PublicationClock.Schedule"/>'s two messages to schedule again when the decision came early.</param>
    private static async Task<(Events, OutgoingMessages)> RunAsync(InspectionCase inspectionCase, Func<InspectionCase, ResultPublication?, DateOnly, Decision> decide,
        Func<InspectionCase, ResultPublication?, DateOnly, bool> again, int reminder, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (inspectionCase.PublicationDeadline is not { } deadline) return ([], []);
        var publication = await session.LoadAsync<ResultPublication>(ResultPublication.IdFor(inspectionCase.Id), ct);
        var today = CaseClock.Today(clock);
        var decision = decide(inspectionCase, publication, today);
        return ([.. decision.Events],
            decision.Events.Count == 0 && again(inspectionCase, publication, today) ? [PublicationClock.Schedule(deadline, inspectionCase.Id, clock)[reminder]] : []);
    }
}
