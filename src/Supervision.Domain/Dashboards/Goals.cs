namespace Supervision.Domain.Dashboards;

/// <summary>The targets a region's plan documents set for a year, as percentages; null where the documents set none.</summary>
/// <param name="JointInspectionShare">Joint inspections (部门联合抽查) as a share of all inspections (sampling tasks drawn).</param>
/// <param name="JointEntityShare">Entities inspected jointly as a share of all entities inspected (户数占比).</param>
/// <param name="CreditClassDrawShare">Draws that used credit risk classes as a share of all draws.</param>
/// <param name="Coverage">Entities inspected in the year as a share of the enterprises registered at the end of the previous year.</param>
public sealed record DashboardGoals(decimal? JointInspectionShare, decimal? JointEntityShare, decimal? CreditClassDrawShare, decimal? Coverage,
    decimal? EnteredOnTimeShare, decimal? PublishedOnTimeShare, decimal? BackFilledOnTimeShare);

/// <param name="RegisteredEnterprises">The official count of enterprises registered at the end of the previous year (市场主体统计), when known;
/// otherwise coverage is measured against the target directory.</param>
/// <param name="MonthlyReportDueDay">The day of the following month by which the monthly report (月报表) is due: 23 (邢双随机办〔2022〕1号 四) or 20 (石鹿市监〔2026〕6号).</param>
public sealed record SetGoals(DashboardGoals? Goals, int? RegisteredEnterprises, int? MonthlyReportDueDay, string Source, string Reason);

public sealed record GoalsSet(Guid GoalSettingId, string RegionCode, int Year, DashboardGoals Goals, int? RegisteredEnterprises, int? MonthlyReportDueDay,
    string Source, string Reason, Actor By);

