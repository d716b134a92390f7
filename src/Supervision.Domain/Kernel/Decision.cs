namespace Supervision.Domain.Kernel;

/// <summary>
/// The outcome of a pure decide function: either the events to append, or the reasons for refusal.
/// Never both: a refused command writes nothing.
/// </summary>
public sealed class Decision
{
    private Decision(IReadOnlyList<object> events, IReadOnlyList<DomainError> errors)
    {
        Events = events;
        Errors = errors;
    }

    public IReadOnlyList<object> Events { get; }
    public IReadOnlyList<DomainError> Errors { get; }
    public bool IsRejected => Errors.Count > 0;

    public static Decision Accept(params object[] events) => new(events, []);

    public static Decision Reject(IEnumerable<DomainError> errors)
    {
        var list = errors.ToList();
        if (list.Count == 0) throw new ArgumentException("A rejection needs at least one error.", nameof(errors));
        return new Decision([], list);
    }

    public static Decision Reject(DomainError error) => Reject([error]);

    /// <summary>Accepts with the events built by <paramref name="accept"/> unless <paramref name="errors"/> has any.</summary>
    public static Decision AcceptUnless(IReadOnlyCollection<DomainError> errors, Func<object[]> accept) =>
        errors.Count > 0 ? Reject(errors) : Accept(accept());
}
