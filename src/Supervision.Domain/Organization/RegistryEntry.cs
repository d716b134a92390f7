namespace Supervision.Domain.Organization;

/// <summary>
/// Renaming and deactivating an entry of the organization registry (a region, a department): the same rules for both, each
/// entry writing its own events. A change that would change nothing is accepted with no event.
/// </summary>
internal static class RegistryEntry
{
    /// <param name="whenInactive">The refusal of a deactivated entry, naming the entry's own rule.</param>
    public static Decision Rename(string name, string reason, int maxNameLength, string currentName, bool active, DomainError whenInactive,
        Func<string, string, object> renamed)
    {
        var errors = new List<DomainError>();
        Text.RequireName(errors, "name", name, maxNameLength);
        Text.RequireReason(errors, reason, RegionRules.MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!active) return Decision.Reject(whenInactive);
        if (currentName == name.Trim()) return Decision.Accept();
        return Decision.Accept(renamed(name.Trim(), reason.Trim()));
    }

    public static Decision Deactivate(string reason, bool active, Func<string, object> deactivated)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, reason, RegionRules.MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        return active ? Decision.Accept(deactivated(reason.Trim())) : Decision.Accept();
    }
}
