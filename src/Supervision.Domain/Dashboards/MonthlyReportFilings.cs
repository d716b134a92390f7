namespace Supervision.Domain.Dashboards;

/// <summary>Files the month's report for a county (<see cref="RegionCode"/>) or a city department (<see cref="DepartmentId"/>).</summary>
/// <param name="Reason">Why a report already filed is filed again (a correction); not needed the first time.</param>
/// <param name="Deployment">Section 一 安排部署情况; left out on a correction, the section filed before is kept.</param>
public sealed record SubmitMonthlyReport(string? RegionCode, Guid? DepartmentId, string Month, string? Reason, ReportDeployment? Deployment = null);

/// <summary>The report as filed: its content frozen (and its SHA-256), the day, and whether it was after the due day.</summary>
public sealed record MonthlyReportSubmitted(Guid FilingId, ReportForm Form, string UnitKey, string Unit, int Year, int Month, DateOnly DueOn, DateOnly SubmittedOn,
    bool Late, string Content, string ContentSha256, string? Reason, Actor By, ReportDeployment? Deployment = null);

/// <summary>A reminder to the unit: its report is due soon (<see cref="Overdue"/> false) or past due (true).</summary>
public sealed record MonthlyReportDueReminded(Guid FilingId, string UnitKey, string Unit, int Year, int Month, DateOnly DueOn, DateOnly On, bool Overdue);

/// <param name="SubmittedOn">The first filing: whether the unit filed on time is judged by it; a later correction is <see cref="CorrectedOn"/>.</param>
public sealed record MonthlyReportFiling(Guid Id, string UnitKey, string Unit, int Year, int Month, DateOnly DueOn, int Revision, DateOnly? SubmittedOn, bool Late,
    string? ContentSha256, IReadOnlyList<DateOnly> RemindedOn, bool OverdueReminded, DateOnly? CorrectedOn = null, ReportDeployment? Deployment = null) : IFolded<MonthlyReportFiling>
{
    public long Version { get; init; }

    public MonthlyReportFiling WithVersion(long version) => this with { Version = version };

    public static MonthlyReportFiling? StateAfter(MonthlyReportFiling? state, object @event) => MonthlyReportFilingRules.Evolve(state, @event);

    public static Guid IdFor(string unitKey, int year, int month) =>
        DeterministicId.For("monthly-report", $"{unitKey}/{year.ToString(CultureInfo.InvariantCulture)}-{month.ToString("00", CultureInfo.InvariantCulture)}");

    public static string CountyKey(string regionCode) => "county:" + regionCode;

    public static string DepartmentKey(Guid departmentId) => "department:" + departmentId.ToString("N");
}

/// <summary>
/// Filing the monthly report and reminding units that have not: reports are due by the due day of the following month
/// (每月23日前, 邢双随机办〔2022〕1号 四; 每月20日前, 石鹿市监〔2026〕6号), reminded a few days before and once when late.
/// </summary>
public static class MonthlyReportFilingRules
{
    public const int RemindDaysBefore = 3;

    /// <summary>
    /// Who files a report (<paramref name="filer"/>: the caller's department, null when it has none): a county's form by the county's
    /// market regulation department (which runs its 双随机 office), a city department's form by that city department itself.
    /// </summary>
    public static DomainError? CheckFiler(Department? filer, string? regionCode, Guid? departmentId)
    {
        var allowed = filer is not null && (departmentId is { } id
            ? id == filer.Id && RegionRules.TryParseCode(filer.RegionCode, out var level, out _) && level == RegionLevel.City
            : regionCode == filer.RegionCode && filer.Kind == DepartmentKind.MarketRegulation);
        return allowed ? null : DomainError.Forbidden("unit", "report.not-yours",
            "A county's report is filed by its market regulation department, a city department's report by that department.");
    }

    public static Decision Decide(SubmitMonthlyReport command, MonthlyReportFiling? filing, MonthlyReport report, string content, string contentSha256,
        DateOnly today, Actor by)
    {
        if (filing?.SubmittedOn is not null && string.IsNullOrWhiteSpace(command.Reason))
            return Decision.Reject(DomainError.Invalid("reason", "report.resubmission.reason",
                "This month's report was already filed; filing it again is a correction and needs a reason."));
        if (filing?.ContentSha256 == contentSha256)
            return Decision.Accept(); // the same figures again: nothing to correct
        var unitKey = report.Form == ReportForm.County ? MonthlyReportFiling.CountyKey(report.RegionCode) : MonthlyReportFiling.DepartmentKey(command.DepartmentId!.Value);
        return Decision.Accept(new MonthlyReportSubmitted(MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month), report.Form, unitKey, report.Unit, report.Year,
            report.Month, report.DueOn, today, today > report.DueOn, content, contentSha256, command.Reason?.Trim() is { Length: > 0 } r ? r : null, by,
            report.Deployment));
    }

    /// <summary>A reminder when the report is not filed and the due day is near (once) or past (once more).</summary>
    public static Decision DecideReminder(MonthlyReportFiling? filing, string unitKey, string unit, int year, int month, DateOnly dueOn, DateOnly today)
    {
        if (filing?.SubmittedOn is not null || today < dueOn.AddDays(-RemindDaysBefore)) return Decision.Accept();
        var overdue = today > dueOn;
        if (overdue ? filing?.OverdueReminded == true : filing?.RemindedOn.Count > 0) return Decision.Accept();
        return Decision.Accept(new MonthlyReportDueReminded(MonthlyReportFiling.IdFor(unitKey, year, month), unitKey, unit, year, month, dueOn, today, overdue));
    }

    public static MonthlyReportFiling? Evolve(MonthlyReportFiling? filing, object @event) => @event switch
    {
        MonthlyReportSubmitted e => (filing ?? Empty(e.FilingId, e.UnitKey, e.Unit, e.Year, e.Month, e.DueOn)) with
        {
            Revision = (filing?.Revision ?? 0) + 1,
            SubmittedOn = filing?.SubmittedOn ?? e.SubmittedOn,
            Late = filing?.SubmittedOn is null ? e.Late : filing.Late,
            ContentSha256 = e.ContentSha256,
            CorrectedOn = filing?.SubmittedOn is null ? null : e.SubmittedOn,
            Deployment = e.Deployment,
        },
        MonthlyReportDueReminded e => (filing ?? Empty(e.FilingId, e.UnitKey, e.Unit, e.Year, e.Month, e.DueOn)) is var f
            ? f with { RemindedOn = [.. f.RemindedOn, e.On], OverdueReminded = f.OverdueReminded || e.Overdue }
            : null,
        _ => filing,
    };

    private static MonthlyReportFiling Empty(Guid id, string unitKey, string unit, int year, int month, DateOnly dueOn) =>
        new(id, unitKey, unit, year, month, dueOn, 0, null, false, null, [], false);
}
