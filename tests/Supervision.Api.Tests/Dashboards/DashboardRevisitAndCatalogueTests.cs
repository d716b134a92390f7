using Supervision.Api.Dashboards;
using Supervision.Api.Inspections;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Tests.Dashboards;

/// <summary>
/// Issue 16 on the dashboards, through the HTTP API: "problem found" is the flag of each result's catalogue version (a province's own
/// version decides for the results recorded under it), and the revisits (随机抽查回访) appear as a count and the share that found a
/// problem the inspection missed, live (SQL rollups kept by triggers) and "as of" (replayed in memory) alike.
/// </summary>
public sealed class DashboardRevisitAndCatalogueTests(March2026App app) : IClassFixture<March2026App>
{
    [Fact]
    public async Task Problems_follow_each_results_catalogue_version_and_revisits_are_counted_with_their_missed_problem_share()
    {
        var scenario = await new InspectionScenario(app, "XT-DRC", "130534", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"DRC-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 18000);
        var (plan, task) = await scenario.ApprovedPlan("XT-DRC-SP", 20m);
        var draw = await scenario.Draw(plan, task);
        var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        Assert.True(cases.Count >= 3);
        var matter = InspectionMatter.IdFor("XT-DRC-SP");
        var reviewer = app.ClientFor("drc-reviewer", Roles.Reviewer, scenario.Department);

        async Task<InspectionCase> Inspect(Guid caseId, string code)
        {
            var c = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
            var member = scenario.ClientOf(c.Team[0].StaffCode);
            c = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), c.Version))).ReadAs<InspectionCase>();
            c = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], c.Version))).ReadAs<InspectionCase>();
            c = await (await member.PostJson($"/api/cases/{caseId}/results", new EnterResult(matter, code, null, code == "no-problem" ? null : "现场发现的问题",
                code == "no-problem" ? null : "责令改正", null, c.Version))).ReadAs<InspectionCase>();
            c = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, c.Version))).ReadAs<InspectionCase>();
            return await (await reviewer.PostJson($"/api/cases/{caseId}/review", new ReviewResults(scenario.Department, true, null, c.Version))).ReadAs<InspectionCase>();
        }

        // Under the national list: 发现问题已责令改正 records a problem.
        var rectifiedNational = await Inspect(cases[0], "problem-rectified");
        Assert.Equal("cn-2026.1", Assert.Single(Assert.Single(rectifiedNational.Departments).Results).CatalogueVersion);

        // 河北 loads its own version: a new result 发现轻微问题 that records a problem, and 已责令改正 counted as no problem.
        var admin = app.ClientFor("admin-drc", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("HB-SJ-DRC", "河北省市场监督管理局", DepartmentKind.MarketRegulation, "130000", null)))
            .StatusCode is 201 or 409);
        var entries = ResultCatalogue.National.Entries.Select(e => e.Code == "problem-rectified" ? e with { ProblemFound = false } : e)
            .Append(new CatalogueEntry("minor-defect", "发现轻微问题", ProblemFound: true)).ToList();
        var loaded = await (await app.ClientFor("hb-admin-drc", Roles.SystemAdmin, Department.IdFor("HB-SJ-DRC")).PostJson("/api/result-catalogue/versions",
            new LoadResultCatalogue("130000", entries, "冀市监函〔2026〕2号", "省级检查结果目录"))).ReadAs<ResultCatalogueView>();
        var minor = await Inspect(cases[1], "minor-defect");
        var rectifiedProvince = await Inspect(cases[2], "problem-rectified");
        Assert.Equal(loaded.Version, Assert.Single(Assert.Single(rectifiedProvince.Departments).Results).CatalogueVersion);

        // Revisits by a reviewer who did not inspect: one finds a problem the inspection missed, one finds the result stands; one in February.
        await (await reviewer.PostJson($"/api/cases/{rectifiedProvince.Id}/revisits",
            new RecordRevisit(new DateOnly(2026, 3, 20), "整改未落实", RevisitVerdict.ProblemMissed, "minor-defect", "回访发现问题未整改"))).ShouldHaveStatus(201);
        await (await reviewer.PostJson($"/api/cases/{minor.Id}/revisits",
            new RecordRevisit(new DateOnly(2026, 3, 21), "与检查结果一致", RevisitVerdict.ResultStands, null, "回访核实"))).ShouldHaveStatus(201);

        var auditor = app.ClientFor("drc-auditor", Roles.Auditor);
        var live = (await (await auditor.GetAsync($"/api/dashboards/departments/{scenario.Department}?period=2026-03&today=2026-03-31")).ReadAs<DepartmentDashboard>());
        var asOf = (await (await auditor.GetAsync($"/api/dashboards/departments/{scenario.Department}?period=2026-03&today=2026-03-31&sequence={live.AsOfSequence}"))
            .ReadAs<DepartmentDashboard>());
        var county = (await (await auditor.GetAsync("/api/dashboards/regions/130534?period=2026-03&today=2026-03-31")).ReadAs<RegionDashboard>()).Total;
        foreach (var d in new[] { live.Dashboard, asOf.Dashboard, county })
        {
            // The national 已责令改正 and the province's 发现轻微问题 are problems; the province's 已责令改正 is not.
            Assert.Equal((3, 2), (d.EntitiesInspected, d.EntitiesWithProblems));
            Assert.Equal((2, 1), (d.Revisits, d.RevisitsFindingMissedProblems));
            Assert.Equal(new ShareFigure("revisitMissedProblemShare", 1, 2, 50.00m, null, null), d.Shares.Single(s => s.Key == "revisitMissedProblemShare"));
        }
        var february = (await (await auditor.GetAsync($"/api/dashboards/departments/{scenario.Department}?period=2026-02&today=2026-03-31")).ReadAs<DepartmentDashboard>());
        Assert.Equal((0, 0), (february.Dashboard.Revisits, february.Dashboard.EntitiesInspected));

        // A correction of the revisit moves the figures at once (the correction is the revisit's new content).
        var revisits = await (await app.ClientFor("drc-planner", Roles.Planner, scenario.Department).GetAsync("/api/revisits/summary?from=2026-03-01&to=2026-03-31"))
            .ReadAs<Supervision.Api.Revisits.RevisitSummary>();
        Assert.Equal((2L, 1L), (revisits.Departments[0].Revisits, revisits.Departments[0].ProblemsMissed));
    }
}
