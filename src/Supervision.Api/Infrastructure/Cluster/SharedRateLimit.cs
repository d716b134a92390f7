using System.Globalization;
using System.Threading.RateLimiting;
using Marten;
using Microsoft.AspNetCore.RateLimiting;
using Npgsql;

namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>
/// The anonymous budget of <c>Supervision:PublicRequestsPerMinute</c> per client address, counted in PostgreSQL so that every
/// node gives the same answer: a window opens with a client's first request and lasts a minute; each request is one upsert
/// that counts it and returns the count and when the window ends. Over budget: 429 with <c>Retry-After</c> (the seconds left
/// in the window), as before.
/// If PostgreSQL does not answer, each node falls back to its own in-memory window for a few seconds before asking again
/// (fail to local rather than open or closed): the public pages keep answering what they can, a database outage does not
/// become a wave of 500s or 429s, and a flood is still bounded per node.
/// </summary>
public sealed class PublicRateWindows(SupervisionSettings settings, ILogger<PublicRateWindows> logger) : IAsyncDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>How long a node counts locally after PostgreSQL failed to answer, before it asks again.</summary>
    private static readonly TimeSpan LocalFallback = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource dataSource = new NpgsqlDataSourceBuilder(
        new NpgsqlConnectionStringBuilder(settings.ConnectionString) { ApplicationName = "supervision-rate-limit", Timeout = 2, CommandTimeout = 2 }.ConnectionString).Build();

    private long localUntilTicks;

    public bool CountingLocally => DateTime.UtcNow.Ticks < Interlocked.Read(ref localUntilTicks);

    // The window restarts when the stored one has ended; otherwise the request is counted in it. All SET expressions read the
    // row as it was, so both columns see the same old window.
    private string CountSql => $"""
        insert into {settings.Schema}.public_rate_windows as w (client, window_start, count) values (@client, now(), 1)
        on conflict (client) do update set
          window_start = case when w.window_start <= now() - @window then now() else w.window_start end,
          count = case when w.window_start <= now() - @window then 1 else w.count + 1 end
        returning count, extract(epoch from window_start + @window - now())::float8
        """;

    /// <summary>The request's number in its client's current window, and the seconds until that window ends; null if PostgreSQL did not answer.</summary>
    public async Task<(int Count, double SecondsLeft)?> CountAsync(string client, CancellationToken ct)
    {
        if (CountingLocally) return null;
        try
        {
            await using var command = dataSource.CreateCommand(CountSql);
            command.Parameters.AddWithValue("client", client);
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

/// <summary>One client's budget as seen by this node: the shared count, or a local window while PostgreSQL is away.</summary>
internal sealed class SharedWindowRateLimiter(string client, int permitLimit, PublicRateWindows windows) : RateLimiter
{
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
        if (await windows.CountAsync(client, cancellationToken) is not { } counted)
            return await Local.AcquireAsync(permitCount, cancellationToken);
        return counted.Count <= permitLimit ? Granted.Instance : new Refused(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(counted.SecondsLeft))));
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
public sealed class PublicRateWindowCleanup(PublicRateWindows windows, IConfiguration configuration, ILogger<PublicRateWindowCleanup> logger, PeriodicJobLeadership leadership)
    : PeriodicJob(configuration, logger, leadership, "RateWindowCleanupIntervalMinutes", 10)
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
    public static IServiceCollection AddSharedPublicRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = int.TryParse(configuration["Supervision:PublicRequestsPerMinute"], out var limit) ? limit : 120;
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
