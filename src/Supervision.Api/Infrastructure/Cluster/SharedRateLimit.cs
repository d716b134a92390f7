using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

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

/// <summary>
/// One client's budget as seen by this node: the shared count, or a local window while PostgreSQL is away.
/// At most one count of this client is on its way to PostgreSQL from this node at a time: requests that arrive meanwhile wait for
/// the next one, which counts them all in one upsert and hands each its own number (a burst of one client costs one round trip per
/// commit, not one row lock each). Every request is still counted in the shared window before it is let through.
/// </summary>
internal sealed class SharedWindowRateLimiter(string client, int permitLimit, PublicRateWindows windows) : RateLimiter
{
    private readonly Lock gate = new();
    private List<TaskCompletionSource<(int Count, double SecondsLeft)?>>? waiting;
    private bool counting;

    // Made only when PostgreSQL fails: each one keeps a timer, and normally no client needs one.
    private FixedWindowRateLimiter? local;

    private FixedWindowRateLimiter Local => LazyInitializer.EnsureInitialized(ref local,
        () => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = PublicRateWindows.Window }));
    private long lastUsedTicks = DateTime.UtcNow.Ticks;

    public override TimeSpan? IdleDuration => TimeSpan.FromTicks(DateTime.UtcNow.Ticks - Interlocked.Read(ref lastUsedTicks));

    public override RateLimiterStatistics? GetStatistics() => local?.GetStatistics();

    // The middleware asks synchronously first and then asynchronously; the answer needs a round trip, so only the latter decides.
    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Undecided.Instance;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref lastUsedTicks, DateTime.UtcNow.Ticks);
        if (await CountAsync().WaitAsync(cancellationToken) is not { } counted)
            return await Local.AcquireAsync(permitCount, cancellationToken);
        return counted.Count <= permitLimit ? Granted.Instance : new Refused(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(counted.SecondsLeft))));
    }

    /// <summary>This request's number in the shared window: joins the next upsert of this client, starting it if none is under way.</summary>
    private Task<(int Count, double SecondsLeft)?> CountAsync()
    {
        var numbered = new TaskCompletionSource<(int Count, double SecondsLeft)?>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            (waiting ??= []).Add(numbered);
            if (counting) return numbered.Task;
            counting = true;
        }
        _ = CountWaitingAsync();
        return numbered.Task;
    }

    // Runs until nobody waits: each pass takes every request that arrived during the previous one. Not cancelled by any one request
    // (the others wait for the same answer); PublicRateWindows bounds it with a 2 s command timeout and never throws for PostgreSQL.
    private async Task CountWaitingAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<(int Count, double SecondsLeft)?>> batch;
            lock (gate)
            {
                if (waiting is null)
                {
                    counting = false;
                    return;
                }
                (batch, waiting) = (waiting, null);
            }
            try
            {
                var counted = await windows.CountAsync(client, batch.Count, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].SetResult(counted is { } last ? (last.Count - batch.Count + 1 + i, last.SecondsLeft) : null);
            }
            catch (Exception e)
            {
                foreach (var request in batch) request.TrySetException(e);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) local?.Dispose();
        base.Dispose(disposing);
    }

    private sealed class Granted : RateLimitLease
    {
        public static readonly Granted Instance = new();
        public override bool IsAcquired => true;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata) => (metadata = null) is not null;
    }

    private sealed class Undecided : RateLimitLease
    {
        public static readonly Undecided Instance = new();
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [];
        public override bool TryGetMetadata(string metadataName, out object? metadata) => (metadata = null) is not null;
    }

    private sealed class Refused(TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => false;
        public override IEnumerable<string> MetadataNames => [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

/// <summary>Removes ended windows every <c>Supervision:RateWindowCleanupIntervalMinutes</c> (10 by default), on one node.</summary>
public sealed class PublicRateWindowCleanup(PublicRateWindows windows, SupervisionSettings settings, ILogger<PublicRateWindowCleanup> logger, PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.RateWindowCleanup, logger, leadership)
{
    protected override Task RunOnceAsync(CancellationToken ct) => windows.DeleteEndedAsync(ct);
}

/// <summary>The table of windows is part of the schema model, so a migration creates it and the drift test covers it.</summary>
public sealed class PublicRateWindowsModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(options.DatabaseSchemaName, "public_rate_windows",
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("client").AsPrimaryKey();
        table.AddColumn<DateTimeOffset>("window_start").NotNull();
        table.AddColumn<int>("count").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(table);
    }
}

public static class SharedRateLimit
{
    /// <summary>Registers the public policy (<see cref="Public.PublicPages.RateLimitPolicy"/>) on the shared count.</summary>
    public static IServiceCollection AddSharedPublicRateLimit(this IServiceCollection services, int perMinute)
    {
        services.AddSingleton<PublicRateWindows>();
        services.AddHostedService<PublicRateWindowCleanup>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // A refused caller learns when to come back: the seconds left in its window.
            options.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter =
                    (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60)
                    .ToString(CultureInfo.InvariantCulture);
                return ValueTask.CompletedTask;
            };
            options.AddPolicy(Public.PublicPages.RateLimitPolicy, context =>
            {
                var windows = context.RequestServices.GetRequiredService<PublicRateWindows>();
                return RateLimitPartition.Get(context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    client => new SharedWindowRateLimiter(client, perMinute, windows));
            });
        });
        return services;
    }
}
