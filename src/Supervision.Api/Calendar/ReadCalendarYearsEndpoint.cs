using Supervision.Domain.Calendar;

namespace Supervision.Api.Calendar;

public static class ReadCalendarYearsEndpoint
{
    /// <summary>The arrangement in force for each year known (shipped or loaded), with its version id and source.</summary>
    [WolverineGet("/api/calendar/years"), Tags("Calendar")]
    public static async Task<IReadOnlyList<CalendarYear>> Years(IQuerySession session, CancellationToken ct) =>
        (await CalendarSource.LoadAsync(session, ct)).Years;
}
