namespace Supervision.Domain.Tests.Testing;

/// <summary>
/// Given / When / Then over a slice's pure functions: <b>given</b> the events already stored, folded by the slice's evolve into the
/// state; <b>when</b> a command is decided against that state; <b>then</b> the events it appends, or the rule that refused it.
/// The one helper every decider test uses (it replaces the <c>Given</c>, <c>Fold</c> and <c>Story</c> each test class wrote for itself).
/// </summary>
/// <example>
/// <code>
/// Decider.For&lt;ResultPublication&gt;(PublicationRules.Evolve)
///     .Given(published)
///     .When(p =&gt; PublicationRules.Decide(withhold, p, inspectionCase, department, approver))
///     .ThenRefused("publication.published");
/// </code>
/// </example>
public static class Decider
{
    /// <summary>A specification over the state <paramref name="evolve"/> folds; <paramref name="withVersion"/> sets the version the store would give.</summary>
    public static DeciderSpec<TState> For<TState>(Func<TState?, object, TState?> evolve, Func<TState, long, TState>? withVersion = null)
        where TState : class => new(evolve, withVersion);

    /// <summary>The state these events fold to (for tests that only need a state to start from).</summary>
    public static TState Fold<TState>(Func<TState?, object, TState?> evolve, params object[] events) where TState : class =>
        events.Aggregate((TState?)null, evolve) ?? throw new Xunit.Sdk.XunitException("The given events fold to no state.");

    /// <summary>The events of an accepted decision (fails naming the rules when it was refused).</summary>
    public static IReadOnlyList<object> Accepted(Decision decision)
    {
        Assert.False(decision.IsRejected, "refused: " + string.Join("; ", decision.Errors.Select(e => $"{e.Field}: {e.Rule}")));
        return decision.Events;
    }

    /// <summary>The error naming <paramref name="rule"/> in a refused decision (fails when it was accepted or refused for other rules only).</summary>
    public static DomainError Refused(Decision decision, string rule)
    {
        Assert.True(decision.IsRejected, $"accepted ({decision.Events.Count} events), expected the refusal '{rule}'");
        return decision.Errors.FirstOrDefault(e => e.Rule == rule)
            ?? throw new Xunit.Sdk.XunitException($"refused for {string.Join(", ", decision.Errors.Select(e => e.Rule))}, not '{rule}'");
    }
}

public sealed class DeciderSpec<TState>(Func<TState?, object, TState?> evolve, Func<TState, long, TState>? withVersion) where TState : class
{
    private long version;

    /// <summary>The state after everything given and every accepted step so far.</summary>
    public TState? State { get; private set; }

    /// <summary>Events already stored, folded onto the state (each one adds 1 to its version).</summary>
    public DeciderSpec<TState> Given(params object[] events)
    {
        foreach (var @event in events)
        {
            State = evolve(State, @event);
            version++;
        }
        if (State is not null && withVersion is not null) State = withVersion(State, version);
        return this;
    }

    /// <summary>A state built directly (e.g. a read model), instead of from events.</summary>
    public DeciderSpec<TState> GivenState(TState state, long stateVersion = 0)
    {
        State = state;
        version = stateVersion;
        return this;
    }

    /// <summary>An accepted step in the story: its events become part of the given history.</summary>
    public DeciderSpec<TState> And(Func<TState?, Decision> decide) => Given([.. Decider.Accepted(decide(State))]);

    public DeciderOutcome<TState> When(Func<TState?, Decision> decide) => new(decide(State), this);
}

public sealed class DeciderOutcome<TState>(Decision decision, DeciderSpec<TState> spec) where TState : class
{
    public Decision Decision => decision;

    /// <summary>Accepted with exactly these events (compared by value).</summary>
    public DeciderSpec<TState> Then(params object[] expected)
    {
        Assert.Equal(expected, Decider.Accepted(decision));
        return spec.Given(expected);
    }

    /// <summary>Accepted; the events, for assertions on their content.</summary>
    public IReadOnlyList<object> ThenAccepted() => Decider.Accepted(decision);

    /// <summary>Accepted with nothing to append: the command repeats what is already so (idempotent).</summary>
    public void ThenNothingHappens() => Assert.Empty(Decider.Accepted(decision));

    /// <summary>Refused for <paramref name="rule"/>, with the given kind when named; the error, for assertions on its field.</summary>
    public DomainError ThenRefused(string rule, ErrorKind? kind = null)
    {
        var error = Decider.Refused(decision, rule);
        if (kind is { } expected) Assert.Equal(expected, error.Kind);
        return error;
    }
}
