using System.Globalization;
using Marten;
using Npgsql;

namespace Supervision.Api.Infrastructure.ReadReplica;

/// <summary>
/// Opens the query session of a read that may be served by the replica (<see cref="ReadReplicaAttribute"/>): on the replica
/// while it is fresh, otherwise on the primary, and says on the response which one answered and how fresh that is.
/// </summary>
public sealed class ReplicaReads(IDocumentStore store, ReplicaMonitor monitor, ILogger<ReplicaReads> logger)
{
    /// <summary><c>replica</c> or <c>primary</c>.</summary>
    public const string SourceHeader = "X-Read-Source";

    /// <summary>A moment (ISO 8601, UTC) up to which everything committed is in the answer: the request's for the primary.</summary>
    public const string DataAsOfHeader = "X-Data-As-Of";

    /// <summary>How far the replica was behind the primary when last measured, in milliseconds (when known).</summary>
    public const string LagHeader = "X-Replica-Lag-Ms";

    /// <summary>Why the replica did or did not answer: fresh, lagging, unreachable, not-a-standby or not-configured.</summary>
    public const string StateHeader = "X-Replica-State";

    public async Task<IQuerySession> OpenAsync(HttpContext http, CancellationToken ct)
    {
        var freshness = await monitor.CurrentAsync(ct);
        if (freshness.Usable && monitor.Replica is { } replica)
        {
            NpgsqlConnection? connection = null;
            try
            {
                connection = await replica.OpenConnectionAsync(ct);
                // Marten does not own a connection it is handed: the response disposes it after the session.
                http.Response.RegisterForDisposeAsync(connection);
                var session = store.QuerySession(Marten.Services.SessionOptions.ForConnection(connection));
                Describe(http.Response, "replica", freshness, freshness.DataAsOf!.Value);
                return session;
            }
            catch (NpgsqlException e) when (!ct.IsCancellationRequested)
            {
                // Went down since the last measurement: this and the following requests go to the primary until it is measured again.
                logger.LogWarning("Read replica connection failed ({Message}); reading from the primary", e.Message);
                if (connection is not null) await connection.DisposeAsync();
                monitor.ReportUnreachable();
                freshness = ReplicaFreshness.Unreachable(TimeProvider.System.GetUtcNow());
            }
        }
        Describe(http.Response, "primary", freshness, TimeProvider.System.GetUtcNow());
        return store.QuerySession();
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
