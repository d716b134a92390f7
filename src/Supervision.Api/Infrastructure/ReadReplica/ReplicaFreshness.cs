namespace Supervision.Api.Infrastructure.ReadReplica;

public enum ReplicaState
{
    /// <summary>No <c>ConnectionStrings:SupervisionReplica</c>: every read goes to the primary.</summary>
    NotConfigured,
    /// <summary>Reachable, a standby, and behind the primary by at most the bound: reads go to it.</summary>
    Fresh,
    /// <summary>Reachable but behind by more than the bound (or by an unknown amount).</summary>
    Lagging,
    /// <summary>Connecting or querying failed.</summary>
    Unreachable,
    /// <summary>Answers, but is not in recovery (e.g. promoted, or the primary itself): not the copy it is meant to be.</summary>
    NotAStandby,
}

/// <summary>
/// One measurement of the replica. <see cref="DataAsOf"/> is a moment up to which everything committed on the primary is
/// visible on the replica; <see cref="Lag"/> is how far that lay behind the moment of the measurement.
/// </summary>
public sealed record ReplicaFreshness(ReplicaState State, DateTimeOffset MeasuredAt, DateTimeOffset? DataAsOf, TimeSpan? Lag)
{
    public bool Usable => State == ReplicaState.Fresh;

    public static ReplicaFreshness NotConfigured(DateTimeOffset now) => new(ReplicaState.NotConfigured, now, null, null);

    public static ReplicaFreshness Unreachable(DateTimeOffset now) => new(ReplicaState.Unreachable, now, null, null);

    /// <summary>The header value: kebab-case, e.g. <c>not-configured</c>.</summary>
    public string StateName => State switch
    {
        ReplicaState.NotConfigured => "not-configured",
        ReplicaState.Fresh => "fresh",
        ReplicaState.Lagging => "lagging",
        ReplicaState.Unreachable => "unreachable",
        ReplicaState.NotAStandby => "not-a-standby",
        _ => State.ToString(),
    };
}
