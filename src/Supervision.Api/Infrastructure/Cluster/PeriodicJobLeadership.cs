using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>
/// Elects the one node of the cluster that runs the periodic jobs (<see cref="PeriodicJob"/>): the node whose dedicated
/// connection holds a session-level PostgreSQL advisory lock. Every node tries for the lock every
/// <c>Supervision:Cluster:LeaderPollMilliseconds</c> (5 s); the holder checks its connection at the same pace and gives up
/// leadership the moment that check fails. A node that dies loses its connection, PostgreSQL releases the lock, and another
/// node takes it on its next try. The session also carries an idle timeout and TCP keepalives, so a node that hangs or
/// vanishes from the network without closing its socket loses the lock too instead of holding it for hours.
/// A leader that has just lost its connection may run one more job before it notices: every job is therefore safe to run
/// on two nodes at once (the sealer locks the chain table; the reminder sweep appends at the version it read).
/// </summary>
public sealed class PeriodicJobLeadership(SupervisionSettings settings, ILogger<PeriodicJobLeadership> logger) : BackgroundService
{
    private NpgsqlConnection? lockConnection;
    private readonly ConcurrentDictionary<string, int> runs = new();

    public TimeSpan PollInterval { get; } = settings.Cluster.LeaderPoll;

    /// <summary>Whether this node holds the lock as of its last check.</summary>
    public bool IsLeader => Volatile.Read(ref lockConnection) is not null;

    public DateTimeOffset? LeaderSince { get; private set; }

    /// <summary>How many times each job ran on this node (the cluster status shows it).</summary>
    public IReadOnlyDictionary<string, int> Runs => runs;

    internal void RecordRun(string job)
    {
        runs.AddOrUpdate(job, 1, (_, n) => n + 1);
        Changed();
    }

    private readonly ConcurrentDictionary<string, int> passedUp = new();

    /// <summary>
    /// How many of each job's ticks this node let pass because another node held the lock: evidence that a standby's jobs are
    /// alive and declined, which an operator (and a test) can wait on instead of watching the clock.
    /// </summary>
    public IReadOnlyDictionary<string, int> PassedUp => passedUp;

    internal void RecordPassedUp(string job)
    {
        passedUp.AddOrUpdate(job, 1, (_, n) => n + 1);
        Changed();
    }

    private TaskCompletionSource change = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes the current waiters (leadership taken or lost, a job ran or passed up a tick) and arms the next signal.</summary>
    private void Changed() =>
        Interlocked.Exchange(ref change, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for this node, woken by each change rather than by a clock (the long-poll of
    /// <c>GET /health/cluster?waitFor=…</c>); false when it still does not hold after <paramref name="timeout"/>.
    /// </summary>
    public async Task<bool> WaitUntilAsync(Func<PeriodicJobLeadership, bool> condition, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                // Armed before the check: a change between the check and the wait still wakes this waiter.
                var next = Volatile.Read(ref change).Task;
                if (condition(this)) return true;
                await next.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return condition(this);
        }
    }

    /// <summary>One lock per schema: advisory locks are per database, and several deployments (or test classes) share one.</summary>
    public long LockKey => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes($"supervision/periodic-jobs/{settings.Schema}")), 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        do
        {
            try
            {
                if (IsLeader) await ConfirmAsync(stoppingToken);
                else await TryAcquireAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (IsLeader) logger.LogWarning(e, "Lost the periodic-job lock: this node stops running periodic jobs.");
                else logger.LogDebug(e, "Could not try for the periodic-job lock; trying again.");
                await ReleaseAsync();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TryAcquireAsync(CancellationToken ct)
    {
        // A connection of its own, outside the pool, so the lock lives exactly as long as this session.
        var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
        {
            Pooling = false,
            ApplicationName = "supervision-periodic-job-leader",
            Timeout = 5,
            CommandTimeout = 5,
            // Client-side TCP keepalives only: Npgsql's own keepalive queries would keep a hung node's session looking busy.
            TcpKeepAlive = true,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // The server ends a session that stays silent for three polls (a hung node) or whose peer stops answering
            // keepalives (a node gone from the network): either way the lock is released for another node.
            var idle = (long)Math.Max(3 * PollInterval.TotalMilliseconds, 3000);
            await using var command = new NpgsqlCommand(
                $"set idle_session_timeout = {idle}; set tcp_keepalives_idle = 5; set tcp_keepalives_interval = 2; set tcp_keepalives_count = 3; "
                + "select pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", LockKey);
            if (await command.ExecuteScalarAsync(ct) is true)
            {
                LeaderSince = DateTimeOffset.UtcNow;
                Volatile.Write(ref lockConnection, connection);
                Changed();
                logger.LogInformation("This node now runs the periodic jobs (advisory lock {Key}).", LockKey);
                return;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
    }

    /// <summary>The lock is as good as the session holding it: a failed round trip means it may already be someone else's.</summary>
    private async Task ConfirmAsync(CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select 1", lockConnection!);
        await command.ExecuteScalarAsync(ct);
    }

    private async Task ReleaseAsync()
    {
        var connection = Interlocked.Exchange(ref lockConnection, null);
        LeaderSince = null;
        if (connection is null) return;
        Changed();
        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Closing the periodic-job lock connection failed; the server releases the lock with the session.");
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // Closing the session hands the jobs to another node at once instead of at the server's timeout.
        await ReleaseAsync();
    }
}
