using System.Threading.RateLimiting;

namespace Supervision.Api.Infrastructure.Cluster;

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
