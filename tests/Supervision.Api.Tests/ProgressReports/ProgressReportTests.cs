using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Infrastructure;
using Supervision.Api.ProgressReports;
using Supervision.Api.Tests.Inspections;
using Supervision.Api.Tests.Integrity;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.Tests.ProgressReports;

/// <summary>
/// Quarterly progress reports and the annual summary (工作总结) through HTTP: the seeds' due dates, reminders before the due day,
/// the late flag, corrections with a reason, the status view, and who may file and read.
/// </summary>
public sealed class ProgressReportTests
{
    private static DateTimeOffset China(int year, int month, int day) => new(year, month, day, 10, 0, 0, TimeSpan.FromHours(8));
    private static DateOnly D(int year, int month, int day) => new(year, month, day);
    private static string Rule(JsonNode problem, int i = 0) => problem["violations"]![i]!["rule"]!.GetValue<string>();
    private static IEnumerable<string> Fields(JsonNode problem) => problem["violations"]!.AsArray().Select(v => v!["field"]!.GetValue<string>());

    private static ProgressReportText Text(string progress = "一季度完成抽查任务2项，联合抽查1次。") =>
        new(progress, 6, 2, ["部分检查结果录入不及时"], ["二季度完成食品经营者抽查", "开展回访"], ["一业一查"]);

    private static async Task Regions(HttpClient admin, params (string Code, string Name)[] regions)
    {
        foreach (var (code, name) in regions) Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
    }

    private static async Task<Guid> Department(HttpClient admin, string code, string name, DepartmentKind kind, string region)
    {
        await (await admin.PostJson("/api/departments", new RegisterDepartment(code, name, kind, region, null))).ShouldHaveStatus(201);
        return Supervision.Domain.Organization.Department.IdFor(code);
    }

    /// <summary>The read models refolded from the events by the one-pass rebuild are the rows the inline projections wrote.</summary>
    private static async Task AssertRebuildEqualsInline(ClockedApp app)
    {
        var inline = await ReadModelTables.TakeAsync(app);
        var report = await ReadModelRebuild.RunAsync(app.Store, app.Services.GetRequiredService<SupervisionSettings>(),
            [typeof(ProgressReportFilingProjection), typeof(ProgressReportScheduleProjection)], CancellationToken.None);
        Assert.NotNull(report);
        ReadModelTables.AssertSame(inline, await ReadModelTables.TakeAsync(app));
    }

    [Fact]
    public async Task The_seed_due_dates_are_in_force_and_a_region_loads_its_own_with_its_source_and_reason()
    {
        var clock = new FakeTimeProvider(China(2026, 3, 1));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var admin = app.ClientFor("admin-pr", Roles.SystemAdmin);
        var planner = app.ClientFor("planner-pr", Roles.Planner, Guid.NewGuid());

        // 石鹿市监〔2026〕6号 四: 3月23日、6月22日、9月25日、12月21日; the December one is the year's summary.
        var luquan = await (await planner.GetAsync("/api/reports/progress/schedules/130110/2026")).ReadAs<ResolvedProgressReportSchedule>();
        Assert.Equal([D(2026, 3, 23), D(2026, 6, 22), D(2026, 9, 25), D(2026, 12, 21)], luquan.DueDates.Select(d => d.DueOn));
        Assert.Equal(["2026-Q1", "2026-Q2", "2026-Q3", "2026"], luquan.DueDates.Select(d => d.Period));
        Assert.Equal([.. Enumerable.Repeat(ProgressReportKind.QuarterlyProgress, 3), ProgressReportKind.AnnualSummary], luquan.DueDates.Select(d => d.Kind));
        Assert.Equal(("石鹿市监〔2026〕6号 四", "130110", true), (luquan.Source, luquan.SetForRegion, luquan.Shipped));

        // 邢双随机办〔2022〕1号 四: 4月6日、7月2日、10月8日、12月23日, binding 邢台's counties (here 130529) through the city.
        var xingtai = await (await planner.GetAsync("/api/reports/progress/schedules/130529/2022")).ReadAs<ResolvedProgressReportSchedule>();
        Assert.Equal([D(2022, 4, 6), D(2022, 7, 2), D(2022, 10, 8), D(2022, 12, 23)], xingtai.DueDates.Select(d => d.DueOn));
        Assert.Equal((ProgressReportKind.AnnualSummary, "2022"), (xingtai.DueDates[3].Kind, xingtai.DueDates[3].Period));
        Assert.Equal(("邢双随机办〔2022〕1号 四", "130500"), (xingtai.Source, xingtai.SetForRegion));
        Assert.Equal("progress.schedule.none", Rule(await (await planner.GetAsync("/api/reports/progress/schedules/130110/2027")).ReadNodeAs(404)));

        // Loading a year: only an administrator; every bad entry named by field and rule; source and reason required.
        var dates = new List<ProgressReportDueInput?>
        {
            new(D(2027, 3, 22), ProgressReportKind.QuarterlyProgress), new(D(2027, 6, 21), ProgressReportKind.QuarterlyProgress),
            new(D(2027, 9, 24), ProgressReportKind.QuarterlyProgress), new(D(2027, 12, 20), ProgressReportKind.AnnualSummary),
        };
        const string url = "/api/reports/progress/schedules/130110/2027";
        await (await planner.PutAsJsonAsync(url, new SetProgressReportSchedule(dates, "石鹿市监〔2027〕2号 四", "2027年实施方案印发"), HttpExtensions.Json)).ShouldHaveStatus(403);
        var bad = new List<ProgressReportDueInput?> { new(D(2027, 12, 20), ProgressReportKind.AnnualSummary), new(D(2028, 1, 5), ProgressReportKind.QuarterlyProgress) };
        var problem = await (await admin.PutAsJsonAsync(url, new SetProgressReportSchedule(bad, "", ""), HttpExtensions.Json)).ReadNodeAs(400);
        Assert.Equal(["dueDates[0].kind", "dueDates[1].dueOn", "source", "reason"], Fields(problem));
        Assert.Equal("progress.schedule.summary-last", Rule(problem));
        var loaded = await (await admin.PutAsJsonAsync(url, new SetProgressReportSchedule(dates, "石鹿市监〔2027〕2号 四", "2027年实施方案印发"), HttpExtensions.Json))
            .ReadAs<ProgressReportSchedule>();
        Assert.Equal((1, "2027年实施方案印发"), (loaded.Revision, loaded.Reason));
        var resolved = await (await planner.GetAsync(url)).ReadAs<ResolvedProgressReportSchedule>();
        Assert.Equal(("石鹿市监〔2027〕2号 四", false, D(2027, 12, 20)), (resolved.Source, resolved.Shipped, resolved.DueDates[3].DueOn));
        await AssertRebuildEqualsInline(app);
    }

