namespace Supervision.Api.Revisits;

internal static class RevisitRecorders
{
    /// <summary>Who records a revisit: an enforcement officer or a reviewer of the department (never one of the case's inspectors).</summary>
    public const string Recorders = $"{Roles.Inspector},{Roles.Reviewer}";

    public static Actor Recorder(this ClaimsPrincipal user) => user.As(user.IsInRole(Roles.Inspector) ? Roles.Inspector : Roles.Reviewer);

    public static Func<Guid, Guid?> ParentOf(IReadOnlyList<Department> departments)
    {
        var parents = departments.ToDictionary(d => d.Id, d => d.ParentDepartmentId);
        return id => parents.GetValueOrDefault(id);
    }
}
