namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// Refusals made at the HTTP edge (query validation before any data is read), each asserted by its rule code in the problem's
/// <c>violations</c> (issue 18: every rule code is named by a test).
/// </summary>
public sealed class RuleCodesAtTheEdgeTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static async Task Refused(HttpResponseMessage response, params string[] rules)
    {
        var problem = await response.ReadNodeAs(400);
        var found = problem["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();
        Assert.All(rules, rule => Assert.Contains(rule, found));
    }

    [Fact]
    public async Task Dashboards_and_reports_refuse_a_malformed_period_month_format_moment_or_unit()
    {
        var admin = app.ClientFor("admin-edge", Roles.SystemAdmin, Guid.NewGuid());
        await Refused(await admin.GetAsync($"/api/dashboards/departments/{Guid.NewGuid()}?period=2026-13&sequence=-1&at=1999-01-01T00:00:00%2B08:00"),
            "period.format", "as-of.sequence", "as-of.at");
        await Refused(await admin.GetAsync("/api/reports/monthly?month=2026&format=pdf&regionCode=130500"), "month.format", "report.format", "report.county");
        await Refused(await admin.GetAsync("/api/reports/monthly?month=2026-03"), "report.unit");
        await Refused(await admin.GetAsync("/api/reports/progress/status?year=1999"), "progress.status.year");
        await Refused(await admin.GetAsync("/api/revisits/summary?from=2026-01-01"), "to.required");
    }

    [Fact]
    public async Task The_history_and_the_as_of_reads_refuse_what_they_cannot_answer()
    {
        var discipline = app.ClientFor("jj-edge", Roles.DisciplineInspector, Guid.NewGuid());
        await Refused(await discipline.GetAsync("/api/history?kind=gossip&format=pdf"), "history.subject", "history.kind", "history.format");
        await Refused(await discipline.GetAsync($"/api/as-of/nothing/{Guid.NewGuid()}?sequence=1"), "as-of.kind");
        await Refused(await discipline.GetAsync($"/api/as-of/case/{Guid.NewGuid()}"), "as-of.moment");
    }

    [Fact]
    public async Task Every_request_is_refused_a_page_past_the_last_a_NUL_in_the_query_and_an_unknown_rebuild_scope()
    {
        var admin = app.ClientFor("admin-edge-2", Roles.SystemAdmin);
        await Refused(await admin.GetAsync("/api/regions?page=100001"), "page.too-large");
        await Refused(await admin.GetAsync("/api/regions?name=a%00b"), "query.nul");
        await Refused(await admin.PostAsync("/api/admin/read-models/rebuild?scope=everything", null), "rebuild.scope");
    }
}
