namespace Supervision.Domain.Dashboards;

public enum ReportForm
{
    /// <summary>附件1 县“双随机、一公开”监管工作月报表: every department of a county, and the county's joint inspections.</summary>
    County,
    /// <summary>附件2 市有关部门“双随机、一公开”监管工作月报表: one city department's own inspections, and its system across the city.</summary>
    CityDepartment,
}

public sealed record ReportDepartment(Guid Id, string Name, string RegionCode, string Kind);

/// <summary>Section 二.4 of the county form: one department's random inspections under its annual plan this month.</summary>
public sealed record DepartmentLine(string Department, int MattersInspected, int EntitiesInspected, int EntitiesWithProblems, int ResultsPublished,
    IReadOnlyList<string> ImplementingDocuments);

/// <summary>The 合计 line: inspections (抽查次数, the sampling tasks with an inspection ended this month), entities, problems, publications.</summary>
public sealed record ReportTotals(int Inspections, int EntitiesInspected, int EntitiesWithProblems, int ResultsPublished);

/// <summary>Section 二.5 of the county form: one cross-department joint inspection (跨部门联合抽查).</summary>
public sealed record JointLine(string Task, string LeadDepartment, IReadOnlyList<string> ParticipatingDepartments, int EntitiesInspected, int EntitiesWithProblems,
    int ResultsPublished, IReadOnlyList<string> ImplementingDocuments);

/// <summary>Section 二.4 of the city-department form, per sampling task: its document, scope, count and ratio, matters, problems, publication.</summary>
public sealed record TaskLine(string Task, string ImplementingDocument, string Scope, int PoolSize, int EntitiesInspected, decimal? RatioPercent, int Matters,
    int EntitiesWithProblems, int ResultsPublished, string PublishedAt);

/// <param name="Deployment">Section 一 安排部署情况 as the unit filed it (empty until it files); the counted sections are computed.</param>
public sealed record MonthlyReport(ReportForm Form, string Unit, string RegionCode, int Year, int Month, DateOnly FilledOn, DateOnly DueOn, int DaysToDue,
    IReadOnlyList<DepartmentLine> Departments, ReportTotals Totals, IReadOnlyList<JointLine> Joint, IReadOnlyList<TaskLine> Tasks, IReadOnlyList<DepartmentLine> System,
    ReportDeployment? Deployment = null);

/// <summary>
/// The monthly report (月报表) of 邢双随机办〔2022〕1号 attachments 1 and 2, as a pure function of the dashboard facts.
/// A case counts in the month its inspection ended; a result in the month it was published.
/// </summary>
public static class MonthlyReports
{
    /// <summary>Where results are published (一公开).</summary>
    public const string PublicationSite = "国家企业信用信息公示系统";

    /// <summary>The report for a month is due by the due day of the following month (每月23日前 / 20日前).</summary>
    public static DateOnly DueOn(int year, int month, int dueDay) => new DateOnly(year, month, 1).AddMonths(1).AddDays(dueDay - 1);

    public static MonthlyReport County(string unit, string regionCode, Period month, DateOnly today, int dueDay, IReadOnlyList<ReportDepartment> departments,
        DashboardFacts facts)
    {
        var names = departments.ToDictionary(d => d.Id, d => d.Name);
        var plans = facts.Plans.ToDictionary(p => p.Id);
        var inspected = facts.Cases.Where(c => !c.Withdrawn && month.Contains(c.EndedOn)).ToList();
        var published = facts.Cases.Where(c => month.Contains(c.PublishedOn)).ToList();

        var lines = departments.Select(d => Line(d.Name, d.Id, inspected, published, plans, facts))
            .Where(l => l.EntitiesInspected + l.ResultsPublished > 0).ToList();
        var ours = departments.Select(d => d.Id).ToHashSet();
        var ourCases = inspected.Where(c => c.DepartmentIds.Any(ours.Contains)).ToList();
        var totals = new ReportTotals(ourCases.Select(c => (c.PlanId, c.TaskNumber)).Distinct().Count(), ourCases.Select(c => c.TargetId).Distinct().Count(),
            ourCases.Where(facts.ProblemFound).Select(c => c.TargetId).Distinct().Count(),
            published.Count(c => c.DepartmentIds.Any(ours.Contains)));

        var joint = inspected.Concat(published).Where(c => c.Joint && c.DepartmentIds.Any(ours.Contains)).GroupBy(c => (c.PlanId, c.TaskNumber))
            .Select(g =>
            {
                var plan = plans.GetValueOrDefault(g.Key.PlanId);
                var task = plan?.Task(g.Key.TaskNumber);
                var lead = task?.LeadDepartmentId ?? task?.InitiatingDepartmentId ?? plan?.DepartmentId ?? g.First().DepartmentIds[0];
                var inMonth = g.Where(c => month.Contains(c.EndedOn)).DistinctBy(c => c.Id).ToList();
                return new JointLine(g.Key.TaskNumber, Name(names, lead),
                    g.First().DepartmentIds.Where(d => d != lead).Select(d => Name(names, d)).ToList(),
                    inMonth.Select(c => c.TargetId).Distinct().Count(), inMonth.Where(facts.ProblemFound).Select(c => c.TargetId).Distinct().Count(),
                    g.DistinctBy(c => c.Id).Count(c => month.Contains(c.PublishedOn)), Documents(plan));
            }).OrderBy(j => j.Task, StringComparer.Ordinal).ToList();

        var due = DueOn(month.Year, month.Number, dueDay);
        return new MonthlyReport(ReportForm.County, unit, regionCode, month.Year, month.Number, today, due, due.DayNumber - today.DayNumber, lines, totals, joint, [], []);
    }

