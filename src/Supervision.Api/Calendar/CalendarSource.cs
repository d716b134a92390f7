using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

/// <summary>
/// The working-day calendar in force: the arrangements shipped with the system (<see cref="WorkingDayCalendar.Shipped"/>)
/// merged with every year loaded by an administrator, the highest revision of each year winning.
/// </summary>
public static class CalendarSource
{
    public static async Task<WorkingDayCalendar> LoadAsync(IQuerySession session, CancellationToken ct)
    {
        // One small document per loaded year. Loaded arrangements come after the shipped ones, so at an equal revision
        // (a year loaded before a later release ships it) the administrator's arrangement is the one in force.
        var loaded = await session.Query<CalendarYearState>().ToListAsync(ct);
        return new WorkingDayCalendar(WorkingDayCalendar.Shipped.Years.Concat(loaded.OrderBy(s => s.Year).Select(s => s.Current)));
    }
}
