using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Api.Plans;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.ReadReplica;

/// <summary>
/// The host reading from the hot standby of ops/replica.sh, with a lag bound of one second and freshness measured every
/// 100 ms. The replica monitor's clock is the test's (<see cref="MonitorClock"/>): a stopped replay is seen past the bound by moving
/// that clock, not by waiting. Boots only when a replica is there (see <see cref="ReplicaFactAttribute"/>).
/// </summary>
public sealed class ReplicaApp : SupervisionApp
{
    public const int MaxLagMilliseconds = 1000;

    /// <summary>The system clock plus an offset the test sets: the replica monitor's notion of "now".</summary>
    public sealed class OffsetClock : TimeProvider
    {
        private long offsetTicks;
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref offsetTicks));
        public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);
        public void Reset() => Interlocked.Exchange(ref offsetTicks, 0);
    }

    public OffsetClock MonitorClock { get; } = new();

    public ReplicaMonitor Monitor => Services.GetRequiredService<ReplicaMonitor>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton(new ReplicaMonitorClock(MonitorClock)));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("ConnectionStrings:SupervisionReplica", TestReplica.ConnectionString),
        new("Supervision:ReplicaMaxLagMilliseconds", MaxLagMilliseconds.ToString()),
        new("Supervision:ReplicaHealthCacheMilliseconds", "100"),
    ];

    public override async Task InitializeAsync()
    {
        if (TestReplica.ConnectionString is null) return;
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

        var held = await TestReplica.HoldReplayAsync(app.Schema);
        try
        {
            // A second plan published on the primary; the replica receives the WAL but applies none of it.
            await PublishPlan(scenario, "RR-LAG-M1");

            // Instead of waiting out the bound, the monitor's clock moves past it: measured now, the replica is behind by more.
            app.MonitorClock.Advance(TimeSpan.FromMilliseconds(ReplicaApp.MaxLagMilliseconds + 500));
            Assert.Equal(ReplicaState.Lagging, (await app.Monitor.MeasureNowAsync()).State);

            var response = await app.Anonymous().GetAsync(listing);
            var read = ReadProvenance.Of(response);
            Assert.Equal(("primary", "lagging"), (read.Source, read.State));
            Assert.True(read.LagMilliseconds > ReplicaApp.MaxLagMilliseconds, $"lag {read.LagMilliseconds} ms");
            Assert.InRange(read.DataAsOf, DateTimeOffset.UtcNow.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal(2, (await response.ReadAs<List<PublicPlan>>()).Count);
        }
        finally
        {
            await held.DisposeAsync();
            app.MonitorClock.Reset();
        }

        // Replay resumed: once it has caught up, the replica is fresh at the next measurement and answers again, with both plans.
        await TestReplica.WaitUntilReplayedAsync(await TestReplica.PrimaryPositionAsync());
        Assert.Equal(ReplicaState.Fresh, (await app.Monitor.MeasureNowAsync()).State);
        var back = await app.Anonymous().GetAsync(listing);
        Assert.Equal("replica", ReadProvenance.Of(back).Source);
        Assert.Equal(2, (await back.ReadAs<List<PublicPlan>>()).Count);
    }
}
