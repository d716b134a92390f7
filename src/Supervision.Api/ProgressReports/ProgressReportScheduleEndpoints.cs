using Supervision.Api.Dashboards;
using Supervision.Domain.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed record SetProgressReportScheduleContext(Decision Decision, ProgressReportSchedule? Current);

/// <summary><c>PUT /api/reports/progress/schedules/{regionCode}/{year}</c>: a region's due dates for a year, from its plan document; each change a revision.</summary>
public static class SetProgressReportScheduleEndpoint
{
    public static async Task<SetProgressReportScheduleContext> LoadAsync(string regionCode, int year, SetProgressReportSchedule command, ClaimsPrincipal user,
        IDocumentSession session, CancellationToken ct)
    {
        var current = RegionRules.TryParseCode(regionCode, out _, out _) ? await session.LoadAsync<ProgressReportSchedule>(ProgressReportSchedule.IdFor(regionCode, year), ct) : null;
        return new(ProgressReportScheduleRules.Decide(command, regionCode, year, user.As(Roles.SystemAdmin)), current);
    }

    public static ProblemDetails Validate(SetProgressReportScheduleContext context) => context.Decision.ToProblem();

    /// <summary>
    /// Loads the due dates a region's plan document sets for a year (e.g. 石鹿市监〔2026〕6号 for 130110), replacing the shipped or
    /// earlier ones. Reports already filed keep the due date they were filed against; standing and reminders follow the new dates.
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePut("/api/reports/progress/schedules/{regionCode}/{year}"), Tags("Reports")]
    public static ProgressReportSchedule Put(string regionCode, int year, SetProgressReportSchedule command, [NotBody] SetProgressReportScheduleContext context,
        IDocumentSession session) =>
        session.AppendAtVersionRead(ProgressReportSchedule.IdFor(regionCode, year), context.Current, context.Decision);
}

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
