using Marten.Events;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// A moment in the event store's history: a global event sequence number, or a timestamp (the last event committed at
/// or before it). Auditors replaying a 2026 draw in 2030 ask for the directory "as of" the draw's recorded sequence.
/// </summary>
public sealed record AsOfPoint(long? Sequence, DateTimeOffset? At)
{
    public bool IsNow => Sequence is null && At is null;
}

/// <summary>
/// Rebuilds the state of every stream of a directory as it was at a past moment, by folding the events up to that
/// moment with the same pure evolve function the live projection uses, so "as of now" and the live read model agree.
/// </summary>
public static class AsOf
{
    public static Task<IReadOnlyDictionary<Guid, TState>> FoldAsync<TState>(
        IQuerySession session, AsOfPoint point, Type[] eventTypes, Func<TState?, object, TState?> evolve, CancellationToken ct)
        where TState : class =>
        FoldByKeyAsync<TState>(session, point, eventTypes, e => e.StreamId, (state, data, _) => evolve(state, data), ct);

    /// <summary>
    /// Folds events into states keyed by what each event names rather than by its stream (a read model that gathers
    /// several streams), passing each event's commit instant for the facts no event states a date of its own.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, TState>> FoldByKeyAsync<TState>(IQuerySession session, AsOfPoint point, Type[] eventTypes,
        Func<IEvent, Guid?> keyOf, Func<TState?, object, DateTimeOffset, TState?> evolve, CancellationToken ct)
        where TState : class
    {
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(eventTypes));
        if (point.Sequence is { } sequence) query = query.Where(e => e.Sequence <= sequence);
        if (point.At is { } at) query = query.Where(e => e.Timestamp <= at);

        var states = new Dictionary<Guid, TState>();
        await foreach (var e in query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
        {
            if (keyOf(e) is not { } key) continue;
            var next = evolve(states.GetValueOrDefault(key), e.Data, e.Timestamp);
            if (next is null) states.Remove(key);
            else states[key] = next;
        }
        return states;
    }

    /// <summary>The sequence of the last event committed at or before <paramref name="at"/> (0 before the first event).</summary>
    public static async Task<long> LastSequenceAtAsync(IQuerySession session, DateTimeOffset at, CancellationToken ct)
    {
        var last = await session.Events.QueryAllRawEvents().Where(e => e.Timestamp <= at).OrderByDescending(e => e.Sequence).FirstOrDefaultAsync(ct);
        return last?.Sequence ?? 0;
    }

    /// <summary>The highest sequence number committed so far, to record with a query answered "now".</summary>
    public static async Task<long> CurrentSequenceAsync(IQuerySession session, CancellationToken ct)
    {
        var stats = await session.DocumentStore.Advanced.FetchEventStoreStatistics(token: ct);
        return stats.EventSequenceNumber;
    }
}