    [Fact]
    public async Task Units_are_reminded_before_the_due_day_flagged_late_after_it_correct_with_a_reason_and_are_seen_only_by_themselves_and_their_superiors()
    {
        var clock = new FakeTimeProvider(China(2026, 3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var admin = app.ClientFor("admin-lq", Roles.SystemAdmin);
        await Regions(admin, ("130000", "河北省"), ("130100", "石家庄市"), ("130110", "鹿泉区"), ("130111", "栾城区"));
        // 鹿泉's office (its market regulation department), two of its departments, the city above, and a neighbouring district's office.
        var office = await Department(admin, "LQ-SCJG", "鹿泉区市场监督管理局", DepartmentKind.MarketRegulation, "130110");
        var commerce = await Department(admin, "LQ-SW", "鹿泉区商务局", DepartmentKind.Commerce, "130110");
        var peer = await Department(admin, "LQ-ZJ", "鹿泉区住建局", DepartmentKind.Other, "130110");
        var city = await Department(admin, "SJZ-SCJG", "石家庄市市场监督管理局", DepartmentKind.MarketRegulation, "130100");
        var neighbour = await Department(admin, "LC-SCJG", "栾城区市场监督管理局", DepartmentKind.MarketRegulation, "130111");
        var commercePlanner = app.ClientFor("planner-lq-sw", Roles.Planner, commerce);
        var peerPlanner = app.ClientFor("planner-lq-zj", Roles.Planner, peer);
        var officePlanner = app.ClientFor("planner-lq-scjg", Roles.Planner, office);
        var neighbourPlanner = app.ClientFor("planner-lc", Roles.Planner, neighbour);
        var cityAuditor = app.ClientFor("auditor-sjz", Roles.Auditor, city);
        const string filings = "/api/reports/progress/filings";

        // 13 days before 23 March: nothing. Five days before: every 鹿泉 department once, however often the sweep runs; the
        // neighbouring district and the city owe nothing under 鹿泉's document.
        Assert.Equal(new ProgressReportSweep(0, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2026, 3, 10), CancellationToken.None));
        Assert.Equal(new ProgressReportSweep(3, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2026, 3, 18), CancellationToken.None));
        Assert.Equal(new ProgressReportSweep(0, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2026, 3, 20), CancellationToken.None));

