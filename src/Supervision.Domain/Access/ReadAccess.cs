namespace Supervision.Domain.Access;

/// <summary>The caller as reading rules see them: user, roles, and their department with its region and kind (all null without one).</summary>
public sealed record Reader(string UserId, IReadOnlySet<string> Roles, Guid? DepartmentId, string? RegionCode, DepartmentKind? Kind)
{
    public bool Has(string role) => Roles.Contains(role);
}

/// <summary>A department as the rules need it: who it is and where.</summary>
public sealed record DepartmentPlace(Guid Id, string RegionCode);

/// <summary>
/// Who reads a department's confidential records (docs/access.md): plans, draws, inspection cases and follow-ups are the
/// department's own; least privilege by default. A token without a department reads none of them. Every endpoint asks
/// these functions; none decides on its own.
/// </summary>
public static class ReadAccess
{
    /// <summary>Roles of a department's office staff, who read what their department does (an inspector reads only their own cases).</summary>
    private static readonly string[] StaffRoles = [Roles.Planner, Roles.Approver, Roles.Reviewer, Roles.FollowUpHandler, Roles.DirectoryKeeper];

    private static bool Within(Reader reader, string regionCode) =>
        reader.RegionCode is { } mine && DepartmentRules.IsSameOrAncestorRegion(mine, regionCode);

    /// <summary>纪检 and auditors oversee the departments of their own region and the regions below it; never another region's.</summary>
    public static bool Oversees(Reader reader, string regionCode) =>
        reader.DepartmentId is not null && (reader.Has(Roles.DisciplineInspector) || reader.Has(Roles.Auditor)) && Within(reader, regionCode);

    /// <summary>
    /// The market regulation department of a region runs its 双随机 office (邢双随机办〔2022〕1号): its staff read the plans and draws of
    /// the departments in its region and below, not their cases.
    /// </summary>
    public static bool RunsTheRegionsOffice(Reader reader, string regionCode) =>
        reader.DepartmentId is not null && reader.Kind == DepartmentKind.MarketRegulation && StaffRoles.Any(reader.Has) && Within(reader, regionCode);

    private static bool IsStaffOf(Reader reader, IEnumerable<Guid> departments) =>
        reader.DepartmentId is { } mine && StaffRoles.Any(reader.Has) && departments.Contains(mine);

    /// <summary>A plan or a draw: its own and its joint departments' staff, the region's office, 纪检 and auditors above it.</summary>
    public static bool MayReadPlanning(Reader reader, DepartmentPlace owner, IEnumerable<Guid> participants) =>
        reader.DepartmentId is { } mine
        && ((StaffRoles.Any(reader.Has) && (mine == owner.Id || participants.Contains(mine))) || Oversees(reader, owner.RegionCode) || RunsTheRegionsOffice(reader, owner.RegionCode));

    /// <summary>
    /// An inspection case: the staff of its departments; an inspector only when on its team, as the same person in the same department
    /// (user id and staff code compared by <see cref="Identity"/>); 纪检 and auditors above any of its departments.
    /// </summary>
    public static bool MayReadCase(Reader reader, IReadOnlyCollection<DepartmentPlace> departments, IEnumerable<(string StaffCode, Guid DepartmentId)> team) =>
        reader.DepartmentId is { } mine
        && (IsStaffOf(reader, departments.Select(d => d.Id))
            || (reader.Has(Roles.Inspector) && team.Any(m => m.DepartmentId == mine && Identity.Same(m.StaffCode, reader.UserId)))
            || departments.Any(d => Oversees(reader, d.RegionCode)));

    /// <summary>A follow-up: the staff of the department that opened it and of every department a measure was handed to; 纪检 and auditors above them.</summary>
    public static bool MayReadFollowUp(Reader reader, IReadOnlyCollection<DepartmentPlace> departments) =>
        reader.DepartmentId is not null && (IsStaffOf(reader, departments.Select(d => d.Id)) || departments.Any(d => Oversees(reader, d.RegionCode)));

    /// <summary>
    /// A job (an import now, a rebuild later): the staff of the department that started it, the region's office, 纪检 and auditors above it,
    /// and system administrators; a job started without a department, administrators only.
    /// </summary>
    public static bool MayReadJob(Reader reader, DepartmentPlace? owner) =>
        reader.Has(Roles.SystemAdmin)
        || (owner is not null && (IsStaffOf(reader, [owner.Id]) || Oversees(reader, owner.RegionCode) || RunsTheRegionsOffice(reader, owner.RegionCode)));

    /// <summary>
    /// A department's quarterly progress reports and annual summary (工作总结): its own staff, who write them; the office they are sent
    /// to, the region's 双随机 office (邢双随机办〔2022〕1号 四 "报送我办"; 石鹿市监〔2026〕6号 四 "报送区市场监管局"); 纪检 and auditors
    /// above. Another department, even of the same region, reads neither the content nor the standing.
    /// </summary>
    public static bool MayReadProgressReport(Reader reader, DepartmentPlace owner) =>
        reader.DepartmentId is { } mine
        && ((StaffRoles.Any(reader.Has) && mine == owner.Id) || Oversees(reader, owner.RegionCode) || RunsTheRegionsOffice(reader, owner.RegionCode));
}
