namespace Supervision.Api.Infrastructure.ReadReplica;

/// <summary>
/// Where the public pages, the public API, dashboards and reports may read from: <c>ConnectionStrings:SupervisionReplica</c>
/// (a hot standby of the primary, e.g. the one <c>ops/replica.sh</c> starts), used only while it lags the primary by at most
/// <c>Supervision:ReplicaMaxLagMilliseconds</c>.
/// </summary>
public sealed record ReadReplicaSettings
{
    public string? ConnectionString { get; init; }

    /// <summary>The most a replica answer may lag the primary; beyond it the primary answers.</summary>
    public TimeSpan MaxLag { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one measurement of the replica's freshness is trusted: requests in between cost no round trip to either
    /// server, and a replica that is down costs one failed connection attempt per period, not one per request.
    /// </summary>
    public TimeSpan HealthCacheDuration { get; init; } = TimeSpan.FromSeconds(1);

    public bool Configured => ConnectionString is not null;

    internal static ReadReplicaSettings From(Settings.SettingsReader read) => new()
    {
        ConnectionString = read.Configuration.GetConnectionString("SupervisionReplica") is { Length: > 0 } cs ? cs : null,
        MaxLag = read.Milliseconds("Supervision:ReplicaMaxLagMilliseconds", TimeSpan.FromSeconds(2), zeroAllowed: true),
        HealthCacheDuration = read.Milliseconds("Supervision:ReplicaHealthCacheMilliseconds", TimeSpan.FromSeconds(1), zeroAllowed: true),
    };
}
