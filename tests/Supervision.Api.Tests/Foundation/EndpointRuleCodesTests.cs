using Supervision.Domain.Dashboards;
using Supervision.Domain.Disclosure;
using Supervision.Domain.ProgressReports;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// Refusals decided in endpoints of several slices (who may read or file, what must exist, how much a body may hold), each
/// produced through HTTP against the real service and asserted by its rule code and status (issue 18: every rule code is named by a test).
/// </summary>
public sealed class EndpointRuleCodesTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static async Task<List<string>> Rules(HttpResponseMessage response, int status) =>
        (await response.ReadNodeAs(status))["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task The_matters_as_of_a_negative_sequence_number_are_refused()
    {
        var admin = app.ClientFor("admin-rc-asof", Roles.SystemAdmin);
        Assert.Equal(["as-of.sequence.range"], await Rules(await admin.GetAsync("/api/matters/as-of?sequence=-1"), 400));
        await (await admin.GetAsync("/api/matters/as-of?sequence=0")).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task A_result_of_a_case_that_does_not_exist_is_not_published()
    {
        var reviewer = app.ClientFor("reviewer-rc-case", Roles.Reviewer, Guid.NewGuid());
        var response = await reviewer.PostJson($"/api/cases/{Guid.NewGuid()}/publication", new PublishResult(null, null, null));
        Assert.Equal(["case.unknown"], await Rules(response, 404));
    }

    [Fact]
    public async Task An_inspector_import_over_10_MB_is_refused_naming_the_rule()
    {
        var department = Guid.NewGuid();
        var keeper = app.ClientFor("keeper-rc-csv", Roles.DirectoryKeeper, department);
        var body = new ByteArrayContent(new byte[10 * 1024 * 1024 + 1]) { Headers = { ContentType = new("text/csv") } };
        Assert.Equal(["csv.too-large"], await Rules(await keeper.PostAsync($"/api/inspectors/import?departmentId={department}", body), 400));
    }

    [Fact]
    public async Task A_department_neither_reads_nor_files_another_departments_figures()
    {
        // Two county market-regulation departments side by side: neither oversees the other.
        var mine = await new InspectionScenario(app, "RC-MINE", "130551").Setup();
        var theirs = await new InspectionScenario(app, "RC-THEIRS", "130552").Setup();

        Assert.Equal(["dashboard.not-yours"], await Rules(await mine.Planner.GetAsync($"/api/dashboards/departments/{theirs.Department}?period=2026"), 403));
        Assert.Equal(["dashboard.not-yours"], await Rules(await mine.Planner.GetAsync($"/api/dashboards/regions/{theirs.County}?period=2026"), 403));
        await (await mine.Planner.GetAsync($"/api/dashboards/departments/{mine.Department}?period=2026")).ShouldHaveStatus(200);

        Assert.Equal(["report.not-yours"], await Rules(await mine.Planner.PostJson("/api/reports/monthly/submissions",
            new SubmitMonthlyReport(theirs.County, null, "2026-03", null)), 403));

        var text = new ProgressReportText("按计划推进", 10, 5, [], ["完成剩余任务"]);
        Assert.Equal(["progress.not-yours"], await Rules(await mine.Planner.PostJson("/api/reports/progress/filings",
            new FileProgressReport(theirs.Department, 2026, 1, text)), 403));
    }

    [Fact]
    public async Task A_case_history_is_not_read_with_a_token_that_names_no_department()
    {
        var noDepartment = app.ClientFor("jj-rc-nodept", Roles.DisciplineInspector);
        Assert.Equal(["history.no-department"], await Rules(await noDepartment.GetAsync($"/api/history?id={Guid.NewGuid()}"), 403));
    }

    [Fact]
    public async Task A_revisit_whose_case_is_gone_is_not_corrected()
    {
        // A revisit stream whose case the store does not hold (as after a faulty migration): the correction cannot be checked against it.
        var revisitId = Guid.NewGuid();
        var department = Guid.NewGuid();
        var by = new Actor("reviewer-rc-revisit", "回访人", Roles.Reviewer, department);
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.StartStream<Revisit>(revisitId, new CaseRevisited(revisitId, Guid.NewGuid(), Guid.NewGuid(), department, new DateOnly(2026, 5, 6),
                "经营正常", RevisitVerdict.ResultStands, null, null, "抽查后回访", by));
            await session.SaveChangesAsync();
        }
        var reviewer = app.ClientFor(by.UserId, Roles.Reviewer, department);
        var correction = new CorrectRevisit(new DateOnly(2026, 5, 6), "经营正常", RevisitVerdict.ResultStands, null, "更正回访日期", 1);
        Assert.Equal(["revisit.unknown"], await Rules(await reviewer.PostJson($"/api/revisits/{revisitId}/corrections", correction), 404));
    }
}
