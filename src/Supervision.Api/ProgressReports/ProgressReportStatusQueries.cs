using Marten.Linq.MatchesSql;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

/// <summary>Where one unit stands with one report of the year; the content is not here (<c>GET /api/reports/progress/filings/{filingId}</c>).</summary>
public sealed record ProgressReportStatus(Guid FilingId, Guid DepartmentId, string Department, string RegionCode, int Year, int Number, ProgressReportKind Kind,
    string Period, DateOnly DueOn, int DaysToDue, ProgressReportState State, bool Late, DateOnly? FiledOn, DateOnly? CorrectedOn, int Revision,
    IReadOnlyList<DateOnly> RemindedOn, DateOnly? FlaggedLateOn, string? ContentSha256, string ScheduleSource);

public static class ProgressReportStatusQueries
{
    public static ProblemDetails Validate(int? year, string? regionCode, ProgressReportState? state)
    {
        var errors = new List<DomainError>();
        if (year is null or < 2015 or > 2100) errors.Add(DomainError.Invalid("year", "progress.status.year", "'year' is the year of the reports, 2015 to 2100."));
        if (regionCode is not null && RegionCodes.Check(regionCode) is { } badRegion) errors.Add(badRegion);
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Every unit the caller may see (<see cref="ReadScopes.ProgressReports"/>: a department sees its own, the region's office and 纪检
    /// above see their region's) with its standing for each report due in the year (or report <paramref name="number"/>): due, late,
    /// filed, corrected. The filings are selected in PostgreSQL by year and the caller's scope; units not yet filed come from the
    /// departments in the same scope whose region has due dates for the year.
    /// </summary>
    /// <param name="state">Only the units in this standing: Due, Late, Filed or Corrected.</param>
    [Authorize]
    [WolverineGet("/api/reports/progress/status"), Tags("Reports")]
    public static async Task<IReadOnlyList<ProgressReportStatus>> Status(int? year, string? regionCode, int? number, ProgressReportState? state, ClaimsPrincipal user,
        [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var y = year!.Value;
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var departments = await session.Query<Department>().ToListAsync(ct);
        var (reader, places) = Readers.From(user, departments);
        var visible = ReadScopes.ProgressReportDepartments(reader, places).ToHashSet();
        var scope = ReadScopes.ProgressReports(reader, places);
        var query = session.Query<ProgressReportFiling>().Where(f => f.Year == y && f.MatchesSql(scope.Sql, scope.Parameters));
        if (number is { } n) query = query.Where(f => f.Number == n);
        var filings = (await query.ToListAsync(ct)).ToDictionary(f => f.Id);
        var schedules = await session.Query<ProgressReportSchedule>().Where(s => s.Year == y).ToListAsync(ct);
        var rows = new List<ProgressReportStatus>();
        foreach (var department in departments.Where(d => d.Active && visible.Contains(d.Id) && (regionCode is null || RegionCodes.Within(d.RegionCode, regionCode)))
                     .OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            if (ProgressReportScheduleRules.Resolve(department.RegionCode, y, schedules) is not { } schedule) continue;
            foreach (var due in schedule.DueDates.Where(d => number is null || d.Number == number))
            {
                var id = ProgressReportFiling.IdFor(department.Id, y, due.Number);
                var filing = filings.GetValueOrDefault(id);
                var standing = ProgressReportRules.StateOf(filing, due, today);
                if (state is not null && standing != state) continue;
                rows.Add(new ProgressReportStatus(id, department.Id, department.Name, department.RegionCode, y, due.Number, due.Kind, due.Period, due.DueOn,
                    due.DueOn.DayNumber - today.DayNumber, standing, standing == ProgressReportState.Late || filing?.Late == true, filing?.FiledOn, filing?.CorrectedOn,
                    filing?.Revision ?? 0, filing?.RemindedOn ?? [], filing?.FlaggedLateOn, filing?.ContentSha256, schedule.Source));
            }
        }
        return rows;
    }
}
