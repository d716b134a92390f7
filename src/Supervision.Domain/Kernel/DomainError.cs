namespace Supervision.Domain.Kernel;

/// <summary>How a refusal should be understood by a caller: bad input, a missing referent, or a clash with current state.</summary>
public enum ErrorKind
{
    Invalid,
    NotFound,
    Conflict,
    /// <summary>The caller may not do this to this object (docs/access.md): 403.</summary>
    Forbidden,
}

/// <summary>
/// A refused command, naming the field (JSON member name, camelCase) and the rule it broke.
/// <paramref name="Rule"/> is a stable machine-readable code; <paramref name="Message"/> is for people.
/// </summary>
public sealed record DomainError(ErrorKind Kind, string Field, string Rule, string Message)
{
    public static DomainError Invalid(string field, string rule, string message) => new(ErrorKind.Invalid, field, rule, message);
    public static DomainError NotFound(string field, string rule, string message) => new(ErrorKind.NotFound, field, rule, message);
    public static DomainError Conflict(string field, string rule, string message) => new(ErrorKind.Conflict, field, rule, message);
    public static DomainError Forbidden(string field, string rule, string message) => new(ErrorKind.Forbidden, field, rule, message);
}
