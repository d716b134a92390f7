namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// The one way a command endpoint answers: the state (or its view) after the accepted events, and the events for Wolverine's
/// aggregate handler workflow to append in the same transaction.
/// </summary>
public static class CommandAnswers
{
    public static (T, Events) StateAfter<T>(T state, Decision decision) where T : class, IFolded<T> =>
        (decision.After(state), new Events(decision.Events));

    public static (TView, Events) StateAfter<T, TView>(T state, Decision decision, Func<T, TView> view) where T : class, IFolded<T> =>
        (view(decision.After(state)), new Events(decision.Events));
}
