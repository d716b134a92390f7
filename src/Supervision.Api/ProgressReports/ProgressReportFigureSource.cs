using Supervision.Api.Calendar;
using Supervision.Api.Dashboards;
using Supervision.Domain.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

/// <summary>The department's counted figures for the report's period: the dashboards' own counts (read only, the same query as the dashboard).</summary>
public static class ProgressReportFigureSource
{
    public static async Task<ProgressReportFigures> CountAsync(IQuerySession session, Department department, Period period, DateOnly today, CancellationToken ct)
    {
        var loaded = await DashboardSource.LoadLiveContextAsync(session, period.Year, ct);
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var scope = new DashboardScope("department", department.Id, department.RegionCode, department.Name, new HashSet<Guid> { department.Id });
        var d = (await DashboardEndpoints.ComputeAsync(session, true, [scope], period, today, loaded, calendar, ct))[0];
        return new ProgressReportFigures(d.Draws, d.Inspections, d.EntitiesInspected, d.EntitiesWithProblems, d.ResultsPublished, d.VoidedPlans, d.AdjustedPlans,
            d.Recusals, d.Replacements);
    }
}
