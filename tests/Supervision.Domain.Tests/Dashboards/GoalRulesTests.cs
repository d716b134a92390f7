using Supervision.Domain.Dashboards;

namespace Supervision.Domain.Tests.Dashboards;

public sealed class GoalRulesTests
{
    private static readonly Actor Admin = new("admin-1", "双随机办", Roles.SystemAdmin, null);
    private static readonly DashboardGoals CityGoals = new(30m, 20m, 50m, 3m, 90m, 90m, 90m);
    private static readonly DashboardGoals CountyGoals = new(40m, 25m, 60m, 4m, 95m, 95m, 95m);

    private static GoalSetting Setting(string region, int year, DashboardGoals goals, int? registered, int? dueDay, string source) =>
        new(GoalSetting.IdFor(region, year), region, year, goals, registered, dueDay, source, 1);

    [Fact]
    public void The_seed_documents_set_the_goals_by_the_year_they_take_effect()
    {
        var y2022 = GoalRules.Resolve("130185", 2022, []);
        Assert.Equal(new DashboardGoals(20m, 10m, 80m, null, 100m, 100m, 100m), y2022.Goals); // 邢双随机办〔2022〕1号: 20% / 10% / 80%, no coverage goal
        Assert.Equal((23, "邢双随机办〔2022〕1号", (string?)null, (int?)null), (y2022.MonthlyReportDueDay, y2022.Source, y2022.SetForRegion, y2022.RegisteredEnterprises));

        // 2023 has no document of its own: 2022's applies.
        var y2023 = GoalRules.Resolve("130185", 2023, []);
        Assert.Equal((y2022.Goals, 23, "邢双随机办〔2022〕1号"), (y2023.Goals, y2023.MonthlyReportDueDay, y2023.Source));

        var y2024 = GoalRules.Resolve("130185", 2024, []);
        Assert.Equal(new DashboardGoals(100m, 100m, 100m, 5m, 100m, 100m, 100m), y2024.Goals);
        Assert.Equal((23, "赞资源和规划（2024）2号"), (y2024.MonthlyReportDueDay, y2024.Source));
        Assert.Equal(y2024.Goals, GoalRules.Resolve("130185", 2025, []).Goals); // 2025 falls back to 2024

        var y2026 = GoalRules.Resolve("130185", 2026, []);
        Assert.Equal(new DashboardGoals(100m, 100m, 100m, 3m, 100m, 100m, 100m), y2026.Goals);
        Assert.Equal((20, "石鹿市监〔2026〕6号"), (y2026.MonthlyReportDueDay, y2026.Source));
        Assert.Equal(y2026.Goals, GoalRules.Resolve("130185", 2030, []).Goals);

        // Before the first document, the first document's goals.
        Assert.Equal((y2022.Goals, 23), (GoalRules.Resolve("130185", 2020, []).Goals, GoalRules.Resolve("130185", 2020, []).MonthlyReportDueDay));
    }

    [Fact]
    public void A_county_without_its_own_setting_inherits_its_citys_but_not_the_citys_enterprise_count()
    {
        var city = Setting("130100", 2026, CityGoals, 5000, null, "石市双随机办〔2026〕1号");
        var resolved = GoalRules.Resolve("130185", 2026, [city, Setting("130100", 2025, CountyGoals, 10, 25, "old")]);
        Assert.Equal(CityGoals, resolved.Goals);
        Assert.Equal(("石市双随机办〔2026〕1号", (string?)"130100"), (resolved.Source, resolved.SetForRegion));
        Assert.Null(resolved.RegisteredEnterprises);       // the city's count is the city's, not the county's
        Assert.Equal(20, resolved.MonthlyReportDueDay);    // the city set no due day: the 2026 seed's 20

        // The city's own view of the same setting keeps its count.
        Assert.Equal(5000, GoalRules.Resolve("130100", 2026, [city]).RegisteredEnterprises);

        // A province setting reaches the county when the city has none.
        var province = Setting("130000", 2026, CountyGoals, 90000, 22, "冀双随机办〔2026〕1号");
        var fromProvince = GoalRules.Resolve("130185", 2026, [province]);
        Assert.Equal((CountyGoals, "130000", 22, (int?)null), (fromProvince.Goals, fromProvince.SetForRegion, fromProvince.MonthlyReportDueDay, fromProvince.RegisteredEnterprises));
        // ...but the nearer city wins over the province.
        Assert.Equal("130100", GoalRules.Resolve("130185", 2026, [province, city]).SetForRegion);
    }

