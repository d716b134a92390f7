namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>
/// One batch of the pass (whole transactions, in sequence order), prepared on the reading thread so the folding thread does only
/// the folding: the events each target takes (routed by event type once, instead of every target testing every event), the last
/// stream version of each transaction per stream (what a single-stream document's version becomes), and what a target computes
/// from the events alone (the subject index's rows).
/// </summary>
internal sealed class EventBatch
{
    public EventBatch(List<IEvent> events, EventRouter router)
    {
        Events = events;
        ForTarget = new List<IEvent>[router.Targets.Count];
        for (var i = 0; i < ForTarget.Length; i++) ForTarget[i] = [];
        foreach (var e in events)
        {
            foreach (var i in router.TargetsOf(e.Data.GetType())) ForTarget[i].Add(e);
            var key = (e.StreamId, e.Timestamp);
            if (!LastVersionOfTransaction.TryGetValue(key, out var v) || e.Version > v) LastVersionOfTransaction[key] = e.Version;
        }
        Prepared = new object?[router.Targets.Count];
        for (var i = 0; i < Prepared.Length; i++) Prepared[i] = router.Targets[i].Prepare(ForTarget[i]);
    }

    public List<IEvent> Events { get; }

    /// <summary>Per target (same index as the targets), the events it takes, in sequence order.</summary>
    public List<IEvent>[] ForTarget { get; }

    /// <summary>Per stream and commit stamp (one transaction), the stream version of its last event in this batch.</summary>
    public Dictionary<(Guid Stream, DateTimeOffset Committed), long> LastVersionOfTransaction { get; } = [];

    /// <summary>Per target, what <see cref="RebuildTarget.Prepare"/> computed on the reading thread.</summary>
    public object?[] Prepared { get; }
}

/// <summary>Which targets take an event type; asked once per type and remembered (used by one thread at a time).</summary>
internal sealed class EventRouter(IReadOnlyList<RebuildTarget> targets)
{
    private readonly Dictionary<Type, int[]> routes = [];

    public IReadOnlyList<RebuildTarget> Targets { get; } = targets;

    public int[] TargetsOf(Type eventType)
    {
        if (!routes.TryGetValue(eventType, out var route))
            routes[eventType] = route = Enumerable.Range(0, Targets.Count).Where(i => Targets[i].Takes(eventType)).ToArray();
        return route;
    }
}
