using Supervision.Domain.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public static class ProgressReportScheduleQueries
{
    /// <summary>The due dates in force for a region and year and whose they are (the region's own, an enclosing region's; loaded or shipped).</summary>
    [Authorize]
    [WolverineGet("/api/reports/progress/schedules/{regionCode}/{year}"), Tags("Reports")]
    public static async Task<IResult> Get(string regionCode, int year, IQuerySession session, CancellationToken ct)
    {
        if (RegionCodes.Check(regionCode) is { } badRegion) return Results.Problem(ProblemResponses.FromErrors([badRegion]));
        var loaded = await session.Query<ProgressReportSchedule>().Where(s => s.Year == year).ToListAsync(ct);
        return ProgressReportScheduleRules.Resolve(regionCode, year, loaded) is { } schedule
            ? Results.Ok(schedule)
            : Results.Problem(ProblemResponses.FromErrors([DomainError.NotFound("regionCode", "progress.schedule.none",
                $"No progress report due dates are set for {regionCode} or a region enclosing it in {year}.")]));
    }
}
