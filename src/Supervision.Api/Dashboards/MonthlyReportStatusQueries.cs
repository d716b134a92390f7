using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public static class MonthlyReportStatusQueries
{
    /// <summary>Where every unit in a region stands with a month's report (by default the month falling due now).</summary>
    [Authorize]
    [WolverineGet("/api/reports/monthly/status"), Tags("Reports")]
    public static async Task<IResult> Status(string regionCode, string? month, ClaimsPrincipal user, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var period = month is null ? ReportingUnits.DueMonth(today) : Period.Parse(month);
        if (period is not { Kind: PeriodKind.Month } || !RegionRules.TryParseCode(regionCode, out _, out _))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid(period is null ? "month" : "regionCode", "report.status",
                "'regionCode' is a six-digit GB/T 2260 code and 'month' a month such as 2026-03.")]));
        var (departments, _) = await DepartmentCache.LoadAsync(session, ct);
        if (Oversight.Check(user, departments, regionCode, null) is { } forbidden) return Results.Problem(ProblemResponses.Forbidden(forbidden));
        return Results.Ok(await StatusAsync(session, departments, today, period, u => RegionCodes.Within(u.RegionCode, regionCode), ct));
    }

    public static async Task<IReadOnlyList<ReportStatus>> StatusAsync(IQuerySession session, IReadOnlyList<Department> departments, DateOnly today, Period month,
        Func<ReportingUnit, bool> include, CancellationToken ct)
    {
        // Issue 14: only what the units in scope need is read: their counties' names and their own filings (not every region and filing).
        var inScope = ReportingUnits.All(departments, []).Where(include).ToList();
        var counties = inScope.Where(u => u.Form == ReportForm.County).Select(u => u.RegionCode).Distinct().ToArray();
        var regions = counties.Length == 0 ? [] : await session.Query<Region>().Where(r => r.Code.IsOneOf(counties)).ToListAsync(ct);
        var goals = await session.Query<GoalSetting>().Where(g => g.Year == month.Year).ToListAsync(ct);
        var ids = inScope.Select(u => MonthlyReportFiling.IdFor(u.UnitKey, month.Year, month.Number)).ToArray();
        var filings = ids.Length == 0 ? new Dictionary<string, MonthlyReportFiling>()
            : (await session.LoadManyAsync<MonthlyReportFiling>(ct, ids)).ToDictionary(f => f.UnitKey);
        return ReportingUnits.All(departments, regions).Where(include).Select(u =>
        {
            var due = MonthlyReports.DueOn(month.Year, month.Number, GoalRules.Resolve(u.RegionCode, month.Year, goals).MonthlyReportDueDay);
            var filing = filings.GetValueOrDefault(u.UnitKey);
            return new ReportStatus(u.UnitKey, u.Unit, u.Form, u.RegionCode, month.Year, month.Number, due, due.DayNumber - today.DayNumber, filing?.SubmittedOn,
                filing?.Late ?? false, filing?.Revision ?? 0, filing?.RemindedOn ?? []);
        }).ToList();
    }
}
