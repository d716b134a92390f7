using Supervision.Domain.Dashboards;

namespace Supervision.Domain.ProgressReports;

/// <summary>
/// What falls due: a quarterly progress report (进展情况) or the annual summary (工作总结). The seeds name both in one
/// sentence (邢双随机办〔2022〕1号 四: "4月6日、7月2日、10月8日、12月23日前将…监管工作总结报送我办"; 石鹿市监〔2026〕6号 四:
/// "3月23日、6月22日、9月25日、12月21日前将…工作进展情况或总结报送"); the December date closes the year, so its report is the
/// year's summary and the earlier ones report the quarter's progress.
/// </summary>
public enum ProgressReportKind
{
    QuarterlyProgress,
    AnnualSummary,
}

/// <summary>One due date of a year: its number (1, 2, …), the last day to file, what is due, and the period it reports on ("2026-Q1", "2026").</summary>
public sealed record ProgressReportDue(int Number, DateOnly DueOn, ProgressReportKind Kind, string Period);

/// <summary>A due date as entered: <paramref name="Period"/> defaults to the n-th quarter for the n-th progress report and the year for the summary.</summary>
public sealed record ProgressReportDueInput(DateOnly DueOn, ProgressReportKind Kind, string? Period = null);

/// <summary>Sets a region's due dates for a year, from the plan document that sets them (<paramref name="Source"/>), with why.</summary>
public sealed record SetProgressReportSchedule(IReadOnlyList<ProgressReportDueInput?>? DueDates, string Source, string Reason);

public sealed record ProgressReportScheduleSet(Guid ScheduleId, string RegionCode, int Year, IReadOnlyList<ProgressReportDue> DueDates, string Source,
    string Reason, Actor By);

