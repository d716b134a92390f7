using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>A unit that files a monthly report: a county (the county form) or a city department (the city-department form).</summary>
public sealed record ReportingUnit(string UnitKey, string Unit, ReportForm Form, string RegionCode, Guid? DepartmentId);

/// <summary>Where a unit stands with a month's report.</summary>
public sealed record ReportStatus(string UnitKey, string Unit, ReportForm Form, string RegionCode, int Year, int Month, DateOnly DueOn, int DaysToDue,
    DateOnly? SubmittedOn, bool Late, int Revision, IReadOnlyList<DateOnly> RemindedOn);

public static class ReportingUnits
{
    /// <summary>Every county with a department, and every department of a city (not of a county or province).</summary>
    public static IReadOnlyList<ReportingUnit> All(IReadOnlyList<Department> departments, IReadOnlyList<Region> regions)
    {
        var counties = departments.Where(d => d.Active).Select(d => d.RegionCode).Distinct()
            .Where(code => RegionRules.TryParseCode(code, out var level, out _) && level == RegionLevel.County)
            .Select(code => new ReportingUnit(MonthlyReportFiling.CountyKey(code), regions.FirstOrDefault(r => r.Code == code)?.Name ?? code, ReportForm.County, code, null));
        var cityDepartments = departments.Where(d => d.Active && RegionRules.TryParseCode(d.RegionCode, out var level, out _) && level == RegionLevel.City)
            .Select(d => new ReportingUnit(MonthlyReportFiling.DepartmentKey(d.Id), d.Name, ReportForm.CityDepartment, d.RegionCode, d.Id));
        return counties.Concat(cityDepartments).OrderBy(u => u.RegionCode, StringComparer.Ordinal).ThenBy(u => u.Unit, StringComparer.Ordinal).ToList();
    }

    /// <summary>The month whose report falls due this month: the previous one.</summary>
    public static Period DueMonth(DateOnly today)
    {
        var previous = today.AddMonths(-1);
        return Period.Month(previous.Year, previous.Month);
    }
}
