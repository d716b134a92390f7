using System.Globalization;
using System.Net.Sockets;
using NpgsqlTypes;
using Supervision.Api.Infrastructure.ReadReplica;

namespace Supervision.Api.Tests.ReadReplica;

/// <summary>The hot standby the replica tests read from: ops/test.sh starts it (bash ops/replica.sh start) and exports its connection string.</summary>
public static class TestReplica
{
    public static string? ConnectionString =>
        Environment.GetEnvironmentVariable("SUPERVISION_TEST_REPLICA_CONNECTION_STRING") is { Length: > 0 } cs ? cs : null;

    /// <summary>CI (GitHub Actions and most others set CI=true) must run the replica tests; a developer without a replica may skip them.</summary>
    public static bool InCi => Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0";

    /// <summary>Fails rather than passes quietly when the replica is missing where it must be there.</summary>
    public static string Required =>
        ConnectionString ?? throw new InvalidOperationException(
            "SUPERVISION_TEST_REPLICA_CONNECTION_STRING is not set: ops/test.sh starts the replica (bash ops/replica.sh start) and sets it.");

    /// <summary>The primary's WAL position now: every write acknowledged before this call lies at or below it.</summary>
    public static async Task<NpgsqlLogSequenceNumber> PrimaryPositionAsync()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select pg_current_wal_insert_lsn()", connection);
        return (NpgsqlLogSequenceNumber)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// Returns once the replica has replayed <paramref name="position"/>, waiting inside PostgreSQL: ops/replica.sh names the standby in
    /// the primary's <c>synchronous_standby_names</c>, so a barrier commit made with <c>synchronous_commit = remote_apply</c> returns only
    /// when the standby has applied it, and with it everything before. No loop here and no statement waiting on the standby (one would
    /// hold a snapshot that stalls replay). A barrier cut short by its statement timeout (PostgreSQL then commits locally with a
    /// warning) is caught by reading the standby's replay position once.
    /// </summary>
    public static async Task WaitUntilReplayedAsync(NpgsqlLogSequenceNumber position, TimeSpan? timeout = null)
    {
        var patience = timeout ?? TimeSpan.FromSeconds(30);
        if (!await IsSynchronousStandbyAsync())
            Assert.Fail("The replica is not a synchronous standby of the primary: start it with bash ops/replica.sh start, which names it in "
                + "the primary's synchronous_standby_names (ordinary commits do not wait for it; this barrier does).");
        await using (var primary = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await primary.OpenAsync();
            // The barrier must write WAL before its commit: PostgreSQL skips the synchronous-replication wait (and even the local flush)
            // for a transaction that wrote none, and an xid alone writes none (found here: pg_current_xact_id() alone returned at once).
            await using var barrier = await primary.BeginTransactionAsync();
            foreach (var sql in new[]
                     {
                         "set local synchronous_commit = remote_apply", $"set local statement_timeout = {(int)patience.TotalMilliseconds}",
                         "select pg_logical_emit_message(true, 'supervision-replica-barrier', '')",
                     })
            {
                await using var command = new NpgsqlCommand(sql, primary, barrier);
                await command.ExecuteNonQueryAsync();
            }
            await barrier.CommitAsync();
        }
        var replayed = await ScalarAsync<NpgsqlLogSequenceNumber>("select pg_last_wal_replay_lsn()");
        Assert.True(replayed >= position, $"The replica had not replayed the primary's {position} after {patience.TotalSeconds:0} s (at {replayed}).");
    }

    /// <summary>
    /// Holds the standby's replay still, deterministically, until the returned gate is disposed: a transaction on the standby reads a
    /// gate table of <paramref name="schema"/> (and so holds a lock on it), then the primary takes an access-exclusive lock on that table.
    /// The standby cannot replay that lock while its reader holds the table, so nothing the primary writes after it is applied (up to
    /// <c>max_standby_streaming_delay</c>, 30 s, when PostgreSQL cancels the reader). Disposing ends the reader and replay goes on.
    /// Unlike <c>pg_wal_replay_pause()</c>, whose request took effect only later (once even after the resume, leaving replay paused),
    /// this holds replay from the moment the lock is committed, with nothing to wait for.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldReplayAsync(string schema)
    {
        var gate = $"{schema}.replay_gate";
        await using (var primary = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await primary.OpenAsync();
            await using var create = new NpgsqlCommand($"create table if not exists {gate} (held boolean)", primary);
            await create.ExecuteNonQueryAsync();
        }
        await WaitUntilReplayedAsync(await PrimaryPositionAsync());
        var reader = new NpgsqlConnection(Required);
        await reader.OpenAsync();
        await using (var read = new NpgsqlCommand($"begin; select count(*) from {gate};", reader)) await read.ExecuteNonQueryAsync();
        await using (var primary = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await primary.OpenAsync();
            await using var lockGate = new NpgsqlCommand($"begin; lock table {gate} in access exclusive mode; commit;", primary);
            await lockGate.ExecuteNonQueryAsync();
        }
        return new ReplayGate(reader);
    }

    private sealed class ReplayGate(NpgsqlConnection reader) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Ending the reader's transaction (by closing its connection, which also clears it from the pool) lets replay go on.
            NpgsqlConnection.ClearPool(reader);
            await reader.DisposeAsync();
        }
    }

    /// <summary>Whether the primary waits for this standby's apply on a <c>remote_apply</c> commit (it is a synchronous standby now).</summary>
    private static async Task<bool> IsSynchronousStandbyAsync()
    {
        // The standby reports to the primary under the application_name of its primary_conninfo, else its cluster_name, else "walreceiver".
        var name = await ScalarAsync<string>(
            "select coalesce(substring(conninfo from 'application_name=([^ ]+)'), nullif(current_setting('cluster_name'), ''), 'walreceiver') from pg_stat_wal_receiver");
        if (name is null) return false;
        await using var primary = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await primary.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select exists(select 1 from pg_stat_replication where application_name = @name and sync_state in ('sync', 'quorum'))", primary);
        command.Parameters.AddWithValue("name", name);
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Required);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }

    /// <summary>A port on 127.0.0.1 where nothing listens (taken from the OS, then released).</summary>
    public static int UnusedPort()
    {
        var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A test that needs the replica: skipped only on a developer's machine without one; in CI it runs and fails without it.</summary>
public sealed class ReplicaFactAttribute : FactAttribute
{
    public ReplicaFactAttribute()
    {
        if (TestReplica.ConnectionString is null && !TestReplica.InCi)
            Skip = "No read replica: run bash ops/test.sh, or bash ops/replica.sh start and set SUPERVISION_TEST_REPLICA_CONNECTION_STRING.";
    }
}

/// <summary>What a response says about where it was read and how fresh that is.</summary>
public sealed record ReadProvenance(string Source, string State, DateTimeOffset DataAsOf, long? LagMilliseconds)
{
    public static ReadProvenance Of(HttpResponseMessage response)
    {
        string? One(string name) => response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
        return new ReadProvenance(
            One(ReplicaReads.SourceHeader) ?? throw new Xunit.Sdk.XunitException($"no {ReplicaReads.SourceHeader} header on {response.RequestMessage?.RequestUri}"),
            One(ReplicaReads.StateHeader) ?? "",
            DateTimeOffset.Parse(One(ReplicaReads.DataAsOfHeader)!, CultureInfo.InvariantCulture),
            One(ReplicaReads.LagHeader) is { } lag ? long.Parse(lag, CultureInfo.InvariantCulture) : null);
    }
}
