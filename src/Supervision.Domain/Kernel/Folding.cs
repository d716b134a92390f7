namespace Supervision.Domain.Kernel;

/// <summary>
/// A state folded from its own stream by a pure evolve, carrying the stream version it was folded to. Implemented by every
/// aggregate a command endpoint answers with, so "the state after the accepted events" is computed one way
/// (<see cref="Folding.After{T}"/>) instead of once per slice.
/// </summary>
public interface IFolded<TSelf> where TSelf : class, IFolded<TSelf>
{
    /// <summary>The stream version the state was folded to (Marten's stream version, counted from 1).</summary>
    long Version { get; }

    /// <summary>The same state stamped with another version.</summary>
    TSelf WithVersion(long version);

    /// <summary>The slice's pure evolve: the state after one event (null before the stream starts). Not named Evolve/Apply: Marten reads those names on aggregate types.</summary>
    static abstract TSelf? StateAfter(TSelf? state, object @event);
}

public static class Folding
{
    /// <summary>
    /// The state after an accepted decision's events, at the version they will have once appended: what a command answers with,
    /// computed from the pure evolve so the answer needs no second read.
    /// </summary>
    public static T After<T>(this Decision decision, T state) where T : class, IFolded<T> =>
        decision.Events.Aggregate(state, (folded, e) => T.StateAfter(folded, e)!).WithVersion(state.Version + decision.Events.Count);
}
