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
        new("Supervision:Cluster:LeaderPollMilliseconds", "500"),
    ];

    protected override Task StartedAsync(ClusterNode a) =>
        WaitUntilAsync(async () => (await a.StatusAsync()).PeriodicJobs == "leader", TimeSpan.FromSeconds(30), "node A, alone, runs the periodic jobs");
}

public sealed class PeriodicJobsTests(FastPeriodicJobs cluster, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<FastPeriodicJobs>
{
    private static readonly string[] Jobs = ["PeriodicSealer", "MonthlyReportReminderService", "PublicRateWindowCleanup", "ProgressReportReminderService"];

    private static int Runs(Supervision.Api.Infrastructure.Cluster.ClusterStatus status, string job) => status.JobRuns.GetValueOrDefault(job);

    private static int PassedUp(Supervision.Api.Infrastructure.Cluster.ClusterStatus status, string job) =>
        status.JobTicksPassedUp?.GetValueOrDefault(job) ?? 0;

    [Fact]
    public async Task Each_periodic_job_runs_on_one_node_and_moves_when_that_node_dies()
    {
        // Both nodes up: A holds the lock, every job runs there, and B, ticking just as often, runs none of them.
        await TwoNodes.WaitUntilAsync(async () =>
        {
            var a = await cluster.A.StatusAsync();
            return Jobs.All(job => Runs(a, job) >= 3);
        }, TimeSpan.FromSeconds(30), "every job ran three times on the leader");
        // Evidence, not a clock: B's jobs tick and pass each tick up (the lock is A's); three passed-up ticks of every job, none run.
        await TwoNodes.WaitUntilAsync(async () =>
        {
            var b = await cluster.B.StatusAsync();
            return Jobs.All(job => PassedUp(b, job) >= 3);
        }, TimeSpan.FromSeconds(30), "every job on node B passed up three ticks");
        var (leaderA, standbyB) = (await cluster.A.StatusAsync(), await cluster.B.StatusAsync());
        Assert.Equal(("leader", "standby"), (leaderA.PeriodicJobs, standbyB.PeriodicJobs));
        Assert.All(Jobs, job => Assert.Equal(0, Runs(standbyB, job)));

        // A dies (its connections reset, no goodbye): PostgreSQL ends its session, the lock is free, B takes it on its next try
        // and runs the jobs; A, finding its lock connection dead, stops running them.
        cluster.RelayA.Sever();
        var takeover = await TwoNodes.WaitUntilAsync(async () => (await cluster.B.StatusAsync()).PeriodicJobs == "leader",
            TimeSpan.FromSeconds(10), "node B takes the periodic jobs over");
        await TwoNodes.WaitUntilAsync(async () =>
        {
            var b = await cluster.B.StatusAsync();
            return Jobs.All(job => Runs(b, job) >= 2);
        }, TimeSpan.FromSeconds(20), "every job runs on node B");
        await TwoNodes.WaitUntilAsync(async () => (await cluster.A.StatusAsync()).PeriodicJobs == "standby",
            TimeSpan.FromSeconds(10), "node A notices it lost the lock");
        // A's jobs go on ticking but pass every tick up now: three more passed-up ticks of every job, and no more runs.
        var before = await cluster.A.StatusAsync();
        await TwoNodes.WaitUntilAsync(async () =>
        {
            var a = await cluster.A.StatusAsync();
            return Jobs.All(job => PassedUp(a, job) >= PassedUp(before, job) + 3);
        }, TimeSpan.FromSeconds(30), "every job on node A passed up three more ticks");
        var after = await cluster.A.StatusAsync();
        Assert.All(Jobs, job => Assert.Equal(Runs(before, job), Runs(after, job)));
        output.WriteLine($"Periodic jobs moved to node B {takeover.TotalSeconds:0.0} s after node A died.");
    }
}