    [Fact]
    public void The_countys_own_setting_wins_over_its_citys()
    {
        var city = Setting("130100", 2026, CityGoals, 5000, 23, "石市双随机办〔2026〕1号");
        var county = Setting("130185", 2026, CountyGoals, 200, 18, "鹿双随机办〔2026〕2号");
        var resolved = GoalRules.Resolve("130185", 2026, [city, county]);
        Assert.Equal(new ResolvedGoals(CountyGoals, 200, 18, "鹿双随机办〔2026〕2号", "130185"), resolved);
        // A neighbouring county's setting is not inherited.
        Assert.Equal("130100", GoalRules.Resolve("130102", 2026, [city, county]).SetForRegion);
    }

    [Fact]
    public void Deciding_goals_records_them_under_the_region_and_year()
    {
        var decision = GoalRules.Decide(new SetGoals(CityGoals, 5000, 23, "  石市双随机办〔2026〕1号 ", " 年度目标 "), "130100", 2026, null, Admin);
        var set = Assert.IsType<GoalsSet>(Assert.Single(decision.Events));
        Assert.Equal(new GoalsSet(GoalSetting.IdFor("130100", 2026), "130100", 2026, CityGoals, 5000, 23, "石市双随机办〔2026〕1号", "年度目标", Admin), set);
        Assert.NotEqual(GoalSetting.IdFor("130100", 2026), GoalSetting.IdFor("130100", 2025));

        // 0 and 100 are percentages; so is null (no goal).
        var edges = new DashboardGoals(0m, 100m, null, 0m, 100m, 100m, 100m);
        Assert.False(GoalRules.Decide(new SetGoals(edges, 0, 1, "s", "r"), "130185", 2026, null, Admin).IsRejected);
        Assert.False(GoalRules.Decide(new SetGoals(edges, null, 28, "s", "r"), "130185", 2026, null, Admin).IsRejected);
    }

    [Fact]
    public void Deciding_goals_rejects_percentages_outside_0_to_100_and_other_invalid_input()
    {
        var bad = new DashboardGoals(100.01m, -1m, 50m, 101m, 90m, 90m, -0.5m);
        var decision = GoalRules.Decide(new SetGoals(bad, -1, 29, "", " "), "13018", 2014, null, Admin);
        Assert.True(decision.IsRejected);
        Assert.Empty(decision.Events);
        Assert.Equal(
        [
            ("regionCode", "region.code"),
            ("year", "goals.year"),
            ("goals.jointInspectionShare", "goals.percentage"),
            ("goals.jointEntityShare", "goals.percentage"),
            ("goals.coverage", "goals.percentage"),
            ("goals.backFilledOnTimeShare", "goals.percentage"),
            ("monthlyReportDueDay", "goals.due-day"),
            ("registeredEnterprises", "goals.registered-enterprises"),
            ("source", "source.required"),
            ("reason", "reason.required"),
        ], decision.Errors.Select(e => (e.Field, e.Rule)));
        Assert.All(decision.Errors, e => Assert.Equal(ErrorKind.Invalid, e.Kind));

        var none = GoalRules.Decide(new SetGoals(null, null, 0, "s", "r"), "130185", 2101, null, Admin);
        Assert.Equal(["goals.year", "goals.required", "goals.due-day"], none.Errors.Select(e => e.Rule));
    }

    [Fact]
    public void Each_goals_set_is_a_new_revision_of_the_setting()
    {
        var first = new GoalsSet(GoalSetting.IdFor("130185", 2026), "130185", 2026, CityGoals, 200, null, "鹿双随机办〔2026〕1号", "年初", Admin);
        var second = first with { Goals = CountyGoals, RegisteredEnterprises = 210, MonthlyReportDueDay = 18, Source = "鹿双随机办〔2026〕2号", Reason = "年中调整" };
        var state = GoalRules.Evolve(null, first);
        Assert.Equal(new GoalSetting(first.GoalSettingId, "130185", 2026, CityGoals, 200, null, "鹿双随机办〔2026〕1号", 1), state);
        state = GoalRules.Evolve(state, second);
        Assert.Equal(new GoalSetting(first.GoalSettingId, "130185", 2026, CountyGoals, 210, 18, "鹿双随机办〔2026〕2号", 2), state);
        Assert.Same(state, GoalRules.Evolve(state, "an unrelated event"));
        Assert.Equal(3, GoalRules.Evolve(state, first)!.Revision);
    }

    [Fact]
    public void Region_codes_nest_by_prefix()
    {
        Assert.Equal(["130185", "130100", "130000"], RegionCodes.SelfAndAncestors("130185"));
        Assert.True(RegionCodes.Within("130185", "130100"));
        Assert.True(RegionCodes.Within("130185", "130185"));
        Assert.False(RegionCodes.Within("130102", "130185"));
        Assert.False(RegionCodes.Within("130100", "130185"));
        Assert.Empty(RegionCodes.SelfAndAncestors("abc"));
    }
}
