namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// The one way a command that starts a stream answers (the creation side of <see cref="CommandAnswers"/>): 201 with the state,
/// or its view, after the accepted events, and the stream for Wolverine to start in the same transaction.
/// </summary>
public static class CreationAnswers
{
    public static (CreationResponse<T>, IStartStream) Started<T>(Guid id, string url, Decision decision) where T : class, IFolded<T> =>
        Started<T, T>(id, url, decision, state => state);

    public static (CreationResponse<TView>, IStartStream) Started<T, TView>(Guid id, string url, Decision decision, Func<T, TView> view)
        where T : class, IFolded<T>
    {
        var state = decision.Events.Aggregate((T?)null, (folded, e) => T.StateAfter(folded, e))!.WithVersion(decision.Events.Count);
        return (new CreationResponse<TView>(url, view(state)), MartenOps.StartStream<T>(id, decision.Events.ToArray()));
    }

    /// <summary>
    /// For a command that starts a stream once and answers a repeat with what is there (publish, withhold, open a follow-up): the state
    /// after the decision's events, which start the stream, or the existing state when the decision wrote nothing.
    /// </summary>
    public static (T State, IStartStream? Start) StartedOrExisting<T>(Guid id, T? existing, Decision decision) where T : class, IFolded<T> =>
        decision.Events.Count == 0
            ? (existing!, null)
            : (decision.Events.Aggregate((T?)null, (folded, e) => T.StateAfter(folded, e))!.WithVersion(decision.Events.Count),
                MartenOps.StartStream<T>(id, decision.Events.ToArray()));
}
