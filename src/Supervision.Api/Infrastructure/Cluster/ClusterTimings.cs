namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>
/// How fast the cluster notices a dead node and hands its work to another. Wolverine's defaults (a heartbeat every 10 s, a node
/// stale after 60 s, ejected after two stale observations) left a killed node's envelopes and scheduled messages waiting about
/// 75 s. These defaults move them in under 10 s: a node writes its heartbeat every second, is taken for dead after 4 s of
/// silence, and is ejected (its envelopes released, its agents such as the scheduled-message poller reassigned) on the second
/// stale observation; the node that takes over the scheduled-message poller polls every second. Each value is a setting under <c>Supervision:Cluster:</c>, in milliseconds (the poll keeps its older name,
/// <c>Supervision:ScheduledJobPollingMilliseconds</c>).
/// </summary>
public sealed record ClusterTimings(
    TimeSpan HealthCheckPolling,
    TimeSpan StaleNodeTimeout,
    TimeSpan OrphanedMessageSweepPolling,
    TimeSpan NodeReassignmentPolling,
    TimeSpan CheckAssignmentPeriod,
    TimeSpan ScheduledJobPolling)
{
    /// <summary>A live node's heartbeat is late only if it misses four in a row, so a busy node is not declared dead.</summary>
    public static readonly ClusterTimings Default = new(
        HealthCheckPolling: TimeSpan.FromSeconds(1),
        StaleNodeTimeout: TimeSpan.FromSeconds(4),
        OrphanedMessageSweepPolling: TimeSpan.FromSeconds(1),
        NodeReassignmentPolling: TimeSpan.FromSeconds(1),
        CheckAssignmentPeriod: TimeSpan.FromSeconds(5),
        ScheduledJobPolling: TimeSpan.FromSeconds(1));

    /// <summary><c>Supervision:Cluster:LeaderPollMilliseconds</c>: how often each node tries for the periodic-job lock (see PeriodicJobLeadership).</summary>
    public TimeSpan LeaderPoll { get; init; } = TimeSpan.FromSeconds(5);

    internal static ClusterTimings From(Settings.SettingsReader read)
    {
        var timings = new ClusterTimings(
            read.Milliseconds("Supervision:Cluster:HealthCheckPollingMilliseconds", Default.HealthCheckPolling),
            read.Milliseconds("Supervision:Cluster:StaleNodeTimeoutMilliseconds", Default.StaleNodeTimeout),
            read.Milliseconds("Supervision:Cluster:OrphanedMessageSweepPollingMilliseconds", Default.OrphanedMessageSweepPolling),
            read.Milliseconds("Supervision:Cluster:NodeReassignmentPollingMilliseconds", Default.NodeReassignmentPolling),
            read.Milliseconds("Supervision:Cluster:CheckAssignmentPeriodMilliseconds", Default.CheckAssignmentPeriod),
            read.Milliseconds("Supervision:ScheduledJobPollingMilliseconds", Default.ScheduledJobPolling))
        {
            LeaderPoll = read.Milliseconds("Supervision:Cluster:LeaderPollMilliseconds", TimeSpan.FromSeconds(5)),
        };
        // A timeout shorter than two heartbeats would eject healthy nodes on every hiccup.
        if (timings.StaleNodeTimeout < 2 * timings.HealthCheckPolling)
            throw new Settings.InvalidSettingException("Supervision:Cluster:StaleNodeTimeoutMilliseconds", timings.StaleNodeTimeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture),
                $"it must be at least twice Supervision:Cluster:HealthCheckPollingMilliseconds ({timings.HealthCheckPolling.TotalMilliseconds}).");
        return timings;
    }

    public void ApplyTo(WolverineOptions options)
    {
        options.Durability.HealthCheckPollingTime = HealthCheckPolling;
        options.Durability.FirstHealthCheckExecution = HealthCheckPolling;
        options.Durability.StaleNodeTimeout = StaleNodeTimeout;
        options.Durability.OrphanedMessageSweepPollingTime = OrphanedMessageSweepPolling;
        options.Durability.NodeReassignmentPollingTime = NodeReassignmentPolling;
        options.Durability.CheckAssignmentPeriod = CheckAssignmentPeriod;
        // Only the node running the durability agent polls, so a one-second poll costs one small query a second.
        options.Durability.ScheduledJobPollingTime = ScheduledJobPolling;
        options.Durability.ScheduledJobFirstExecution = ScheduledJobPolling;
    }
}
