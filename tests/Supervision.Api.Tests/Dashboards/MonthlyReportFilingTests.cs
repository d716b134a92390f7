using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Dashboards;
using Supervision.Api.Tests.Harness;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;

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
