using Marten.Storage;

namespace Supervision.Api.Infrastructure.ReadReplica;

/// <summary>
/// Opens the query session of a read that may be served by the replica (<see cref="ReadReplicaAttribute"/>): on the replica
/// while it is fresh, otherwise on the primary, and says on the response which one answered and how fresh that is.
/// </summary>
public sealed class ReplicaReads(IDocumentStore store, ReplicaMonitor monitor, SupervisionSettings settings) : IAsyncDisposable
{
    /// <summary>
    /// The primary's pool for plain public reads (<see cref="OpenConnectionAsync"/>): its connections run only single read-only
    /// statements and never set session state (no <c>SET</c>, temporary tables, locks or <c>LISTEN</c>), so they skip the reset
    /// on return to the pool that the shared pool needs (see <see cref="SupervisionSettings.WithPoolDefaults"/>), and keep their
    /// prepared statements.
    /// </summary>
    private readonly Lazy<NpgsqlDataSource> publicReads = new(() => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(
        DatabaseResilience.WithConnectTimeout(settings.ConnectionString))
    { ApplicationName = "supervision-public-reads", NoResetOnClose = true }.ConnectionString));

    /// <summary><c>replica</c> or <c>primary</c>.</summary>
    public const string SourceHeader = "X-Read-Source";

    /// <summary>A moment (ISO 8601, UTC) up to which everything committed is in the answer: the request's for the primary.</summary>
    public const string DataAsOfHeader = "X-Data-As-Of";

    /// <summary>How far the replica was behind the primary when last measured, in milliseconds (when known).</summary>
    public const string LagHeader = "X-Replica-Lag-Ms";

    /// <summary>Why the replica did or did not answer: fresh, lagging, unreachable, not-a-standby or not-configured.</summary>
    public const string StateHeader = "X-Replica-State";

    /// <summary>
    /// The replica as a Marten database of this store (same mappings and schema, the replica's connection pool). Sessions on it behave
    /// exactly like the primary's, <c>session.Connection</c> included, which a session handed a bare connection does not offer here
    /// (Marten's connection tracing refuses it).
    /// </summary>
    private readonly Lazy<MartenDatabase?> replicaDatabase = new(() =>
        monitor.Replica is { } replica ? new MartenDatabase(((DocumentStore)store).Options, replica, "replica") : null);

    public async Task<IQuerySession> OpenAsync(HttpContext http, CancellationToken ct)
    {
        var freshness = await monitor.CurrentAsync(ct);
        if (freshness.Usable && replicaDatabase.Value is { } replica)
        {
            // The connection opens at the first query. A replica that went down since the last measurement fails those queries
            // until the next measurement (at most HealthCacheDuration away) routes reads to the primary.
            Describe(http.Response, "replica", freshness, freshness.DataAsOf!.Value);
            return store.QuerySession(Marten.Services.SessionOptions.ForDatabase(replica));
        }
        Describe(http.Response, "primary", freshness, TimeProvider.System.GetUtcNow());
        return store.QuerySession();
    }

    /// <summary>
    /// An open connection for a read that needs no Marten session (the public search): to the replica while it is fresh, else to the
    /// primary, described on the response exactly as <see cref="OpenAsync"/> does.
    /// </summary>
    public async Task<NpgsqlConnection> OpenConnectionAsync(HttpContext http, CancellationToken ct)
    {
        var freshness = await monitor.CurrentAsync(ct);
        if (freshness.Usable && monitor.Replica is { } replica)
        {
            Describe(http.Response, "replica", freshness, freshness.DataAsOf!.Value);
            return await replica.OpenConnectionAsync(ct);
        }
        Describe(http.Response, "primary", freshness, TimeProvider.System.GetUtcNow());
        return await publicReads.Value.OpenConnectionAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (publicReads.IsValueCreated) await publicReads.Value.DisposeAsync();
    }

    private static void Describe(HttpResponse response, string source, ReplicaFreshness freshness, DateTimeOffset dataAsOf)
    {
        response.Headers[SourceHeader] = source;
        response.Headers[DataAsOfHeader] = dataAsOf.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        response.Headers[StateHeader] = freshness.StateName;
        if (freshness.Lag is { } lag)
            response.Headers[LagHeader] = ((long)Math.Ceiling(lag.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
    }
}
