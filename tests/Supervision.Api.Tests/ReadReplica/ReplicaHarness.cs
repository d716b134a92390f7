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

    /// <summary>Polls the replica until it has replayed <paramref name="position"/> (no fixed sleeps; fails after the timeout).</summary>
    public static async Task WaitUntilReplayedAsync(NpgsqlLogSequenceNumber position, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        NpgsqlLogSequenceNumber? replayed = null;
        while (DateTime.UtcNow < deadline)
        {
            replayed = await ScalarAsync<NpgsqlLogSequenceNumber?>("select pg_last_wal_replay_lsn()");
            if (replayed >= position) return;
            await Task.Delay(20);
        }
        Assert.Fail($"The replica had replayed only {replayed} of the primary's {position} after the timeout.");
    }

    /// <summary>Stops replay (WAL still arrives, nothing is applied) and waits until it has taken effect.</summary>
    public static async Task PauseReplayAsync()
    {
        await ScalarAsync<object>("select pg_wal_replay_pause()");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await ScalarAsync<string>("select pg_get_wal_replay_pause_state()") != "paused")
        {
            Assert.True(DateTime.UtcNow < deadline, "replay did not pause");
            await Task.Delay(20);
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
