using ClosedXML.Excel;
using CsvHelper;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>
/// <c>GET /api/reports/monthly</c>: the monthly report (月报表) of 邢双随机办〔2022〕1号: the county form for a county
/// (<c>regionCode</c>), the city-department form for a department (<c>departmentId</c>), as JSON, CSV or XLSX.
/// </summary>
public static class MonthlyReportEndpoints
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static ProblemDetails Validate(string? month, string? regionCode, Guid? departmentId, string? format, DateTimeOffset? at = null)
    {
        var errors = new List<DomainError>();
        if (at is { } moment && (moment.Year < 2000 || moment > DateTimeOffset.UtcNow.AddYears(1)))
            errors.Add(DomainError.Invalid("at", "as-of.at", "'at' is an instant with its offset (e.g. 2026-03-31T18:00:00+08:00), from 2000 to now."));
        if (Period.Parse(month) is not { Kind: PeriodKind.Month })
            errors.Add(DomainError.Invalid("month", "month.format", "'month' is a month, e.g. 2026-03."));
        if ((regionCode is null) == (departmentId is null))
            errors.Add(DomainError.Invalid("regionCode", "report.unit", "Name either a county ('regionCode', the county form) or a department ('departmentId', the city-department form)."));
        else if (regionCode is not null && !(RegionRules.TryParseCode(regionCode, out var level, out _) && level == RegionLevel.County))
            errors.Add(DomainError.Invalid("regionCode", "report.county", "The county form is for a county: a six-digit GB/T 2260 county code."));
        if (format is not (null or "json" or "csv" or "xlsx"))
            errors.Add(DomainError.Invalid("format", "report.format", "'format' is json, csv or xlsx."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    [Authorize]
    [WolverineGet("/api/reports/monthly"), Tags("Reports")]
    public static async Task<IResult> Get(string month, string? regionCode, Guid? departmentId, string? format, long? sequence, DateTimeOffset? at, DateOnly? today,
        ClaimsPrincipal user, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (report, problem) = await BuildAsync(session, user, Period.Parse(month)!, regionCode, departmentId, sequence, at, today, clock, ct);
        if (report is null) return Results.Problem(problem!);
        // Section 一 is what the unit filed (its latest revision), not something the events count.
        var unitKey = departmentId is { } id ? MonthlyReportFiling.DepartmentKey(id) : MonthlyReportFiling.CountyKey(regionCode!);
        var filing = await session.LoadAsync<MonthlyReportFiling>(MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month), ct);
        report = report with { Deployment = filing?.Deployment ?? ReportDeployment.None };
        var file = $"monthly-report-{report.RegionCode}-{report.Year}-{report.Month:00}";
        return format switch
        {
            "csv" => Results.File(MonthlyReportFiles.Csv(report), "text/csv; charset=utf-8", file + ".csv"),
            "xlsx" => Results.File(MonthlyReportFiles.Xlsx(report), XlsxType, file + ".xlsx"),
            _ => Results.Ok(report),
        };
    }

    /// <summary>The county form for a county, or the city-department form for a department, if the user oversees it.</summary>
    public static async Task<(MonthlyReport? Report, ProblemDetails? Problem)> BuildAsync(IQuerySession session, ClaimsPrincipal user, Period period, string? regionCode,
        Guid? departmentId, long? sequence, DateTimeOffset? at, DateOnly? today, TimeProvider clock, CancellationToken ct)
    {
        var live = sequence is null && at is null;
        var loaded = live ? await DashboardSource.LoadLiveContextAsync(session, period.Year, ct) : await DashboardSource.LoadAsync(session, sequence, at, period.Year, ct);
        var day = DashboardEndpoints.DayOf(today, loaded.AsOfInstant, clock);
        // Live, only the month's facts of the report's own departments are read (selected in SQL); "as of", the replayed facts.
        async Task<DashboardFacts> FactsFor(IEnumerable<ReportDepartment> unit) =>
            live ? await DashboardSource.LoadMonthAsync(session, period, unit.Select(d => d.Id).ToHashSet(), ct) : loaded.Facts;
        if (departmentId is { } id)
        {
            var department = loaded.Departments.FirstOrDefault(d => d.Id == id);
            if (department is null) return (null, ProblemResponses.NotFound("department", id));
            if (Oversight.Check(user, loaded.Departments, department.RegionCode, id) is { } forbidden) return (null, ProblemResponses.Forbidden(forbidden));
            var goals = GoalRules.Resolve(department.RegionCode, period.Year, loaded.Goals);
            var city = department.RegionCode[..4] + "00";
            var system = loaded.Departments.Where(d => d.Kind == department.Kind && RegionCodes.Within(d.RegionCode, city)).OrderBy(d => d.Code, StringComparer.Ordinal)
                .Select(ToReport).ToList();
            var facts = await FactsFor(system.Append(ToReport(department)));
            return (MonthlyReports.CityDepartment(ToReport(department), period, day, goals.MonthlyReportDueDay, system, facts), null);
        }
        if (Oversight.Check(user, loaded.Departments, regionCode!, null) is { } notYours) return (null, ProblemResponses.Forbidden(notYours));
        var countyGoals = GoalRules.Resolve(regionCode!, period.Year, loaded.Goals);
        var departments = loaded.Departments.Where(d => d.RegionCode == regionCode).OrderBy(d => d.Code, StringComparer.Ordinal).Select(ToReport).ToList();
        var name = loaded.Regions.FirstOrDefault(r => r.Code == regionCode)?.Name ?? regionCode!;
        return (MonthlyReports.County(name, regionCode!, period, day, countyGoals.MonthlyReportDueDay, departments, await FactsFor(departments)), null);
    }

    private static ReportDepartment ToReport(Department d) => new(d.Id, d.Name, d.RegionCode, d.Kind.ToString());
}

/// <summary>The report laid out as the attachment's form: title, unit and date, then its numbered sections and totals.</summary>
public static class MonthlyReportFiles
{
    public static IReadOnlyList<IReadOnlyList<string>> Rows(MonthlyReport r)
    {
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        static string Docs(IEnumerable<string> docs) => string.Join("；", docs);
        var rows = new List<IReadOnlyList<string>>();
        if (r.Form == ReportForm.County)
        {
            rows.Add(["县“双随机、一公开”监管工作月报表"]);
            rows.Add(["单位名称", r.Unit, "填表时间", r.FilledOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), "报告月份", $"{r.Year}年{r.Month}月", "报送截止", r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
            Deployment(rows, r.Deployment, "一、全县“双随机、一公开”监管工作安排部署情况", "召开会议部署全县双随机工作", "有关全县双随机工作文件", "全县各部门组织业务培训");
            rows.Add(["二、县本级“双随机、一公开”监管工作开展情况"]);
            rows.Add(["本月县直部门按年度计划开展随机抽查情况"]);
            rows.Add(["4", "部门名称", "检查事项数", "检查主体数量", "发现问题的检查主体数量", "抽查结果公示数量", "抽查实施文件"]);
            rows.AddRange(r.Departments.Select(d => (IReadOnlyList<string>)["", d.Department, N(d.MattersInspected), N(d.EntitiesInspected), N(d.EntitiesWithProblems), N(d.ResultsPublished), Docs(d.ImplementingDocuments)]));
            rows.Add(["", "合计", $"抽查次数 {N(r.Totals.Inspections)}", N(r.Totals.EntitiesInspected), N(r.Totals.EntitiesWithProblems), N(r.Totals.ResultsPublished), ""]);
            rows.Add(["本月县本级开展跨部门联合抽查情况"]);
            rows.Add(["5", "牵头部门", "参与部门", "检查主体数量", "发现问题的检查主体数量", "抽查结果公示数量", "抽查实施文件"]);
            rows.AddRange(r.Joint.Select(j => (IReadOnlyList<string>)["", j.LeadDepartment, string.Join("、", j.ParticipatingDepartments), N(j.EntitiesInspected), N(j.EntitiesWithProblems), N(j.ResultsPublished), Docs(j.ImplementingDocuments)]));
        }
        else
        {
            rows.Add(["市有关部门“双随机、一公开”监管工作月报表"]);
            rows.Add(["单位名称", r.Unit, "填表时间", r.FilledOn.ToString("yyyy年M月d日", CultureInfo.InvariantCulture), "报告月份", $"{r.Year}年{r.Month}月", "报送截止", r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]);
            Deployment(rows, r.Deployment, "一、“双随机、一公开”监管工作安排部署情况", "本月召开会议部署随机抽查工作情况", "本月印发双随机工作文件情况", "本月组织随机抽查业务培训情况");
            rows.Add(["二、“双随机、一公开”监管工作开展情况"]);
            rows.Add(["4", "本月按年度随机抽查工作计划市本级开展随机抽查情况"]);
            rows.Add(["", "任务", "抽查文件", "抽查对象范围", "对象数量", "抽查数量", "抽查比例(%)", "检查事项数", "发现问题的户数", "结果公示数量", "公示网站"]);
            rows.AddRange(r.Tasks.Select(t => (IReadOnlyList<string>)["", t.Task, t.ImplementingDocument, t.Scope, N(t.PoolSize), N(t.EntitiesInspected),
                t.RatioPercent?.ToString("0.##", CultureInfo.InvariantCulture) ?? "", N(t.Matters), N(t.EntitiesWithProblems), N(t.ResultsPublished), t.PublishedAt]));
            rows.Add(["", "合计", $"抽查次数 {N(r.Totals.Inspections)}", "", "", N(r.Totals.EntitiesInspected), "", "", N(r.Totals.EntitiesWithProblems), N(r.Totals.ResultsPublished), ""]);
            rows.Add(["5", "全市本系统开展随机抽查情况"]);
            rows.Add(["", "单位", "检查事项数", "检查主体数量", "发现问题的检查主体数量", "抽查结果公示数量"]);
            rows.AddRange(r.System.Select(d => (IReadOnlyList<string>)["", d.Department, N(d.MattersInspected), N(d.EntitiesInspected), N(d.EntitiesWithProblems), N(d.ResultsPublished)]));
        }
        return rows;
    }

    /// <summary>Section 一 in the form's order: items 1 (meetings), 2 (documents), 3 (trainings), each with its entries below it.</summary>
    private static void Deployment(List<IReadOnlyList<string>> rows, ReportDeployment? deployment, string heading, string meetings, string documents, string trainings)
    {
        var d = (deployment ?? ReportDeployment.None).Normalised();
        rows.Add([heading]);
        rows.Add(["1", meetings, "会议名称", "召开时间"]);
        rows.AddRange(d.Meetings!.Select(m => (IReadOnlyList<string>)["", "", m.Name, m.HeldOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)]));
        rows.Add(["2", documents, "文件名称", "文号"]);
        rows.AddRange(d.Documents!.Select(x => (IReadOnlyList<string>)["", "", x.Title, x.Number]));
        rows.Add(["3", trainings, "组织培训的部门", "次数", "人数", "培训班名称", "内容"]);
        rows.AddRange(d.Trainings!.Select(t => (IReadOnlyList<string>)["", "", t.Department, t.Sessions.ToString(CultureInfo.InvariantCulture),
            t.People.ToString(CultureInfo.InvariantCulture), t.Name ?? "", t.Content ?? ""]));
    }

    /// <summary>UTF-8 with a byte-order mark, so Excel opens the Chinese text correctly.</summary>
    public static byte[] Csv(MonthlyReport report)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(true), leaveOpen: true))
        // The form's sections have different widths, as on paper.
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { ValidateFieldCount = false, Injection = CsvInjection.Escape }, true))
        {
            foreach (var row in Rows(report)) csv.WriteRecord(row.ToArray());
        }
        return stream.ToArray();
    }

    public static byte[] Xlsx(MonthlyReport report)
    {
        using var workbook = new XLWorkbook();
        var sheet = workbook.Worksheets.Add("月报表");
        var rows = Rows(report);
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < rows[i].Count; j++)
            {
                var text = rows[i][j];
                var cell = sheet.Cell(i + 1, j + 1);
                // Counts are numbers in the sheet, so the department's staff can sum them; everything else stays text.
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && j > 0) cell.Value = n;
                else cell.SetValue(text);
            }
        sheet.Row(1).Style.Font.Bold = true;
        sheet.Column(2).Width = 28;
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }
}
