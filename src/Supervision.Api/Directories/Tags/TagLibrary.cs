namespace Supervision.Api.Directories.Tags;

/// <summary>Reads the tag definitions that tag codes name, keyed by upper-case code, for <see cref="TagRules.CheckTags"/>.</summary>
public static class TagLibrary
{
    public static async Task<IReadOnlyDictionary<string, TagDefinition>> LoadAsync(IQuerySession session, IEnumerable<string>? codes, CancellationToken ct)
    {
        var ids = IdsFor(codes);
        return ids.Length == 0 ? ByCode([]) : ByCode(await session.LoadManyAsync<TagDefinition>(ct, ids));
    }

    /// <summary>The ids of the definitions that the (valid) codes name.</summary>
    public static Guid[] IdsFor(IEnumerable<string>? codes) => TagRules.Normalize(codes).Where(TagRules.IsValidCode).Select(TagDefinition.IdFor).ToArray();

    public static IReadOnlyDictionary<string, TagDefinition> ByCode(IEnumerable<TagDefinition> tags) =>
        tags.ToDictionary(t => t.Code.ToUpperInvariant(), StringComparer.Ordinal);
}
