using System.Globalization;
using System.Net.Sockets;
using Npgsql;
using NpgsqlTypes;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Api.Tests.Harness;

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
    /// Returns once the replica has replayed <paramref name="position"/>, waiting on PostgreSQL, not in a loop here. Where the primary
    /// names this standby in <c>synchronous_standby_names</c> (CI, see ops/replica.sh), a barrier commit made with
    /// <c>synchronous_commit = remote_apply</c> returns only when the standby has applied it, and with it everything before. Otherwise
    /// (a shared development cluster, whose settings a test may not change) the standby is asked until
    /// <c>pg_last_wal_replay_lsn()</c> reaches the position (PostgreSQL 15 has no built-in wait for an LSN).
    /// </summary>
    public static async Task WaitUntilReplayedAsync(NpgsqlLogSequenceNumber position, TimeSpan? timeout = null)
    {
        var patience = timeout ?? TimeSpan.FromSeconds(30);
        if (await IsSynchronousStandbyAsync())
        {
            await using var primary = new NpgsqlConnection(SupervisionApp.ConnectionString);
            await primary.OpenAsync();
            await using var barrier = new NpgsqlCommand(
                $"begin; set local synchronous_commit = remote_apply; set local statement_timeout = {(int)patience.TotalMilliseconds}; "
                + "select pg_current_xact_id(); commit;", primary);
            await barrier.ExecuteNonQueryAsync();
            return;
        }
        await WaitOnStandbyAsync($"pg_last_wal_replay_lsn() >= '{position}'::pg_lsn", patience,
            $"The replica had not replayed the primary's {position} after {patience.TotalSeconds:0} s.");
    }

    /// <summary>Stops replay (WAL still arrives, nothing is applied) and returns once it has taken effect.</summary>
    public static async Task PauseReplayAsync()
    {
        await ScalarAsync<object>("select pg_wal_replay_pause()");
        await WaitOnStandbyAsync("pg_get_wal_replay_pause_state() = 'paused'", TimeSpan.FromSeconds(30), "replay did not pause");
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

    /// <summary>
    /// Returns when <paramref name="condition"/> (SQL) holds on the standby, or fails with <paramref name="failure"/> after
    /// <paramref name="timeout"/>: short statements, one at a time, 10 ms apart. Not one statement that waits inside the standby: such a
    /// statement holds its snapshot, and replay of a conflicting record (vacuum cleanup, another test class dropping its schema) then
    /// waits for it up to <c>max_standby_streaming_delay</c> (30 s), so the position it waits for is not replayed in time (seen in CI).
    /// </summary>
    private static async Task WaitOnStandbyAsync(string condition, TimeSpan timeout, string failure)
    {
        await using var connection = new NpgsqlConnection(Required);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select {condition}", connection);
        var giveUp = DateTime.UtcNow + timeout;
        while (!(bool)(await command.ExecuteScalarAsync())!)
        {
            if (DateTime.UtcNow > giveUp) Assert.Fail(failure);
            await Task.Delay(10);
        }
    }

    public static Task ResumeReplayAsync() => ScalarAsync<object>("select pg_wal_replay_resume()");

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