/// <summary>One region's goals for one year; each change is a new revision with its source document and reason.</summary>
public sealed record GoalSetting(Guid Id, string RegionCode, int Year, DashboardGoals Goals, int? RegisteredEnterprises, int? MonthlyReportDueDay, string Source,
    int Revision) : IFolded<GoalSetting>
{
    public long Version { get; init; }

    public GoalSetting WithVersion(long version) => this with { Version = version };

    public static GoalSetting? StateAfter(GoalSetting? state, object @event) => GoalRules.Evolve(state, @event);

    public static Guid IdFor(string regionCode, int year) => DeterministicId.For("goals", $"{regionCode}/{year.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>Where a figure's goal came from: the region's own setting, an enclosing region's, or the seed documents.</summary>
public sealed record ResolvedGoals(DashboardGoals Goals, int? RegisteredEnterprises, int MonthlyReportDueDay, string Source, string? SetForRegion);

public static class GoalRules
{
    public const int MaxSourceLength = 300;

    /// <summary>
    /// The targets stated in the seed documents, by the year they take effect; a year without its own document uses the
    /// latest earlier one. Every document requires results entered and published within 20 working days (西双随机办字〔2022〕5号 (六)),
    /// so the on-time goals are 100%.
    /// </summary>
    public static readonly IReadOnlyList<(int Year, DashboardGoals Goals, int DueDay, string Source)> SeedDefaults =
    [
        // 邢双随机办〔2022〕1号 (二) 联合抽查 ≥20% of inspections and ≥10% of entities; 信用风险分类运用 ≥80% of all inspections.
        (2022, new DashboardGoals(20m, 10m, 80m, null, 100m, 100m, 100m), 23, "邢双随机办〔2022〕1号"),
        // 赞资源和规划（2024）2号: 联合抽查次数占比、户数占比均实现100%; all draws by credit class; coverage ≥5%.
        (2024, new DashboardGoals(100m, 100m, 100m, 5m, 100m, 100m, 100m), 23, "赞资源和规划（2024）2号"),
        // 石鹿市监〔2026〕6号: "一业一查" joint inspection throughout; all draws by credit class; coverage ≥3%.
        (2026, new DashboardGoals(100m, 100m, 100m, 3m, 100m, 100m, 100m), 20, "石鹿市监〔2026〕6号"),
    ];

    public static Decision Decide(SetGoals command, string regionCode, int year, GoalSetting? current, Actor by)
    {
        var errors = new List<DomainError>();
        if (RegionCodes.Check(regionCode) is { } badRegion) errors.Add(badRegion);
        if (year is < 2015 or > 2100) errors.Add(DomainError.Invalid("year", "goals.year", "The year is between 2015 and 2100."));
        if (command.Goals is null) errors.Add(DomainError.Invalid("goals", "goals.required", "'goals' holds the percentages (null where none is set)."));
        else
        {
            foreach (var (field, value) in Percentages(command.Goals))
                if (value is < 0m or > 100m) errors.Add(DomainError.Invalid($"goals.{field}", "goals.percentage", $"'{field}' is a percentage between 0 and 100."));
        }
        if (command.MonthlyReportDueDay is < 1 or > 28)
            errors.Add(DomainError.Invalid("monthlyReportDueDay", "goals.due-day", "'monthlyReportDueDay' is a day of the month from 1 to 28."));
        if (command.RegisteredEnterprises is < 0)
            errors.Add(DomainError.Invalid("registeredEnterprises", "goals.registered-enterprises", "'registeredEnterprises' is a count, 0 or more."));
        Text.RequireName(errors, "source", command.Source, MaxSourceLength);
        Text.RequireReason(errors, command.Reason, 1000);
        return Decision.AcceptUnless(errors, () =>
        [
            new GoalsSet(GoalSetting.IdFor(regionCode, year), regionCode, year, command.Goals!, command.RegisteredEnterprises, command.MonthlyReportDueDay, command.Source.Trim(), command.Reason.Trim(), by),
        ]);
    }

    private static IEnumerable<(string Field, decimal? Value)> Percentages(DashboardGoals g) =>
    [
        ("jointInspectionShare", g.JointInspectionShare), ("jointEntityShare", g.JointEntityShare), ("creditClassDrawShare", g.CreditClassDrawShare),
        ("coverage", g.Coverage), ("enteredOnTimeShare", g.EnteredOnTimeShare), ("publishedOnTimeShare", g.PublishedOnTimeShare),
        ("backFilledOnTimeShare", g.BackFilledOnTimeShare),
    ];

    public static GoalSetting? Evolve(GoalSetting? state, object @event) => @event switch
    {
        GoalsSet e => new GoalSetting(e.GoalSettingId, e.RegionCode, e.Year, e.Goals, e.RegisteredEnterprises, e.MonthlyReportDueDay, e.Source, (state?.Revision ?? 0) + 1),
        _ => state,
    };

    /// <summary>The region's own goals for the year, else the nearest enclosing region's (city, then province), else the seed documents'.</summary>
    public static ResolvedGoals Resolve(string regionCode, int year, IReadOnlyCollection<GoalSetting> settings)
    {
        var seed = SeedDefaults.LastOrDefault(s => s.Year <= year);
        if (seed.Goals is null) seed = SeedDefaults[0];
        foreach (var code in RegionCodes.SelfAndAncestors(regionCode))
        {
            var own = settings.FirstOrDefault(s => s.RegionCode == code && s.Year == year);
            if (own is not null)
                return new ResolvedGoals(own.Goals, code == regionCode ? own.RegisteredEnterprises : null, own.MonthlyReportDueDay ?? seed.DueDay, own.Source, code);
        }
        return new ResolvedGoals(seed.Goals, null, seed.DueDay, seed.Source, null);
    }
}

/// <summary>GB/T 2260 codes nest by prefix: province 13xxxx, city 1301xx, county 130185.</summary>
public static class RegionCodes
{
    public static IEnumerable<string> SelfAndAncestors(string code)
    {
        var current = code;
        while (RegionRules.TryParseCode(current, out _, out var parent))
        {
            yield return current!;
            if (parent is null) yield break;
            current = parent;
        }
    }

    /// <summary>The refusal of a region code that is not a six-digit GB/T 2260 code; null for a valid one.</summary>
    public static DomainError? Check(string? code) => RegionRules.TryParseCode(code, out _, out _) ? null
        : DomainError.Invalid("regionCode", "region.code", "The region code is a six-digit GB/T 2260 code.");

    /// <summary>Whether <paramref name="code"/> is <paramref name="region"/> or lies inside it.</summary>
    public static bool Within(string code, string region) => SelfAndAncestors(code).Contains(region);
}
