using Supervision.Api.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>One case's provisional deadlines, to be counted again with the calendar now in force.</summary>
public sealed record RecountProvisionalDeadlines(Guid CaseId);

/// <summary>
/// Counts a case's provisional deadlines again with the calendar now in force and schedules their reminders anew: the result-entry
/// deadline and, the same way, the publication deadline (<see cref="PublicationDeadlines.Recompute"/>). The case is fetched for writing,
/// so one changed meanwhile is decided again instead of written over.
/// </summary>
public static class RecountProvisionalDeadlinesHandler
{
    public static async Task<(Events, OutgoingMessages)> Handle(RecountProvisionalDeadlines message, [WriteAggregate("CaseId")] InspectionCase inspectionCase,
        IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await CalendarSource.LoadAsync(session, ct);
        Events events = [.. DeadlineRules.Recompute(inspectionCase, calendar).Events, .. PublicationDeadlines.Recompute(inspectionCase, calendar).Events];
        return (events, CaseClock.ScheduleFor(events, inspectionCase.Id, clock));
    }
}
