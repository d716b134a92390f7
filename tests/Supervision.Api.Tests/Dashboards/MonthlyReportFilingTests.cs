using ClosedXML.Excel;
using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Dashboards;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Tests.Dashboards;

public sealed class MonthlyReportFilingTests
{
    private static DateTimeOffset China(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.FromHours(8));
    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task Units_are_reminded_before_and_after_the_due_day_until_they_file_and_a_refiling_is_a_correction_with_a_reason()
    {
        var clock = new FakeTimeProvider(China(4, 15));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var scenario = await new InspectionScenario(app, "XT-RF", "130529", 2026).Setup();
        var admin = app.ClientFor("admin-rf", Roles.SystemAdmin);
        await (await admin.PostJson("/api/departments", new RegisterDepartment("XT-RF-CITY", "市商务局", DepartmentKind.Commerce, "130500", null))).ShouldHaveStatus(201);
        var cityDepartment = Department.IdFor("XT-RF-CITY");
        var countyKey = MonthlyReportFiling.CountyKey("130529");
        var cityKey = MonthlyReportFiling.DepartmentKey(cityDepartment);
        var auditor = app.ClientFor("auditor-rf", Roles.Auditor);

        // In April the March reports fall due: by the 20th, as 石鹿市监〔2026〕6号 sets for 2026.
        var status = await (await auditor.GetAsync("/api/reports/monthly/status?regionCode=130500")).ReadAs<List<ReportStatus>>();
        Assert.Equal([countyKey, cityKey], status.Select(s => s.UnitKey).Order(StringComparer.Ordinal));
        Assert.All(status, s => Assert.Equal((new DateOnly(2026, 4, 20), 5, 3), (s.DueOn, s.DaysToDue, s.Month)));

        // Five days before: no reminder yet. Two days before: each unit once, however often the sweep runs (on however many nodes).
        Assert.Equal(0, await MonthlyReportReminders.SweepAsync(app.Store, new DateOnly(2026, 4, 15), CancellationToken.None));
        Assert.Equal(2, await MonthlyReportReminders.SweepAsync(app.Store, new DateOnly(2026, 4, 18), CancellationToken.None));
        Assert.Equal(0, await MonthlyReportReminders.SweepAsync(app.Store, new DateOnly(2026, 4, 18), CancellationToken.None));

        // April's report cannot be filed while April is still running.
        Assert.Equal("report.month.open", Rule(await (await scenario.Planner.PostJson("/api/reports/monthly/submissions",
            new SubmitMonthlyReport("130529", null, "2026-04", null))).ReadNodeAs(400)));

        // The county files on time; filing again is a correction: refused without a reason, and with the same figures nothing new is recorded.
        clock.SetUtcNow(China(4, 18));
        var filing = await (await scenario.Planner.PostJson("/api/reports/monthly/submissions", new SubmitMonthlyReport("130529", null, "2026-03", null)))
            .ReadAs<MonthlyReportFiling>();
        Assert.Equal((1, new DateOnly(2026, 4, 18), false), (filing.Revision, filing.SubmittedOn, filing.Late));
        Assert.Matches("^[0-9a-f]{64}$", filing.ContentSha256);
        Assert.Equal("report.resubmission.reason", Rule(await (await scenario.Planner.PostJson("/api/reports/monthly/submissions",
            new SubmitMonthlyReport("130529", null, "2026-03", null))).ReadNodeAs(400)));
        var again = await (await scenario.Planner.PostJson("/api/reports/monthly/submissions", new SubmitMonthlyReport("130529", null, "2026-03", "核对后重报")))
            .ReadAs<MonthlyReportFiling>();
        Assert.Equal((1, filing.ContentSha256), (again.Revision, again.ContentSha256));
        // A county's department may not file the city department's report.
        await (await scenario.Planner.PostJson("/api/reports/monthly/submissions", new SubmitMonthlyReport(null, cityDepartment, "2026-03", null))).ShouldHaveStatus(403);

        // After the due day the unit that has not filed is reminded once more, as late; the one that filed is left alone.
        Assert.Equal(1, await MonthlyReportReminders.SweepAsync(app.Store, new DateOnly(2026, 4, 21), CancellationToken.None));
        Assert.Equal(0, await MonthlyReportReminders.SweepAsync(app.Store, new DateOnly(2026, 4, 22), CancellationToken.None));
        clock.SetUtcNow(China(4, 22));
        var cityPlanner = app.ClientFor("planner-rf-city", Roles.Planner, cityDepartment);
        var late = await (await cityPlanner.PostJson("/api/reports/monthly/submissions", new SubmitMonthlyReport(null, cityDepartment, "2026-03", null)))
            .ReadAs<MonthlyReportFiling>();
        Assert.True(late.Late);
        status = await (await auditor.GetAsync("/api/reports/monthly/status?regionCode=130500&month=2026-03")).ReadAs<List<ReportStatus>>();
        var city = status.Single(s => s.UnitKey == cityKey);
        Assert.Equal([new DateOnly(2026, 4, 18), new DateOnly(2026, 4, 21)], city.RemindedOn);
        Assert.Equal((true, -2), (city.Late, city.DaysToDue));
        Assert.Equal([new DateOnly(2026, 4, 18)], status.Single(s => s.UnitKey == countyKey).RemindedOn);
    }
}