    /// <param name="system">The departments of the same system (kind) across the city, for section 二.5.</param>
    public static MonthlyReport CityDepartment(ReportDepartment department, Period month, DateOnly today, int dueDay, IReadOnlyList<ReportDepartment> system,
        DashboardFacts facts)
    {
        var plans = facts.Plans.ToDictionary(p => p.Id);
        var inspected = facts.Cases.Where(c => !c.Withdrawn && month.Contains(c.EndedOn)).ToList();
        var published = facts.Cases.Where(c => month.Contains(c.PublishedOn)).ToList();
        var own = Line(department.Name, department.Id, inspected, published, plans, facts);

        var ourInspected = inspected.Where(c => c.DepartmentIds.Contains(department.Id)).ToList();
        var ourPublished = published.Where(c => c.DepartmentIds.Contains(department.Id)).ToList();
        var tasks = ourInspected.Concat(ourPublished).GroupBy(c => (c.PlanId, c.TaskNumber)).Select(g =>
        {
            var plan = plans.GetValueOrDefault(g.Key.PlanId);
            var task = plan?.Task(g.Key.TaskNumber);
            var pool = facts.Draws.Where(d => d.PlanId == g.Key.PlanId && d.TaskNumber == g.Key.TaskNumber && !d.Voided).Sum(d => d.PoolSize);
            var inMonth = g.Where(c => month.Contains(c.EndedOn)).DistinctBy(c => c.Id).ToList();
            var entities = inMonth.Select(c => c.TargetId).Distinct().Count();
            return new TaskLine(g.Key.TaskNumber, plan?.ImplementingScheme ?? plan?.Name ?? "", task?.ScopeDescription ?? "", pool, entities,
                pool == 0 ? null : Math.Round(100m * entities / pool, 2, MidpointRounding.AwayFromZero),
                inMonth.SelectMany(c => c.Participants.Where(p => p.DepartmentId == department.Id).SelectMany(p => p.MatterIds)).Distinct().Count(),
                inMonth.Where(facts.ProblemFound).Select(c => c.TargetId).Distinct().Count(),
                g.DistinctBy(c => c.Id).Count(c => month.Contains(c.PublishedOn)), PublicationSite);
        }).OrderBy(t => t.Task, StringComparer.Ordinal).ToList();

        var systemLines = system.Select(d => Line(d.Name, d.Id, inspected, published, plans, facts)).Where(l => l.EntitiesInspected + l.ResultsPublished > 0).ToList();
        var due = DueOn(month.Year, month.Number, dueDay);
        return new MonthlyReport(ReportForm.CityDepartment, department.Name, department.RegionCode, month.Year, month.Number, today, due, due.DayNumber - today.DayNumber,
            [own], new ReportTotals(ourInspected.Select(c => (c.PlanId, c.TaskNumber)).Distinct().Count(), own.EntitiesInspected, own.EntitiesWithProblems, own.ResultsPublished), [], tasks, systemLines);
    }

    private static DepartmentLine Line(string name, Guid departmentId, IReadOnlyList<CaseFact> inspected, IReadOnlyList<CaseFact> published,
        IReadOnlyDictionary<Guid, PlanFact> plans, DashboardFacts facts)
    {
        var cases = inspected.Where(c => c.DepartmentIds.Contains(departmentId)).ToList();
        return new DepartmentLine(name,
            cases.SelectMany(c => c.Participants.Where(p => p.DepartmentId == departmentId).SelectMany(p => p.MatterIds)).Distinct().Count(),
            cases.Select(c => c.TargetId).Distinct().Count(),
            cases.Where(facts.ProblemFound).Select(c => c.TargetId).Distinct().Count(),
            published.Count(c => c.DepartmentIds.Contains(departmentId)),
            cases.Select(c => c.PlanId).Distinct().SelectMany(id => Documents(plans.GetValueOrDefault(id))).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    private static IReadOnlyList<string> Documents(PlanFact? plan) =>
        plan is null ? [] : [string.IsNullOrWhiteSpace(plan.ImplementingScheme) ? $"{plan.Number} {plan.Name}" : plan.ImplementingScheme!];

    private static string Name(IReadOnlyDictionary<Guid, string> names, Guid id) => names.GetValueOrDefault(id) ?? id.ToString();
}
