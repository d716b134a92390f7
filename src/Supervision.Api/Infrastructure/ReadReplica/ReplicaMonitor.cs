using NpgsqlTypes;

namespace Supervision.Api.Infrastructure.ReadReplica;

/// <summary>
/// Measures how fresh the replica is, at most once per <see cref="ReadReplicaSettings.HealthCacheDuration"/>, and owns the pool
/// of replica connections the read sessions use.
/// <para>
/// Freshness is judged by WAL positions, not by <c>now() - pg_last_xact_replay_timestamp()</c>, which grows without bound on an
/// idle primary although the replica misses nothing. Each measurement records the primary's <c>pg_current_wal_lsn()</c> with the
/// moment it was read (<c>pg_current_wal_insert_lsn()</c>, which unlike <c>pg_current_wal_lsn()</c> also covers commits not yet
/// written out under <c>synchronous_commit = off</c>: "everything committed before this moment lies at or below this position"), then reads the replica's
/// <c>pg_last_wal_replay_lsn()</c>: the newest recorded moment whose position the replica has replayed is a moment it is
/// complete up to. The last replayed commit's timestamp is such a moment too and covers the first measurement.
/// </para>
/// </summary>
public sealed class ReplicaMonitor : IAsyncDisposable
{
    private readonly TimeProvider clock;

    /// <summary>Enough primary positions to cover any lag worth reporting at one measurement a second.</summary>
    private const int KeptSamples = 600;

    private readonly ReadReplicaSettings settings;
    private readonly ILogger<ReplicaMonitor> logger;
    private readonly NpgsqlDataSource? primaryProbe;
    private readonly NpgsqlDataSource? replicaProbe;
    private readonly SemaphoreSlim measuring = new(1, 1);
    private readonly LinkedList<(NpgsqlLogSequenceNumber Position, DateTimeOffset At)> primaryPositions = new();
    private ReplicaFreshness? latest;

    public ReplicaMonitor(ReadReplicaSettings settings, SupervisionSettings primary, ILogger<ReplicaMonitor> logger,
        ReplicaMonitorClock clock)
    {
        this.clock = clock.Time;
        this.settings = settings;
        this.logger = logger;
        if (settings.ConnectionString is not { } replica) return;
        Replica = NpgsqlDataSource.Create(replica);
        // Probes fail fast and stay small: a hung replica must not hold a request for the default 15 s connect and 30 s command timeouts.
        primaryProbe = NpgsqlDataSource.Create(Probe(primary.ConnectionString));
        replicaProbe = NpgsqlDataSource.Create(Probe(replica));
    }

    /// <summary>The replica's connection pool; null when no replica is configured.</summary>
    public NpgsqlDataSource? Replica { get; }

    public TimeSpan MaxLag => settings.MaxLag;

    private static string Probe(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString)
    {
        Timeout = 2,
        CommandTimeout = 2,
        MaxPoolSize = 2,
        ApplicationName = "supervision-replica-monitor",
    }.ConnectionString;

    /// <summary>The latest measurement, taken anew when it is older than the cache period (one measurement at a time).</summary>
    public async ValueTask<ReplicaFreshness> CurrentAsync(CancellationToken ct)
    {
        if (Replica is null) return ReplicaFreshness.NotConfigured(clock.GetUtcNow());
        if (Recent(latest) is { } cached) return cached;
        await measuring.WaitAsync(ct);
        try
        {
            // Another request may have measured while this one waited.
            if (Recent(latest) is { } measured) return measured;
            return latest = await MeasureAsync(ct);
        }
        finally
        {
            measuring.Release();
        }
    }

    /// <summary>
    /// Measures now, whatever the cache holds, and keeps the result for the requests that follow: for an operator who has just
    /// repaired the replica, and for tests, which await the measurement instead of waiting out the cache period.
    /// </summary>
    public async ValueTask<ReplicaFreshness> MeasureNowAsync(CancellationToken ct = default)
    {
        if (Replica is null) return ReplicaFreshness.NotConfigured(clock.GetUtcNow());
        await measuring.WaitAsync(ct);
        try
        {
            return latest = await MeasureAsync(ct);
        }
        finally
        {
            measuring.Release();
        }
    }