public sealed class MonthlyReportDeploymentTests
{
    private static DateTimeOffset China(int month, int day) => new(2026, month, day, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task Section_one_is_filed_with_the_report_validated_by_field_hashed_corrected_with_a_reason_and_laid_out_in_every_format()
    {
        var clock = new FakeTimeProvider(China(4, 18));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var scenario = await new InspectionScenario(app, "XT-RD", "130529", 2026).Setup();
        const string submissions = "/api/reports/monthly/submissions";
        const string reportUrl = "/api/reports/monthly?regionCode=130529&month=2026-03";
        var deployment = new ReportDeployment([new("全县双随机工作部署会", new DateOnly(2026, 3, 10))], [new("关于开展2026年双随机抽查的通知", "鹿市监〔2026〕3号")],
            [new("县市场监管局", 2, 60, "双随机业务培训班", "抽查系统操作")]);

        // Bad entries are refused naming the field and rule: a meeting outside the month, a training with nobody trained.
        var bad = deployment with { Meetings = [new("部署会", new DateOnly(2026, 4, 2))], Trainings = [new("县市场监管局", 1, 0)] };
        var problem = await (await scenario.Planner.PostJson(submissions, new SubmitMonthlyReport("130529", null, "2026-03", null, bad))).ReadNodeAs(400);
        Assert.Equal(["deployment.meetings[0].heldOn", "deployment.trainings[0].people"],
            problem["violations"]!.AsArray().Select(v => v!["field"]!.GetValue<string>()));
        Assert.Equal("report.deployment.meeting.month", problem["violations"]![0]!["rule"]!.GetValue<string>());

        // Filed: section 一 is in the frozen content, so it changes the hash.
        var filed = await (await scenario.Planner.PostJson(submissions, new SubmitMonthlyReport("130529", null, "2026-03", null, deployment))).ReadAs<MonthlyReportFiling>();
        Assert.Equal(1, filed.Revision);
        var report = await (await scenario.Planner.GetAsync(reportUrl)).ReadAs<MonthlyReport>();
        Assert.Equal(deployment.Meetings, report.Deployment!.Meetings);
        Assert.Equal(deployment.Documents, report.Deployment.Documents);
        Assert.Equal(deployment.Trainings, report.Deployment.Trainings);

        // CSV: the form's order — 一 (items 1, 2, 3 with their entries), then 二.
        var csv = System.Text.Encoding.UTF8.GetString(await (await scenario.Planner.GetAsync(reportUrl + "&format=csv")).Content.ReadAsByteArrayAsync());
        var order = new[] { "一、全县“双随机、一公开”监管工作安排部署情况", "召开会议部署全县双随机工作", ",,全县双随机工作部署会,2026-03-10", "有关全县双随机工作文件",
            ",,关于开展2026年双随机抽查的通知,鹿市监〔2026〕3号", "全县各部门组织业务培训", ",,县市场监管局,2,60,双随机业务培训班,抽查系统操作", "二、县本级" };
        var at = order.Select(text => csv.IndexOf(text, StringComparison.Ordinal)).ToList();
        Assert.All(at, i => Assert.True(i >= 0, csv));
        Assert.Equal(at.Order(), at);

        // XLSX: the same rows; the training's counts are numbers.
        using (var workbook = new XLWorkbook(new MemoryStream(await (await scenario.Planner.GetAsync(reportUrl + "&format=xlsx")).Content.ReadAsByteArrayAsync())))
        {
            var rows = workbook.Worksheet(1).RowsUsed().ToList();
            var heading = rows.FindIndex(r => r.Cell(1).GetString() == "一、全县“双随机、一公开”监管工作安排部署情况");
            var training = rows.FindIndex(r => r.Cell(3).GetString() == "县市场监管局");
            var meeting = rows.FindIndex(r => r.Cell(3).GetString() == "全县双随机工作部署会");
            Assert.True(heading >= 0 && heading < meeting && meeting < training);
            Assert.Equal((2, 60), (rows[training].Cell(4).GetValue<int>(), rows[training].Cell(5).GetValue<int>()));
            Assert.Equal("鹿市监〔2026〕3号", rows.Single(r => r.Cell(3).GetString() == "关于开展2026年双随机抽查的通知").Cell(4).GetString());
        }

        // Changing section 一 is a correction: refused without a reason; with one, a new revision with a new hash.
        var changed = deployment with { Documents = [.. deployment.Documents!, new("关于做好抽查结果公示的通知", "鹿市监〔2026〕5号")] };
        Assert.Equal("report.resubmission.reason", (await (await scenario.Planner.PostJson(submissions,
            new SubmitMonthlyReport("130529", null, "2026-03", null, changed))).ReadNodeAs(400))["violations"]![0]!["rule"]!.GetValue<string>());
        var corrected = await (await scenario.Planner.PostJson(submissions, new SubmitMonthlyReport("130529", null, "2026-03", "漏报一份文件", changed)))
            .ReadAs<MonthlyReportFiling>();
        Assert.Equal(2, corrected.Revision);
        Assert.NotEqual(filed.ContentSha256, corrected.ContentSha256);
        Assert.Equal(2, (await (await scenario.Planner.GetAsync(reportUrl)).ReadAs<MonthlyReport>()).Deployment!.Documents!.Count);
        // A correction that leaves section 一 out keeps what was filed: the same content, nothing new recorded.
        var kept = await (await scenario.Planner.PostJson(submissions, new SubmitMonthlyReport("130529", null, "2026-03", "核对", null))).ReadAs<MonthlyReportFiling>();
        Assert.Equal((2, corrected.ContentSha256), (kept.Revision, kept.ContentSha256));
        // Another county's planner may not file (and so may not write section 一 of) this county's report.
        var stranger = app.ClientFor("planner-rd-other", Roles.Planner, Guid.NewGuid());
        Assert.True((int)(await stranger.PostJson(submissions, new SubmitMonthlyReport("130529", null, "2026-03", "篡改", deployment))).StatusCode is 403);
    }
}
