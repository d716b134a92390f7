using Supervision.Api.Plans;
using Supervision.Api.Tests.Harness;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.ReadReplica;

/// <summary>
/// The host reading from the hot standby of ops/replica.sh, with a lag bound of one second and freshness measured every
/// 100 ms, so a stopped replay is noticed within a test's patience. Boots only when a replica is there (see <see cref="ReplicaFactAttribute"/>).
/// </summary>
public sealed class ReplicaApp : SupervisionApp
{
    public const int MaxLagMilliseconds = 1000;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("ConnectionStrings:SupervisionReplica", TestReplica.ConnectionString),
        new("Supervision:ReplicaMaxLagMilliseconds", MaxLagMilliseconds.ToString()),
        new("Supervision:ReplicaHealthCacheMilliseconds", "100"),
    ];

    public override async Task InitializeAsync()
    {
        if (TestReplica.ConnectionString is null) return;
        // A run interrupted during the lag test may have left replay paused.
        await TestReplica.ResumeReplayAsync();
        await base.InitializeAsync();
    }
}

public sealed class ReadReplicaTests(ReplicaApp app) : IClassFixture<ReplicaApp>
{
    private static async Task<AnnualPlan> PublishPlan(InspectionScenario scenario, string matterCode)
    {
        var (plan, _) = await scenario.ApprovedPlan(matterCode);
        return await (await scenario.Approver.PostJson($"/api/plans/{plan.Id}/publish", new PublishPlan(new DateOnly(2027, 2, 10), plan.Version))).ReadAs<AnnualPlan>();
    }

    [ReplicaFact]
    public async Task Public_reads_dashboards_and_reports_come_from_the_replica_once_it_has_replayed_the_write_and_say_how_fresh()
    {
        _ = TestReplica.Required;
        var scenario = await new InspectionScenario(app, "RR-FRESH", "130521").Setup();
        var plan = await PublishPlan(scenario, "RR-FRESH-M1");
        await TestReplica.WaitUntilReplayedAsync(await TestReplica.PrimaryPositionAsync());

        var response = await app.Anonymous().GetAsync($"/api/public/plans/{plan.Id}");
        var published = await response.ReadAs<PublicPlan>();
        Assert.Equal((plan.Number, "2027年度计划"), (published.Number, published.Name));
        var read = ReadProvenance.Of(response);
        Assert.Equal(("replica", "fresh"), (read.Source, read.State));
        Assert.InRange(read.LagMilliseconds!.Value, 0, ReplicaApp.MaxLagMilliseconds);
        Assert.InRange(read.DataAsOf, DateTimeOffset.UtcNow.AddMilliseconds(-ReplicaApp.MaxLagMilliseconds - 1000), DateTimeOffset.UtcNow.AddSeconds(1));

        // The listing, the public page, the checkpoints, a dashboard and a report: every routed read says where it was read.
        var listing = await app.Anonymous().GetAsync("/api/public/plans?year=2027");
        Assert.Contains(await listing.ReadAs<List<PublicPlan>>(), p => p.Id == plan.Id);
        var page = await app.Anonymous().GetAsync($"/public/plans/{plan.Id}");
        Assert.Contains(plan.Number, await (await page.ShouldHaveStatus(200)).Content.ReadAsStringAsync());
        var checkpoints = await app.Anonymous().GetAsync("/api/public/integrity/checkpoints");
        await checkpoints.ShouldHaveStatus(200);
        var dashboard = await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period=2027");
        await dashboard.ShouldHaveStatus(200);
        var report = await scenario.Planner.GetAsync("/api/reports/monthly/status?regionCode=130521&month=2027-03");
        await report.ShouldHaveStatus(200);
        foreach (var routed in new[] { listing, page, checkpoints, dashboard, report })
            Assert.Equal("replica", ReadProvenance.Of(routed).Source);
    }

    [ReplicaFact]
    public async Task A_replica_whose_replay_stopped_falls_behind_the_bound_and_the_primary_answers_and_says_so()
    {
        _ = TestReplica.Required;
        var scenario = await new InspectionScenario(app, "RR-LAG", "130522").Setup();
        await PublishPlan(scenario, "RR-LAG-M1");
        var listing = $"/api/public/plans?departmentId={scenario.Department}";
        await TestReplica.WaitUntilReplayedAsync(await TestReplica.PrimaryPositionAsync());
        var fresh = await app.Anonymous().GetAsync(listing);
        Assert.Single(await fresh.ReadAs<List<PublicPlan>>());
        Assert.Equal("replica", ReadProvenance.Of(fresh).Source);

        await TestReplica.PauseReplayAsync();
        try
        {
            // A second plan published on the primary; the replica receives the WAL but applies none of it.
            await PublishPlan(scenario, "RR-LAG-M1");

            // Until the lag passes the bound the replica may still answer (stale by less than the bound); then the primary must.
            var response = await RetryUntil(() => app.Anonymous().GetAsync(listing), r =>
            {
                var provenance = ReadProvenance.Of(r);
                Assert.True(provenance.Source == "primary" || provenance.LagMilliseconds <= ReplicaApp.MaxLagMilliseconds,
                    $"the replica answered {provenance.LagMilliseconds} ms behind, past the bound");
                return provenance.Source == "primary";
            });
            var read = ReadProvenance.Of(response);
            Assert.Equal("lagging", read.State);
            Assert.True(read.LagMilliseconds > ReplicaApp.MaxLagMilliseconds, $"lag {read.LagMilliseconds} ms");
            Assert.InRange(read.DataAsOf, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal(2, (await response.ReadAs<List<PublicPlan>>()).Count);
        }
        finally
        {
            await TestReplica.ResumeReplayAsync();
        }

        // Replay resumed: once it has caught up, the replica answers again, with both plans.
        await TestReplica.WaitUntilReplayedAsync(await TestReplica.PrimaryPositionAsync());
        var back = await RetryUntil(() => app.Anonymous().GetAsync(listing), r => ReadProvenance.Of(r).Source == "replica");
        Assert.Equal(2, (await back.ReadAs<List<PublicPlan>>()).Count);
    }

    /// <summary>The next measurement (at most 100 ms away) decides; polls for it instead of sleeping a guessed time.</summary>
    private static async Task<HttpResponseMessage> RetryUntil(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await send();
            if (done(response)) return response;
            Assert.True(DateTime.UtcNow < deadline, "condition not reached before the timeout");
            await Task.Delay(50);
        }
    }
}
