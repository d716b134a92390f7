using Supervision.Api.Draws;
using Supervision.Api.Inspections;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Inspections;

/// <summary>Issue 16: 回避 once results are entered (<see cref="RecusalAfterResults"/>).</summary>
public sealed class RecusalAfterResultsTests(March2026App app) : IClassFixture<March2026App>
{
    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task A_recusal_after_results_is_refused_unless_the_approver_decides_on_them_and_then_the_results_are_rechecked()
    {
        var scenario = await new InspectionScenario(app, "XT-RECUSE", "130522", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 5)) await scenario.Inspector($"RC-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 17000);
        var (plan, task) = await scenario.ApprovedPlan("XT-RECUSE-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];
        var @case = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var recused = @case.Team[0];
        var remaining = @case.Team[1];
        var member = scenario.ClientOf(recused.StaffCode);
        var matter = InspectionMatter.IdFor("XT-RECUSE-SP");
        @case = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 5), @case.Version))).ReadAs<InspectionCase>();
        @case = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], @case.Version))).ReadAs<InspectionCase>();
        @case = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "no-problem", null, null, null, null, @case.Version))).ReadAs<InspectionCase>();

        // The attack: a recusal that would quietly leave an interested inspector's result standing. Refused, nothing written.
        var drawNow = await (await scenario.Planner.GetAsync($"/api/draws/{draw.Id}")).ReadAs<DrawView>();
        var refused = await (await scenario.Approver.PostJson($"/api/draws/{draw.Id}/recusals",
            new RecuseInspector(@case.TargetId, recused.InspectorId, "检查人员系该企业股东近亲属", drawNow.Version))).ReadNodeAs(409);
        Assert.Equal("recusal.after-results", Rule(refused));
        Assert.Equal("resultsDisposition", refused["violations"]![0]!["field"]!.GetValue<string>());
        var blank = await (await scenario.Approver.PostJson($"/api/draws/{draw.Id}/recusals",
            new RecuseInspector(@case.TargetId, recused.InspectorId, "检查人员系该企业股东近亲属", drawNow.Version, "   "))).ReadNodeAs(409);
        Assert.Equal("recusal.after-results", Rule(blank));
        var unchanged = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        Assert.Equal(@case.Version, unchanged.Version);
        Assert.Contains(unchanged.Team, m => m.InspectorId == recused.InspectorId);
        Assert.Equal(drawNow.Version, (await (await scenario.Planner.GetAsync($"/api/draws/{draw.Id}")).ReadAs<DrawView>()).Version);

        // The allowed path: the approver decides on the entered results; the recused inspector's result is flagged for re-check.
        await (await scenario.Approver.PostJson($"/api/draws/{draw.Id}/recusals",
            new RecuseInspector(@case.TargetId, recused.InspectorId, "检查人员系该企业股东近亲属", drawNow.Version, "该检查人员录入的结果由其余检查人员复核后重新录入"))).ShouldHaveStatus(200);
        @case = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        Assert.DoesNotContain(@case.Team, m => m.InspectorId == recused.InspectorId);
        var flagged = Assert.Single(@case.ResultsToRecheck);
        Assert.Equal((scenario.Department, matter), (flagged.DepartmentId, flagged.MatterId));
        Assert.True(Identity.Same(recused.StaffCode, flagged.EnteredBy));
        await using (var session = app.Store.QuerySession())
        {
            var change = (await session.Events.FetchStreamAsync(caseId)).Select(e => e.Data).OfType<CaseTeamChanged>().Single();
            Assert.Equal("该检查人员录入的结果由其余检查人员复核后重新录入", change.ResultsDisposition);
            Assert.Equal([flagged], change.ResultsToRecheck!);
        }

        // The recused inspector is off the team; the remaining member cannot submit the flagged result as it stands.
        await (await member.PostJson($"/api/cases/{caseId}/results", new EnterResult(matter, "no-problem", null, null, null, null, @case.Version))).ShouldHaveStatus(403);
        var colleague = scenario.ClientOf(remaining.StaffCode);
        Assert.Equal("results.recheck-pending", Rule(await (await colleague.PostJson($"/api/cases/{caseId}/submit",
            new SubmitResults(scenario.Department, @case.Version))).ReadNodeAs(409)));

        // Entered again by a remaining member, the result is checked; the results go on as usual.
        @case = await (await colleague.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-rectified", null, "复核发现索证索票不全，已当场改正", "责令改正", null, @case.Version))).ReadAs<InspectionCase>();
        Assert.Empty(@case.ResultsToRecheck);
        await (await colleague.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, @case.Version))).ShouldHaveStatus(200);
    }
}
