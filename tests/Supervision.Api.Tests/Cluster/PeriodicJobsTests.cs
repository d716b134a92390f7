namespace Supervision.Api.Tests.Cluster;

public sealed class FastPeriodicJobs : TwoNodes
{
    // Every job ticks several times a second and the lock is tried twice a second, so the test sees many ticks.
    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Supervision:SealIntervalMinutes", "0.005"),
        new("Supervision:ReportReminderIntervalMinutes", "0.005"),
        new("Supervision:RateWindowCleanupIntervalMinutes", "0.005"),
        new("Supervision:ProgressReportReminderIntervalMinutes", "0.005"),
        new("Supervision:DashboardCompactionIntervalMinutes", "0.005"),
        new("Supervision:Cluster:LeaderPollMilliseconds", "500"),
    ];

    protected override Task StartedAsync(ClusterNode a) =>
        a.WaitForAsync("node A, alone, runs the periodic jobs", TimeSpan.FromSeconds(30), waitFor: "leader");
}

public sealed class PeriodicJobsTests(FastPeriodicJobs cluster, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FastPeriodicJobs>
{
    private static readonly string[] Jobs = ["PeriodicSealer", "MonthlyReportReminderService", "PublicRateWindowCleanup", "ProgressReportReminderService", "DashboardRollupCompaction"];

    private static int Runs(Supervision.Api.Infrastructure.Cluster.ClusterStatus status, string job) => status.JobRuns.GetValueOrDefault(job);

    private static int PassedUp(Supervision.Api.Infrastructure.Cluster.ClusterStatus status, string job) =>
        status.JobTicksPassedUp?.GetValueOrDefault(job) ?? 0;

    [Fact]
    public async Task The_cluster_status_long_poll_refuses_what_it_cannot_wait_for()
    {
        var client = cluster.B.Anonymous();
        foreach (var (query, rule) in new[]
        {
            ("waitFor=president", "cluster.wait-for"),
            ("minRuns=-1", "cluster.wait-minimum"),
            ("waitFor=standby&timeout=600000", "cluster.wait-timeout"),
        })
        {
            var problem = await (await client.GetAsync("/health/cluster?" + query)).ReadNodeAs(400);
            Assert.Equal(rule, problem["violations"]![0]!["rule"]!.GetValue<string>());
        }
        // A condition that cannot hold answers at its timeout, saying so, with the node's status.
        var standby = await (await client.GetAsync("/health/cluster?waitFor=standby&minRuns=1000000&timeout=50")).ReadNodeAs(200);
        Assert.False(standby["reached"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Each_periodic_job_runs_on_one_node_and_moves_when_that_node_dies()
    {
        // Both nodes up: A holds the lock, every job runs there, and B, ticking just as often, runs none of them.
        await cluster.A.WaitForAsync("every job ran three times on the leader", TimeSpan.FromSeconds(30), minRuns: 3);
        // Evidence, not a clock: B's jobs tick and pass each tick up (the lock is A's); three passed-up ticks of every job, none run.
        await cluster.B.WaitForAsync("every job on node B passed up three ticks", TimeSpan.FromSeconds(30), minPassedUp: 3);
        var (leaderA, standbyB) = (await cluster.A.StatusAsync(), await cluster.B.StatusAsync());
        Assert.Equal(("leader", "standby"), (leaderA.PeriodicJobs, standbyB.PeriodicJobs));
        Assert.All(Jobs, job => Assert.Equal(0, Runs(standbyB, job)));
        Assert.Equal(Jobs.Order(), leaderA.JobRuns.Keys.Order());

        // A dies (its connections reset, no goodbye): PostgreSQL ends its session, the lock is free, B takes it on its next try
        // and runs the jobs; A, finding its lock connection dead, stops running them.
        cluster.RelayA.Sever();
        var (_, takeover) = await cluster.B.WaitForAsync("node B takes the periodic jobs over", TimeSpan.FromSeconds(10), waitFor: "leader");
        await cluster.B.WaitForAsync("every job runs on node B", TimeSpan.FromSeconds(20), minRuns: 2);
        var (before, _) = await cluster.A.WaitForAsync("node A notices it lost the lock", TimeSpan.FromSeconds(10), waitFor: "standby");
        // A's jobs go on ticking but pass every tick up now: three more passed-up ticks of every job, and no more runs.
        await cluster.A.WaitForAsync("every job on node A passed up three more ticks", TimeSpan.FromSeconds(30),
            minPassedUp: Jobs.Max(job => PassedUp(before, job)) + 3);
        var after = await cluster.A.StatusAsync();
        Assert.All(Jobs, job => Assert.Equal(Runs(before, job), Runs(after, job)));
        output.WriteLine($"Periodic jobs moved to node B {takeover.TotalSeconds:0.0} s after node A died.");
    }
}
