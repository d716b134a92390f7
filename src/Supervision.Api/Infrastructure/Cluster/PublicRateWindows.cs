using System.Threading.RateLimiting;

namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>
/// The anonymous budget of <c>Supervision:PublicRequestsPerMinute</c> per client address, counted in PostgreSQL so that every
/// node gives the same answer: a window opens with a client's first request and lasts a minute; each request is one upsert
/// that counts it and returns the count and when the window ends. Over budget: 429 with <c>Retry-After</c> (the seconds left
/// in the window), as before.
/// If PostgreSQL does not answer, each node falls back to its own in-memory window for a few seconds before asking again
/// (fail to local rather than open or closed): the public pages keep answering what they can, a database outage does not
/// become a wave of 500s or 429s, and a flood is still bounded per node.
/// <para>Cost (issue 14, the public search): the count is a write, so it commits with <c>synchronous_commit = off</c>. A crash can
/// forget the last fraction of a second of counts, which for a rate limit means a few requests more; waiting for the WAL flush
/// made it the slowest part of a public request. Concurrent requests of one client on one node share one upsert
/// (<see cref="SharedWindowRateLimiter"/>), so they no longer queue on that client's row lock one commit at a time.</para>
/// </summary>
public sealed class PublicRateWindows(SupervisionSettings settings, ILogger<PublicRateWindows> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long a node counts locally after PostgreSQL failed to answer, before it asks again.</summary>
    private static readonly TimeSpan LocalFallback = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource dataSource = new NpgsqlDataSourceBuilder(CountingConnection(settings.ConnectionString)).Build();

    // Nothing here waits for the WAL flush (see above); the pool holds no other session state, so no reset either. Options the
    // configured connection string already passes to the server are kept.
    private static string CountingConnection(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = "supervision-rate-limit", Timeout = 2, CommandTimeout = 2, NoResetOnClose = true };
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        return builder.ConnectionString;
    }

    private long localUntilTicks;

    public bool CountingLocally => DateTime.UtcNow.Ticks < Interlocked.Read(ref localUntilTicks);

    // The window restarts when the stored one has ended; otherwise the requests are counted in it. All SET expressions read the
    // row as it was, so both columns see the same old window.
    private string CountSql => $"""
        insert into {settings.Schema}.public_rate_windows as w (client, window_start, count) values (@client, now(), @requests)
        on conflict (client) do update set
          window_start = case when w.window_start <= now() - @window then now() else w.window_start end,
          count = case when w.window_start <= now() - @window then @requests else w.count + @requests end
        returning count, extract(epoch from window_start + @window - now())::float8
        """;

    /// <summary>The request's number in its client's current window, and the seconds until that window ends; null if PostgreSQL did not answer.</summary>
    public Task<(int Count, double SecondsLeft)?> CountAsync(string client, CancellationToken ct) => CountAsync(client, 1, ct);

    /// <summary>
    /// Counts <paramref name="requests"/> requests of one client at once: the number of the last of them in the client's current
    /// window (the others are the numbers just below), and the seconds until that window ends; null if PostgreSQL did not answer.
    /// </summary>
    public async Task<(int Count, double SecondsLeft)?> CountAsync(string client, int requests, CancellationToken ct)
    {
        if (CountingLocally) return null;
        try
        {
            await using var command = dataSource.CreateCommand(CountSql);
            command.Parameters.AddWithValue("client", client);
            command.Parameters.AddWithValue("requests", requests);
            command.Parameters.AddWithValue("window", Window);
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt32(0), reader.GetDouble(1));
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            Interlocked.Exchange(ref localUntilTicks, (DateTime.UtcNow + LocalFallback).Ticks);
            logger.LogWarning(e, "The shared public rate limit is unreachable; counting on this node alone for {Seconds} s.", LocalFallback.TotalSeconds);
            return null;
        }
    }

    /// <summary>Windows that ended long ago: removed by <see cref="PublicRateWindowCleanup"/>.</summary>
    public async Task<int> DeleteEndedAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand($"delete from {settings.Schema}.public_rate_windows where window_start < now() - 2 * @window");
        command.Parameters.AddWithValue("window", Window);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