/// <summary>A region's due dates for a year as loaded through the API; each change a revision with its source document and reason.</summary>
public sealed record ProgressReportSchedule(Guid Id, string RegionCode, int Year, IReadOnlyList<ProgressReportDue> DueDates, string Source, string Reason, int Revision)
    : IFolded<ProgressReportSchedule>
{
    public long Version { get; init; }

    public ProgressReportSchedule WithVersion(long version) => this with { Version = version };

    public static ProgressReportSchedule? StateAfter(ProgressReportSchedule? state, object @event) => ProgressReportScheduleRules.Evolve(state, @event);

    public static Guid IdFor(string regionCode, int year) => DeterministicId.For("progress-report-schedule", $"{regionCode}/{year.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>
/// The due dates in force for a region and year: the region's own, else the nearest enclosing region's (a city's dates bind its
/// counties and departments), loaded or shipped. <paramref name="SetForRegion"/> says whose they are; <paramref name="Shipped"/>
/// that they come from the seed documents, not from an administrator.
/// </summary>
public sealed record ResolvedProgressReportSchedule(string RegionCode, int Year, IReadOnlyList<ProgressReportDue> DueDates, string Source, string SetForRegion,
    int Revision, bool Shipped)
{
    public ProgressReportDue? Due(int number) => DueDates.FirstOrDefault(d => d.Number == number);

    /// <summary>
    /// The first day a report may be filed: the day after the previous due date (so the annual summary is not filed in spring), but
    /// not before its period begins.
    /// </summary>
    public DateOnly OpensOn(ProgressReportDue due)
    {
        var from = Dashboards.Period.Parse(due.Period)!.From;
        var previous = DueDates.Where(d => d.Number < due.Number).Select(d => (DateOnly?)d.DueOn).LastOrDefault();
        return previous is { } p && p.AddDays(1) > from ? p.AddDays(1) : from;
    }
}

public static class ProgressReportScheduleRules
{
    public const int MaxDueDates = 12;
    public const int MaxSourceLength = 300;

    /// <summary>
    /// The due dates the seed documents set, shipped so the two regions they govern work before anyone loads anything (the calendar
    /// and the result catalogue ship their seeds the same way). Any region loads its own with <see cref="Decide"/>; a loaded
    /// schedule of the same region and year replaces the shipped one.
    /// </summary>
    public static readonly IReadOnlyList<ProgressReportSchedule> Shipped =
    [
        // 邢双随机办〔2022〕1号 四（二）: 各县（市、区）双随机办和市成员单位 "4月6日、7月2日、10月8日、12月23日前" 报送监管工作总结. 邢台市 is 130500.
        Seed("130500", 2022, "邢双随机办〔2022〕1号 四",
            (4, 6, ProgressReportKind.QuarterlyProgress), (7, 2, ProgressReportKind.QuarterlyProgress), (10, 8, ProgressReportKind.QuarterlyProgress),
            (12, 23, ProgressReportKind.AnnualSummary)),
        // 石鹿市监〔2026〕6号 四（信息联络员制度）: 区有关部门 "3月23日、6月22日、9月25日、12月21日前" 报送进展情况或总结. 石家庄市鹿泉区 is 130110.
        Seed("130110", 2026, "石鹿市监〔2026〕6号 四",
            (3, 23, ProgressReportKind.QuarterlyProgress), (6, 22, ProgressReportKind.QuarterlyProgress), (9, 25, ProgressReportKind.QuarterlyProgress),
            (12, 21, ProgressReportKind.AnnualSummary)),
    ];

    private static ProgressReportSchedule Seed(string region, int year, string source, params (int Month, int Day, ProgressReportKind Kind)[] dates) =>
        new(ProgressReportSchedule.IdFor(region, year), region, year,
            Number(year, dates.Select(d => new ProgressReportDueInput(new DateOnly(year, d.Month, d.Day), d.Kind)).ToList()), source, "shipped with the system", 0);

    /// <summary>Numbers the dates in order and gives each its default period: the n-th progress report covers quarter n, the summary the year.</summary>
    private static IReadOnlyList<ProgressReportDue> Number(int year, IReadOnlyList<ProgressReportDueInput> inputs)
    {
        var quarter = 0;
        return inputs.Select((d, i) =>
        {
            var n = d.Kind == ProgressReportKind.QuarterlyProgress ? ++quarter : 0;
            var period = d.Period is { } p && Dashboards.Period.Parse(p) is { } parsed ? parsed.Label
                : d.Kind == ProgressReportKind.AnnualSummary ? year.ToString(CultureInfo.InvariantCulture)
                : $"{year.ToString(CultureInfo.InvariantCulture)}-Q{n.ToString(CultureInfo.InvariantCulture)}";
            return new ProgressReportDue(i + 1, d.DueOn, d.Kind, period);
        }).ToList();
    }

    public static Decision Decide(SetProgressReportSchedule command, string regionCode, int year, Actor by)
    {
        var errors = new List<DomainError>();
        if (RegionCodes.Check(regionCode) is { } badRegion) errors.Add(badRegion);
        if (year is < 2015 or > 2100) errors.Add(DomainError.Invalid("year", "progress.schedule.year", "The year is between 2015 and 2100."));
        var dates = command.DueDates ?? [];
        if (dates.Count is 0 or > MaxDueDates)
            errors.Add(DomainError.Invalid("dueDates", "progress.schedule.count", $"'dueDates' lists 1 to {MaxDueDates} due dates."));
        var quarterly = 0;
        for (var i = 0; i < dates.Count; i++)
        {
            var field = $"dueDates[{i}]";
            if (dates[i] is not { } d)
            {
                errors.Add(DomainError.Invalid(field, "progress.schedule.required", "An entry is empty (null)."));
                continue;
            }
            if (d.DueOn.Year != year)
                errors.Add(DomainError.Invalid($"{field}.dueOn", "progress.schedule.due-year", $"A due date of {year} lies in {year}."));
            if (i > 0 && dates[i - 1] is { } before && d.DueOn <= before.DueOn)
                errors.Add(DomainError.Invalid($"{field}.dueOn", "progress.schedule.order", "Due dates are listed in order, each after the one before."));
            if (d.Kind == ProgressReportKind.AnnualSummary && i != dates.Count - 1)
                errors.Add(DomainError.Invalid($"{field}.kind", "progress.schedule.summary-last",
                    "The annual summary (工作总结) is the year's last report: no due date follows it."));
            if (d.Kind == ProgressReportKind.QuarterlyProgress) quarterly++;
            var period = d.Period is null ? null : Dashboards.Period.Parse(d.Period);
            if (d.Period is not null && (period is null || period.Year != year || (d.Kind == ProgressReportKind.AnnualSummary) != (period.Kind == PeriodKind.Year)))
                errors.Add(DomainError.Invalid($"{field}.period", "progress.schedule.period",
                    $"'period' is a quarter or month of {year} (2026-Q1, 2026-03) for a progress report, the year itself ({year}) for the summary."));
            else if (d.Period is null && d.Kind == ProgressReportKind.QuarterlyProgress && quarterly > 4)
                errors.Add(DomainError.Invalid($"{field}.period", "progress.schedule.period",
                    "More than four progress reports: name the period each one reports on."));
            else if (period is not null && period.From > d.DueOn)
                errors.Add(DomainError.Invalid($"{field}.period", "progress.schedule.period-start", "A report cannot fall due before the period it reports on begins."));
        }
        Text.RequireName(errors, "source", command.Source, MaxSourceLength);
        Text.RequireReason(errors, command.Reason, 1000);
        return Decision.AcceptUnless(errors, () =>
        [
            new ProgressReportScheduleSet(ProgressReportSchedule.IdFor(regionCode, year), regionCode, year, Number(year, dates.Select(d => d!).ToList()),
                command.Source.Trim(), command.Reason.Trim(), by),
        ]);
    }

    public static ProgressReportSchedule? Evolve(ProgressReportSchedule? state, object @event) => @event switch
    {
        ProgressReportScheduleSet e => new ProgressReportSchedule(e.ScheduleId, e.RegionCode, e.Year, e.DueDates, e.Source, e.Reason, (state?.Revision ?? 0) + 1),
        _ => state,
    };

    /// <summary>
    /// The region's own due dates for the year, else the nearest enclosing region's; at each level a loaded schedule before the shipped
    /// one. Null when no level has any: the region's units owe no progress report that year.
    /// </summary>
    public static ResolvedProgressReportSchedule? Resolve(string regionCode, int year, IReadOnlyCollection<ProgressReportSchedule> loaded)
    {
        foreach (var code in RegionCodes.SelfAndAncestors(regionCode))
        {
            var own = loaded.FirstOrDefault(s => s.RegionCode == code && s.Year == year);
            if (own is not null) return new(regionCode, year, own.DueDates, own.Source, code, own.Revision, false);
            var shipped = Shipped.FirstOrDefault(s => s.RegionCode == code && s.Year == year);
            if (shipped is not null) return new(regionCode, year, shipped.DueDates, shipped.Source, code, 0, true);
        }
        return null;
    }
}
