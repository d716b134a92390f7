using Marten;
using Supervision.Api.Calendar;
using Supervision.Domain.Inspections;
using Wolverine;

namespace Supervision.Api.Inspections;

/// <summary>A year's calendar was loaded or revised.</summary>
public sealed record CalendarYearChanged(int Year);

/// <summary>Counts provisional deadlines again with the calendar now in force, and schedules their reminders anew.</summary>
public static class ProvisionalDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(CalendarYearChanged message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var provisional = await session.Query<InspectionCase>().Where(c => c.Deadline != null && c.Deadline.Provisional).ToListAsync(ct);
        var messages = new OutgoingMessages();
        foreach (var inspectionCase in provisional)
        {
            var decision = DeadlineRules.Recompute(inspectionCase, calendar);
            if (decision.Events.Count == 0) continue;
            session.Events.Append(inspectionCase.Id, decision.Events.ToArray());
            foreach (var set in decision.Events.OfType<ResultDeadlineSet>()) messages.AddRange(CaseClock.Schedule(set.Deadline, inspectionCase.Id, clock));
        }
        return messages;
    }
}