        // Filing: the text is checked field by field; the annual summary is not open in March; a department files only its own report.
        clock.SetUtcNow(China(2026, 3, 20));
        var problem = await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text() with { NextSteps = [], TasksCompleted = 9 })))
            .ReadNodeAs(400);
        Assert.Equal(["report.tasksCompleted", "report.nextSteps"], Fields(problem));
        Assert.Equal("progress.not-open", Rule(await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 4, Text()))).ReadNodeAs(400)));
        Assert.Equal("progress.due.unknown", Rule(await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 5, Text()))).ReadNodeAs(404)));
        await (await commercePlanner.PostJson(filings, new FileProgressReport(peer, 2026, 1, Text()))).ShouldHaveStatus(403);
        await (await officePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text()))).ShouldHaveStatus(403);
        await (await app.ClientFor("inspector-lq-sw", Roles.Inspector, commerce).PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text()))).ShouldHaveStatus(403);

        var filed = await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text()))).ReadAs<ProgressReportFiling>();
        Assert.Equal((1, (DateOnly?)D(2026, 3, 20), false, D(2026, 3, 23), "2026-Q1"), (filed.Revision, filed.FiledOn, filed.Late, filed.DueOn, filed.Period));
        Assert.Matches("^[0-9a-f]{64}$", filed.ContentSha256);
        var content = JsonNode.Parse(filed.Revisions[0].Content)!;
        Assert.Equal("石鹿市监〔2026〕6号 四", content["ScheduleSource"]!.GetValue<string>());
        Assert.Equal(0, content["Figures"]!["Inspections"]!.GetValue<int>()); // counted from the dashboards, not typed
        Assert.Equal("部分检查结果录入不及时", content["Text"]!["Problems"]![0]!.GetValue<string>());

        // Filing again is a correction: refused without a reason; the same content records nothing; new content is revision 2, chained.
        Assert.Equal("progress.correction.reason", Rule(await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text()))).ReadNodeAs(400)));
        var same = await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text(), "核对"))).ReadAs<ProgressReportFiling>();
        Assert.Equal((1, filed.ContentSha256), (same.Revision, same.ContentSha256));
        clock.SetUtcNow(China(2026, 3, 25));
        var corrected = await (await commercePlanner.PostJson(filings, new FileProgressReport(commerce, 2026, 1, Text("一季度完成抽查任务3项。"), "漏报一项任务")))
            .ReadAs<ProgressReportFiling>();
        Assert.Equal((2, (DateOnly?)D(2026, 3, 20), (DateOnly?)D(2026, 3, 25), false), (corrected.Revision, corrected.FiledOn, corrected.CorrectedOn, corrected.Late));
        Assert.Equal(ProgressReportRules.Chain(filed.ChainSha256, corrected.ContentSha256!), corrected.ChainSha256);
        Assert.Equal("漏报一项任务", corrected.Revisions[1].Reason);

        // The day after the due day the two departments that did not file are flagged late, once.
        Assert.Equal(new ProgressReportSweep(0, 2), await ProgressReportReminders.SweepAsync(app.Store, D(2026, 3, 24), CancellationToken.None));
        Assert.Equal(new ProgressReportSweep(0, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2026, 3, 26), CancellationToken.None));
        // One of them files after the due day: filed, and late.
        var late = await (await peerPlanner.PostJson(filings, new FileProgressReport(peer, 2026, 1, Text()))).ReadAs<ProgressReportFiling>();
        Assert.Equal((true, ProgressReportLateness.NotFiledByDueDay, (DateOnly?)D(2026, 3, 24)), (late.Late, late.FlaggedLate, late.FlaggedLateOn));

        // The status view: the office sees its region's units, each with its standing for report 1.
        var status = await (await officePlanner.GetAsync("/api/reports/progress/status?year=2026&number=1")).ReadAs<List<ProgressReportStatus>>();
        Assert.Equal([office, commerce, peer], status.Select(s => s.DepartmentId).OrderBy(id => id == office ? 0 : id == commerce ? 1 : 2));
        var byUnit = status.ToDictionary(s => s.DepartmentId);
        Assert.Equal((ProgressReportState.Late, true, (DateOnly?)null), (byUnit[office].State, byUnit[office].Late, byUnit[office].FiledOn));
        Assert.Equal((ProgressReportState.Corrected, false, 2), (byUnit[commerce].State, byUnit[commerce].Late, byUnit[commerce].Revision));
        Assert.Equal((ProgressReportState.Filed, true, (DateOnly?)D(2026, 3, 25)), (byUnit[peer].State, byUnit[peer].Late, byUnit[peer].FiledOn));
        Assert.Equal([D(2026, 3, 18)], byUnit[office].RemindedOn);
        Assert.Equal((D(2026, 3, 23), -2), (byUnit[office].DueOn, byUnit[office].DaysToDue));
        Assert.Equal([office], (await (await officePlanner.GetAsync("/api/reports/progress/status?year=2026&number=1&state=Late")).ReadAs<List<ProgressReportStatus>>())
            .Select(s => s.DepartmentId));
        // The whole year: three units, four reports each; the rest are still due.
        var year = await (await officePlanner.GetAsync("/api/reports/progress/status?year=2026")).ReadAs<List<ProgressReportStatus>>();
        Assert.Equal(12, year.Count);
        Assert.Equal(9, year.Count(s => s.State == ProgressReportState.Due));
        // The city's auditor above sees them too; a department sees only its own; the neighbouring district's office sees none.
        Assert.Equal(3, (await (await cityAuditor.GetAsync("/api/reports/progress/status?year=2026&number=1")).ReadAs<List<ProgressReportStatus>>()).Count);
        Assert.Equal([commerce], (await (await commercePlanner.GetAsync("/api/reports/progress/status?year=2026&number=1")).ReadAs<List<ProgressReportStatus>>())
            .Select(s => s.DepartmentId));
        Assert.Empty(await (await neighbourPlanner.GetAsync("/api/reports/progress/status?year=2026&regionCode=130110")).ReadAs<List<ProgressReportStatus>>());

        // The content: the unit, its office and the auditor above read it (chain intact); another department of the region and the
        // neighbouring office get 404, as for a report that does not exist.
        var url = $"/api/reports/progress/filings/{corrected.Id}";
        foreach (var reader in new[] { commercePlanner, officePlanner, cityAuditor })
        {
            var answer = await (await reader.GetAsync(url)).ReadAs<ProgressReportFilingAnswer>();
            Assert.True(answer.ChainIntact);
            Assert.Equal(2, answer.Filing.Revisions.Count);
        }
        await (await peerPlanner.GetAsync(url)).ShouldHaveStatus(404);
        await (await neighbourPlanner.GetAsync(url)).ShouldHaveStatus(404);
        await (await app.ClientFor("planner-nodept", Roles.Planner).GetAsync(url)).ShouldHaveStatus(404);
        await AssertRebuildEqualsInline(app);
    }

    [Fact]
    public async Task Xingtai_2022_units_are_reminded_before_each_seed_due_day_and_file_on_it_in_time()
    {
        var clock = new FakeTimeProvider(China(2022, 3, 31));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var scenario = await new InspectionScenario(app, "XT-PR", "130529", 2022).Setup();

        // 6 days before 6 April: not yet; 5 days before: reminded.
        Assert.Equal(new ProgressReportSweep(0, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2022, 3, 31), CancellationToken.None));
        Assert.Equal(new ProgressReportSweep(1, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2022, 4, 1), CancellationToken.None));
        // Filed on the due day itself: in time (…前 报送: by the end of that day, as the monthly report).
        clock.SetUtcNow(China(2022, 4, 6));
        var filed = await (await scenario.Planner.PostJson("/api/reports/progress/filings", new FileProgressReport(scenario.Department, 2022, 1, Text())))
            .ReadAs<ProgressReportFiling>();
        Assert.Equal((false, "2022-Q1", D(2022, 4, 6)), (filed.Late, filed.Period, filed.DueOn));
        Assert.Equal(new ProgressReportSweep(0, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2022, 4, 7), CancellationToken.None));
        // The next one, 2 July, is reminded from 27 June; the annual summary is due 23 December.
        Assert.Equal(new ProgressReportSweep(1, 0), await ProgressReportReminders.SweepAsync(app.Store, D(2022, 6, 27), CancellationToken.None));
        var status = await (await scenario.Planner.GetAsync("/api/reports/progress/status?year=2022")).ReadAs<List<ProgressReportStatus>>();
        Assert.Equal([ProgressReportState.Filed, ProgressReportState.Due, ProgressReportState.Due, ProgressReportState.Due], status.Select(s => s.State));
        Assert.Equal((ProgressReportKind.AnnualSummary, D(2022, 12, 23)), (status[3].Kind, status[3].DueOn));
        Assert.Equal([D(2022, 6, 27)], status[1].RemindedOn);

        // Bad input is a problem naming the field, never a 500.
        Assert.Equal(["year"], Fields(await (await scenario.Planner.GetAsync("/api/reports/progress/status")).ReadNodeAs(400)));
        Assert.Equal(400, (int)(await scenario.Planner.GetAsync("/api/reports/progress/status?year=2022&state=Overdue")).StatusCode);
        var admin = app.ClientFor("admin-xt-pr", Roles.SystemAdmin);
        var badKind = new StringContent("""{"dueDates":[{"dueOn":"2023-04-06","kind":"Monthly"}],"source":"邢双随机办〔2023〕1号","reason":"印发"}""",
            System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(400, (int)(await admin.PutAsync("/api/reports/progress/schedules/130500/2023", badKind)).StatusCode);
        // Report 2 without its text on 6 April: both named (the text is missing; report 2 opens on 7 April, after report 1's due day).
        Assert.Equal(["report", "number"], Fields(await (await scenario.Planner.PostJson("/api/reports/progress/filings",
            new FileProgressReport(scenario.Department, 2022, 2, null))).ReadNodeAs(400)));
    }
}
