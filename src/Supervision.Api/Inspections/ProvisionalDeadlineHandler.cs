using Supervision.Api.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>A year's calendar was loaded or revised.</summary>
public sealed record CalendarYearChanged(int Year);

/// <summary>One case's provisional deadlines, to be counted again with the calendar now in force.</summary>
public sealed record RecountProvisionalDeadlines(Guid CaseId);

/// <summary>
/// Counts provisional deadlines again with the calendar now in force, and schedules their reminders anew: the result-entry deadline and,
/// the same way, the publication deadline (<see cref="PublicationDeadlines.Recompute"/>). A calendar change sends one message per case
/// that holds a provisional deadline (durably, in the transaction that found them); each case is then an aggregate handler of its own,
/// fetched for writing, so a case changed meanwhile is decided again instead of written over, and a province's cases are not one
/// transaction.
/// </summary>
public static class ProvisionalDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(CalendarYearChanged message, IQuerySession session, CancellationToken ct)
    {
        var provisional = await session.Query<InspectionCase>().Where(c => c.Deadline != null && c.Deadline.Provisional).Select(c => c.Id).ToListAsync(ct);
        var publicationProvisional = await session.Query<InspectionCase>().Where(c => c.PublicationDeadline != null && c.PublicationDeadline.Provisional)
            .Select(c => c.Id).ToListAsync(ct);
        return [.. provisional.Union(publicationProvisional).Select(id => new RecountProvisionalDeadlines(id))];
    }

    public static async Task<(Events, OutgoingMessages)> Handle(RecountProvisionalDeadlines message, [WriteAggregate("CaseId")] InspectionCase inspectionCase,
        IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await CalendarSource.LoadAsync(session, ct);
        Events events = [.. DeadlineRules.Recompute(inspectionCase, calendar).Events, .. PublicationDeadlines.Recompute(inspectionCase, calendar).Events];
        return (events, CaseClock.ScheduleFor(events, inspectionCase.Id, clock));
    }
}
