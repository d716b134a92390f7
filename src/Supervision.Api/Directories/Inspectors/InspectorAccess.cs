namespace Supervision.Api.Directories.Inspectors;

/// <summary>What every inspector command needs besides its decision: who may act, what day it is, the tag library.</summary>
public static class InspectorAccess
{
    /// <summary>China Standard Time (UTC+8, no daylight saving): the calendar the departments work by.</summary>
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    /// <summary>
    /// A directory keeper acts only for their own department (the token's department claim): anyone else is refused with
    /// 403 before the decision's own refusals are shown. Otherwise the decision's problem, if any.
    /// </summary>
    public static ProblemDetails Check(ClaimsPrincipal user, Guid? departmentId, Decision decision) =>
        Forbidden(user, departmentId) ?? decision.ToProblem();

    public static ProblemDetails? Forbidden(ClaimsPrincipal user, Guid? departmentId)
    {
        if (departmentId is not { } id || id == Guid.Empty) return null;
        var by = user.As(Roles.DirectoryKeeper);
        if (InspectorRules.IsKeeperOf(by, id)) return null;
        return ProblemResponses.Forbidden(DomainError.Conflict("departmentId", "inspector.department.not-yours",
            $"Only a directory keeper of department {id} keeps its inspectors; the caller acts for {by.DepartmentId?.ToString() ?? "no department"}."));
    }

    /// <summary>Today in China; the domain never reads a clock, the endpoints pass the day in.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(ChinaOffset).DateTime);
}
