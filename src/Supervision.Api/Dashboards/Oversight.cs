using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>
/// Who may see whose figures: a department its own; a region's market regulation department (which runs its 双随机 office)
/// every department and region in and below its region; auditors, 纪检 and system administrators everything.
/// </summary>
public static class Oversight
{
    public static DomainError? Check(ClaimsPrincipal user, IReadOnlyList<Department> departments, string regionCode, Guid? departmentId)
    {
        if (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.DisciplineInspector) || user.IsInRole(Roles.SystemAdmin)) return null;
        var mine = Mine(user, departments);
        if (mine is null) return Forbidden;
        if (departmentId == mine.Id) return null;
        return IsRegionWide(mine) && RegionCodes.Within(regionCode, mine.RegionCode) ? null : Forbidden;
    }

    private static Department? Mine(ClaimsPrincipal user, IReadOnlyList<Department> departments) =>
        Guid.TryParse(user.FindFirst(AuthSettings.ClaimDepartment)?.Value, out var id) ? departments.FirstOrDefault(d => d.Id == id) : null;

    private static readonly DomainError Forbidden =
        DomainError.Invalid("scope", "dashboard.not-yours", "These figures belong to a department or region you do not oversee.");

    /// <summary>The market regulation department of a region leads its 双随机 office and oversees the whole region.</summary>
    private static bool IsRegionWide(Department d) => d.Kind == DepartmentKind.MarketRegulation;
}
