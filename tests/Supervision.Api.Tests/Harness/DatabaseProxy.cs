using System.Net;
using System.Net.Sockets;

namespace Supervision.Api.Tests.Harness;

/// <summary>
/// A TCP relay between a host and the shared PostgreSQL that a test can cut: <see cref="Cut"/> resets every open connection
/// and stops listening (new connections are refused, as when the server is down), <see cref="Restore"/> listens again on the
/// same port. The shared cluster itself is never touched.
/// </summary>
public sealed class DatabaseProxy : IAsyncDisposable
{
    private readonly IPEndPoint target;
    private readonly List<Socket> open = [];
    private readonly object gate = new();
    private TcpListener? listener;
    private CancellationTokenSource? accepting;

    public DatabaseProxy(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        target = new IPEndPoint(IPAddress.Loopback, builder.Port);
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Restore();
    }

    public int Port { get; }

    /// <summary>The connection string a host uses to reach the database through this relay.</summary>
    public string Through(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    public void Restore()
    {
        lock (gate)
        {
            if (listener is not null) return;
            listener = new TcpListener(IPAddress.Loopback, Port);
            listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Start();
            accepting = new CancellationTokenSource();
            _ = AcceptAsync(listener, accepting.Token);
        }
    }

    public void Cut()
    {
        lock (gate)
        {
            accepting?.Cancel();
            listener?.Stop();
            listener = null;
            foreach (var socket in open)
            {
                // Linger 0: the peer sees a reset at once, as after a crash, not an orderly close.
                try { socket.LingerState = new LingerOption(true, 0); socket.Close(); }
                catch (Exception e) when (e is ObjectDisposedException or SocketException) { }
            }
            open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener server, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient downstream;
            try { downstream = await server.AcceptTcpClientAsync(ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            var upstream = new TcpClient();
            try { await upstream.ConnectAsync(target, ct); }
            catch (Exception e) when (e is OperationCanceledException or SocketException) { downstream.Dispose(); upstream.Dispose(); continue; }
            lock (gate)
            {
                if (ct.IsCancellationRequested) { downstream.Dispose(); upstream.Dispose(); return; }
                open.Add(downstream.Client);
                open.Add(upstream.Client);
            }
            _ = PumpAsync(downstream, upstream);
            _ = PumpAsync(upstream, downstream);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream()); }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidOperationException) { }
        finally { from.Close(); to.Close(); }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
