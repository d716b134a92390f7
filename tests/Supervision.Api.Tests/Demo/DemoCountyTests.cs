using System.Net;
using Supervision.Api.Dashboards;
using Supervision.Api.Draws;
using Supervision.Api.Infrastructure;
using Supervision.Api.Inspections;
using Supervision.Api.Plans;
using Supervision.Demo;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Tests.Demo;

/// <summary>
/// Issue 15: <c>ops/demo.sh</c>'s loader, run against a fresh schema through HTTP. Every page it prints answers 200 with the
/// county's data; a second run writes nothing, and the event store, the directories and the plan list are as they were.
/// </summary>
public sealed class DemoCountyTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    /// <summary>The test host as the loader sees it: the test's tokens, and a clock moved past a witnessed moment instead of a wait.</summary>
    private sealed class TestHost(SupervisionApp app) : IDemoHost
    {
        public HttpClient ClientFor(DemoActor actor) => app.ClientFor(actor.UserId, actor.Role, actor.DepartmentId);
        public HttpClient Anonymous() => app.Anonymous();
        public DateTimeOffset Now => app.Now;

        public Task WaitUntilAsync(DateTimeOffset moment, CancellationToken ct)
        {
            if (moment >= app.Now) app.AdvanceClock(moment - app.Now + TimeSpan.FromSeconds(1));
            return Task.CompletedTask;
        }
    }

    private async Task<long> EventCount()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {app.Schema}.mt_events", connection);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_demo_county_loads_through_the_API_its_pages_answer_and_a_second_run_changes_nothing()
    {
        var host = new TestHost(app);
        var log = new StringWriter();
        var first = await new DemoCountyLoader(host, log).RunAsync();
        Assert.True(first.Writes > 0);
        Assert.True(first.SequenceAfter > first.SequenceBefore);
        Assert.Equal(DemoWorld.DrawnTargets, first.Cases.Count);

        // Every printed page answers 200 to whom it is printed for, with the county's data in it.
        foreach (var link in first.Links)
        {
            var client = link.ReadAs is { } actor ? host.ClientFor(actor) : app.Anonymous();
            var response = await client.GetAsync(link.Path);
            var body = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link.Title} {link.Path}: {(int)response.StatusCode} {body}");
            Assert.Contains(link.MustContain, body);
        }

        // What the pages stand on: the joint task drawn once, ten cases (eight inspected, one recusal), two problems, one correction.
        var planner = host.ClientFor(DemoCountyLoader.CountyPlanner);
        var plan = await (await planner.GetAsync($"/api/plans/{first.PlanId}")).ReadAs<Supervision.Domain.Plans.AnnualPlan>();
        Assert.Contains(plan.Tasks, t => t.Definition.IsJoint);
        var city = await (await host.ClientFor(DemoCountyLoader.CityPlanner).GetAsync($"/api/dashboards/regions/{DemoWorld.CityCode}?period={ChinaTime.DateOf(app.Now).Year}"))
            .ReadAs<RegionDashboard>();
        Assert.Equal((1, 8, 2, 8, 1), (city.Total.Draws, city.Total.EntitiesInspected, city.Total.EntitiesWithProblems, city.Total.ResultsPublished, city.Total.Recusals));
        var publicResults = await (await app.Anonymous().GetAsync($"/api/public/results?creditCode={first.ProblemCreditCode}")).ShouldHaveStatus(200);
        Assert.Contains("移送税务部门", await publicResults.Content.ReadAsStringAsync());

        var events = await EventCount();
        var second = await new DemoCountyLoader(host, log).RunAsync();
        Assert.True(second.Writes == 0, "The second run wrote: " + string.Join("; ", second.WriteRequests));
        Assert.Equal((first.SequenceAfter, first.SequenceAfter), (second.SequenceBefore, second.SequenceAfter));
        Assert.Equal(events, await EventCount());
        Assert.Equal((first.PlanId, first.DrawId), (second.PlanId, second.DrawId));
        Assert.Equal(first.Cases, second.Cases);

        // No duplicates: one plan of that name, one draw of it, the directory of the county exactly as generated.
        var plans = await (await planner.GetAsync($"/api/plans?year={plan.Year}")).ReadAs<PagedResult<PlanSummary>>();
        Assert.Single(plans.Items, p => p.Name == plan.Name);
        var draws = await (await planner.GetAsync($"/api/draws?planId={plan.Id}")).ReadAs<PagedResult<DrawView>>();
        Assert.Single(draws.Items);
        var targets = await (await planner.GetAsync($"/api/targets?regionCode={DemoWorld.CountyCode}&pageSize=1")).ReadAs<PagedResult<Target>>();
        Assert.Equal(DemoWorld.TargetCount, targets.Total);
        Assert.Contains("already loaded, nothing written", log.ToString());
    }
}
