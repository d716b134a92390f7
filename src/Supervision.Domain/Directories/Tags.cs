namespace Supervision.Domain.Directories;

/// <summary>What a tag may be put on.</summary>
public enum TagScope
{
    Target,
    Inspector,
    Both,
}

public sealed record DefineTag(string Code, string Name, TagScope? Scope, Guid? OwnerDepartmentId, string? Description);
public sealed record RetireTag(string Reason, long Version);

public sealed record TagDefined(Guid TagId, string Code, string Name, TagScope Scope, Guid OwnerDepartmentId, string? Description, Actor By);
public sealed record TagRetired(Guid TagId, string Reason, Actor By);

/// <summary>
/// A tag of the tag library (标签字库): the vocabulary of classification tags (分类标注) that precise draws (精准抽取)
/// and precise matching (精准匹配) filter on. Owned by a department; codes are unique system-wide.
/// </summary>
public sealed record TagDefinition(Guid Id, string Code, string Name, TagScope Scope, Guid OwnerDepartmentId, string? Description, bool Active) : IFolded<TagDefinition>
{
    public long Version { get; init; }

    public TagDefinition WithVersion(long version) => this with { Version = version };

    public static TagDefinition? StateAfter(TagDefinition? state, object @event) => TagRules.Evolve(state, @event);

    public static Guid IdFor(string code) => DeterministicId.For("tag", Identifiers.Normalize(code));

    public bool AppliesTo(TagScope scope) => Scope == TagScope.Both || Scope == scope;
}

public static class TagRules
{
    /// <summary>Every event type of a tag stream.</summary>
    public static readonly IReadOnlyList<Type> EventTypes = [typeof(TagDefined), typeof(TagRetired)];

    public static bool IsValidCode(string? code) =>
        code is { Length: >= 1 and <= 60 } && code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public static Decision Decide(DefineTag command, TagDefinition? existing, bool ownerExists, Actor by)
    {
        var errors = new List<DomainError>();
        if (!IsValidCode(Identifiers.NormalizeOrNull(command.Code)))
            errors.Add(DomainError.Invalid("code", "tag.code.format", "A tag code is 1 to 60 ASCII letters, digits, '-', '_' or '.'."));
        Text.RequireName(errors, "name", command.Name, 100);
        if (command.Scope is null)
            errors.Add(DomainError.Invalid("scope", "scope.required", $"'scope' is required: one of {string.Join(", ", Enum.GetNames<TagScope>())}."));
        if (command.OwnerDepartmentId is null)
            errors.Add(DomainError.Invalid("ownerDepartmentId", "ownerDepartmentId.required", "'ownerDepartmentId' is required."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (!ownerExists)
            return Decision.Reject(DomainError.Invalid("ownerDepartmentId", "department.unknown", $"Department {command.OwnerDepartmentId} is not registered or is deactivated."));
        if (existing is not null)
            return Decision.Reject(DomainError.Conflict("code", "tag.code.taken", $"Tag {command.Code} is already defined as '{existing.Name}'."));
        return Decision.Accept(new TagDefined(TagDefinition.IdFor(command.Code), Identifiers.Normalize(command.Code), command.Name.Trim(),
            command.Scope!.Value, command.OwnerDepartmentId!.Value, command.Description?.Trim(), by));
    }

    public static Decision Decide(RetireTag command, TagDefinition tag, Actor by) =>
        RegistryEntry.Deactivate(command.Reason, tag.Active, reason => new TagRetired(tag.Id, reason, by));

    public static TagDefinition? Evolve(TagDefinition? state, object @event) => @event switch
    {
        TagDefined e => new TagDefinition(e.TagId, e.Code, e.Name, e.Scope, e.OwnerDepartmentId, e.Description, Active: true),
        TagRetired when state is not null => state with { Active = false },
        _ => state,
    };

    /// <summary>
    /// Checks tag codes given for a target or an inspector against the library: each must exist, be active and apply
    /// to <paramref name="scope"/>. <paramref name="library"/> holds the definitions found for the codes (by code).
    /// </summary>
    public static IEnumerable<DomainError> CheckTags(string field, IEnumerable<string> codes, IReadOnlyDictionary<string, TagDefinition> library, TagScope scope)
    {
        foreach (var code in codes)
        {
            if (!library.TryGetValue(code.ToUpperInvariant(), out var tag) || !tag.Active)
                yield return DomainError.Invalid(field, "tag.unknown", $"Tag '{code}' is not in the tag library (or is retired).");
            else if (!tag.AppliesTo(scope))
                yield return DomainError.Invalid(field, "tag.scope", $"Tag '{code}' is for {tag.Scope.ToString().ToLowerInvariant()}s, not {scope.ToString().ToLowerInvariant()}s.");
        }
    }

    public static IReadOnlyList<string> Normalize(IEnumerable<string>? codes) =>
        (codes ?? []).Select(Identifiers.NormalizeOrNull).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
}
