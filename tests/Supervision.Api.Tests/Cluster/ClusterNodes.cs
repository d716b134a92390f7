using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc.Testing;
using Supervision.Api.Infrastructure.Cluster;

namespace Supervision.Api.Tests.Cluster;

/// <summary>
/// A TCP relay between one node and PostgreSQL. <see cref="Sever"/> resets every relayed connection and refuses new ones: to
/// the database the node is gone at once (its sessions end, its advisory locks are released), and the node can no longer
/// write its heartbeat or tidy up on the way out, exactly as when its process is killed.
/// </summary>
public sealed class PostgresRelay : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> sockets = [];
    private readonly CancellationTokenSource severed = new();
    private readonly string targetHost;
    private readonly int targetPort;

    public PostgresRelay(string connectionString)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        (targetHost, targetPort) = (target.Host!, target.Port);
        listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = ((IPEndPoint)listener.LocalEndpoint).Port }.ConnectionString;
        _ = AcceptAsync();
    }

    /// <summary>The node's connection string: the relay instead of the server.</summary>
    public string ConnectionString { get; }

    private async Task AcceptAsync()
    {
        while (!severed.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(severed.Token);
            }
            catch
            {
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        sockets.Add(client);
        sockets.Add(server);
        try
        {
            await server.ConnectAsync(targetHost, targetPort, severed.Token);
            var a = client.GetStream().CopyToAsync(server.GetStream(), severed.Token);
            var b = server.GetStream().CopyToAsync(client.GetStream(), severed.Token);
            await Task.WhenAny(a, b);
        }
        catch
        {
            // Either side went away, or the relay was severed.
        }
        finally
        {
            Reset(client);
            Reset(server);
        }
    }

    private static void Reset(TcpClient socket)
    {
        try
        {
            socket.Client.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch
        {
            // Already closed.
        }
    }

    public void Sever()
    {
        severed.Cancel();
        listener.Stop();
        foreach (var socket in sockets) Reset(socket);
    }

    public void Dispose() => Sever();
}

/// <summary>One node of a cluster: the real host on a schema it shares with the other nodes, optionally behind a relay.</summary>
public sealed class ClusterNode(string name, string schema, string connectionString, IEnumerable<KeyValuePair<string, string?>> settings) : SupervisionApp
{
    public string Name { get; } = name;

    public override string Schema => schema;

    protected override string ConnectionStringForHost => connectionString;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => settings;

    public async Task<ClusterStatus> StatusAsync() =>
        (await Anonymous().GetFromJsonAsync<ClusterStatus>("/health/cluster"))!;

    /// <summary>
    /// Waits on the node itself (the long-poll of <c>/health/cluster</c>, answered the moment the node's state matches) until it is
    /// <paramref name="waitFor"/> and each periodic job ran / passed up at least so many ticks; fails naming <paramref name="what"/>.
    /// </summary>
    public async Task<(ClusterStatus Status, TimeSpan Took)> WaitForAsync(string what, TimeSpan timeout, string? waitFor = null, int? minRuns = null, int? minPassedUp = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var query = new List<string> { $"timeout={(int)timeout.TotalMilliseconds}" };
        if (waitFor is not null) query.Add($"waitFor={waitFor}");
        if (minRuns is not null) query.Add($"minRuns={minRuns}");
        if (minPassedUp is not null) query.Add($"minPassedUp={minPassedUp}");
        var status = (await Anonymous().GetFromJsonAsync<ClusterStatus>("/health/cluster?" + string.Join('&', query)))!;
        Assert.True(status.Reached == true, $"Not within {timeout.TotalSeconds} s on node {Name}: {what}");
        return (status, watch.Elapsed);
    }

    /// <summary>Stops the host and leaves the shared schema to the other nodes.</summary>
    public override async Task DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        await ((WebApplicationFactory<Program>)this).DisposeAsync();
    }

    private bool disposed;
}

/// <summary>
/// Two nodes on one schema. Node A reaches PostgreSQL through a <see cref="PostgresRelay"/> so a test can kill it; it starts
/// first, so it is the first to take the periodic-job lock and Wolverine's leadership (and with it the scheduled-message poller).
/// </summary>
public abstract class TwoNodes : IAsyncLifetime
{
    public string Schema { get; } = "t_" + Guid.NewGuid().ToString("N")[..12];

    public PostgresRelay RelayA { get; } = new(SupervisionApp.ConnectionString);

    public ClusterNode A { get; private set; } = null!;

    public ClusterNode B { get; private set; } = null!;

    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    public async Task InitializeAsync()
    {
        A = new ClusterNode("A", Schema, RelayA.ConnectionString, Settings);
        await A.InitializeAsync();
        await StartedAsync(A);
        B = new ClusterNode("B", Schema, SupervisionApp.ConnectionString, Settings);
        await B.InitializeAsync();
    }

    /// <summary>What node A must have done before node B starts.</summary>
    protected virtual Task StartedAsync(ClusterNode a) => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        RelayA.Sever();
        await Task.WhenAll(A.DisposeAsync(), B.DisposeAsync());
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>Waits for a condition on tables of the cluster's schema, woken by PostgreSQL itself (<see cref="SchemaChanges"/>).</summary>
    public Task<TimeSpan> WaitUntilChangedAsync(string[] tables, Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        SchemaChanges.UntilAsync(Schema, tables, condition, timeout, what);
}
