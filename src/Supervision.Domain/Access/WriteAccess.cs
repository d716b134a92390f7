namespace Supervision.Domain.Access;

/// <summary>
/// Who writes a directory entry (docs/access.md): a department keeps the targets of the regions it supervises (its own region and
/// the regions below it), names only itself among a target's supervising departments, and owns only its own tags. A keeper without
/// a department writes nothing.
/// </summary>
public static class WriteAccess
{
    public static DomainError? KeeperMayWriteTarget(Reader keeper, string targetRegion)
    {
        if (keeper.DepartmentId is null || keeper.RegionCode is null)
            return DomainError.Forbidden("departmentId", "keeper.no-department", "A directory keeper acts for a department; this token names none.");
        return DepartmentRules.IsSameOrAncestorRegion(keeper.RegionCode, targetRegion) ? null
            : DomainError.Forbidden("regionCode", "target.region.not-supervised",
                $"Your department supervises {keeper.RegionCode} and the regions below it; {targetRegion} is not among them.");
    }

    /// <summary>A keeper adds or removes only its own department among a target's supervising departments; the others stay as they were.</summary>
    public static DomainError? KeeperMayNameSupervisors(Reader keeper, IEnumerable<Guid> before, IEnumerable<Guid>? after)
    {
        if (after is null) return null;
        var changed = before.ToHashSet();
        changed.SymmetricExceptWith(after);
        return changed.All(d => d == keeper.DepartmentId) ? null
            : DomainError.Forbidden("supervisingDepartmentIds", "target.supervisors.not-yours",
                "You may add or remove only your own department as a supervising department; another department names itself.");
    }

    public static DomainError? KeeperMayOwnTag(Reader keeper, Guid? owner) =>
        keeper.DepartmentId is { } mine && (owner is null || owner == mine) ? null
            : DomainError.Forbidden("ownerDepartmentId", "tag.owner.not-yours", "A tag is owned by the department of the keeper who defines it.");

    /// <summary>Prepends the first refusal of an access rule to a decision.</summary>
    public static Decision Guard(Decision decision, params DomainError?[] refusals) =>
        refusals.FirstOrDefault(r => r is not null) is { } refused ? Decision.Reject(refused) : decision;
}