    private ReplicaFreshness? Recent(ReplicaFreshness? measurement) =>
        measurement is not null && clock.GetUtcNow() - measurement.MeasuredAt < settings.HealthCacheDuration ? measurement : null;

    private async Task<ReplicaFreshness> MeasureAsync(CancellationToken ct)
    {
        var startedAt = clock.GetUtcNow();
        await RecordPrimaryPositionAsync(startedAt, ct);

        bool inRecovery;
        NpgsqlLogSequenceNumber? replayed;
        DateTimeOffset? lastReplayedCommit;
        try
        {
            await using var command = replicaProbe!.CreateCommand(
                "select pg_is_in_recovery(), pg_last_wal_replay_lsn(), pg_last_xact_replay_timestamp()");
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            inRecovery = reader.GetBoolean(0);
            replayed = reader.IsDBNull(1) ? null : reader.GetFieldValue<NpgsqlLogSequenceNumber>(1);
            lastReplayedCommit = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("Read replica unreachable ({Message}); reads go to the primary", e.Message);
            return ReplicaFreshness.Unreachable(startedAt);
        }
        if (!inRecovery)
        {
            logger.LogWarning("The configured read replica is not a standby (not in recovery); reads go to the primary");
            return new ReplicaFreshness(ReplicaState.NotAStandby, startedAt, null, null);
        }

        DateTimeOffset? completeUpTo = lastReplayedCommit;
        if (replayed is { } position)
        {
            lock (primaryPositions)
            {
                // Newest first: the first recorded position the replica has reached is the latest moment it is complete up to.
                for (var node = primaryPositions.Last; node is not null; node = node.Previous)
                {
                    if (node.Value.Position > position) continue;
                    if (completeUpTo is null || node.Value.At > completeUpTo) completeUpTo = node.Value.At;
                    break;
                }
            }
        }
        if (completeUpTo is not { } asOf) return new ReplicaFreshness(ReplicaState.Lagging, startedAt, null, null);
        var lag = startedAt > asOf ? startedAt - asOf : TimeSpan.Zero;
        return new ReplicaFreshness(lag <= settings.MaxLag ? ReplicaState.Fresh : ReplicaState.Lagging, startedAt, asOf, lag);
    }

    private async Task RecordPrimaryPositionAsync(DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await using var command = primaryProbe!.CreateCommand("select pg_current_wal_insert_lsn()");
            var position = (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync(ct))!;
            lock (primaryPositions)
            {
                primaryPositions.AddLast((position, at));
                while (primaryPositions.Count > KeptSamples) primaryPositions.RemoveFirst();
            }
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException && !ct.IsCancellationRequested)
        {
            // Without the primary's position only the last replayed commit's timestamp bounds the lag (conservatively).
            logger.LogDebug("Could not read the primary's WAL position: {Message}", e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Replica is not null) await Replica.DisposeAsync();
        if (primaryProbe is not null) await primaryProbe.DisposeAsync();
        if (replicaProbe is not null) await replicaProbe.DisposeAsync();
        measuring.Dispose();
    }
}

/// <summary>
/// The monitor's own clock. Freshness is physical time between two servers, not business time: the application's TimeProvider may be
/// shifted or frozen (tests), so the monitor has a clock of its own, the system's unless a test moves it to see a stopped replica
/// fall behind without waiting for the bound to pass. A type of its own rather than a keyed TimeProvider: Wolverine's generated
/// endpoints share one variable per service type, so a keyed clock in the monitor's constructor became the endpoints' clock too.
/// </summary>
public sealed record ReplicaMonitorClock(TimeProvider Time);
