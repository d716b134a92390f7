namespace Supervision.Domain.Organization;

/// <summary>
/// Renaming and retiring an entry of a registry (a region, a department, a matter, a check form, a tag): the same rules for
/// all, each entry writing its own events. A change that would change nothing is accepted with no event.
/// </summary>
internal static class RegistryEntry
{
    /// <summary>The longest reason any registry change records.</summary>
    public const int MaxReasonLength = 1000;

    /// <param name="whenInactive">The refusal of a deactivated entry, naming the entry's own rule.</param>
    public static Decision Rename(string name, string reason, int maxNameLength, string currentName, bool active, DomainError whenInactive,
        Func<string, string, object> renamed)
    {
        var errors = new List<DomainError>();
        Text.RequireName(errors, "name", name, maxNameLength);
        Text.RequireReason(errors, reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!active) return Decision.Reject(whenInactive);
        if (currentName == name.Trim()) return Decision.Accept();
        return Decision.Accept(renamed(name.Trim(), reason.Trim()));
    }

    /// <summary>Deactivates (retires, withdraws) an active entry with the reason; an inactive one stays as it is.</summary>
    public static Decision Deactivate(string reason, bool active, Func<string, object> deactivated)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        return active ? Decision.Accept(deactivated(reason.Trim())) : Decision.Accept();
    }
}
