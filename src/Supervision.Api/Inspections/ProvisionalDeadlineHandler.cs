using Supervision.Api.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>A year's calendar was loaded or revised.</summary>
public sealed record CalendarYearChanged(int Year);

/// <summary>
/// Counts provisional deadlines again with the calendar now in force, and schedules their reminders anew: the result-entry deadline and,
/// the same way, the publication deadline (<see cref="PublicationDeadlines.Recompute"/>).
/// </summary>
public static class ProvisionalDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(CalendarYearChanged message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var provisional = await session.Query<InspectionCase>().Where(c => c.Deadline != null && c.Deadline.Provisional).ToListAsync(ct);
        var publicationProvisional = await session.Query<InspectionCase>().Where(c => c.PublicationDeadline != null && c.PublicationDeadline.Provisional).ToListAsync(ct);
        var messages = new OutgoingMessages();
        foreach (var inspectionCase in provisional.Concat(publicationProvisional).DistinctBy(c => c.Id))
        {
            var events = DeadlineRules.Recompute(inspectionCase, calendar).Events.Concat(PublicationDeadlines.Recompute(inspectionCase, calendar).Events).ToArray();
            if (events.Length == 0) continue;
            session.Events.Append(inspectionCase.Id, events);
            messages.AddRange(CaseClock.ScheduleFor(events, inspectionCase.Id, clock));
        }
        return messages;
    }
}
