namespace Supervision.Api.Directories.Matters;

/// <summary>
/// A keeper acts only for their own department (the token's <c>dept</c> claim): a caller acting for another department
/// is refused with 403, as a problem document naming the field and the rule like every other refusal.
/// </summary>
public static class DepartmentAccess
{
    /// <summary>A 403 problem when the caller does not act for <paramref name="departmentId"/>; "no problem" otherwise or when it is unknown.</summary>
    public static ProblemDetails? Require(ClaimsPrincipal user, Guid? departmentId, string field)
    {
        if (departmentId is not { } id) return null;
        return MatterRules.CheckActsFor(user.As(Roles.DirectoryKeeper), id, field) is { } error ? Forbidden(error) : null;
    }

    /// <summary>The access check first, then the decision's own refusal, if any.</summary>
    public static ProblemDetails Then(this ProblemDetails? access, Decision decision) => access ?? decision.ToProblem();

    public static ProblemDetails Forbidden(DomainError error) => ProblemResponses.Forbidden(error);

    public static ProblemDetails NoProblems => WolverineContinue.NoProblems;
}
