using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Targets;

/// <summary>Everything a target command reads before it decides, read in one round trip.</summary>
public sealed record TargetCommandReads(TargetRules.References References, Reader Reader, IReadOnlyDictionary<Guid, DepartmentPlace> Places, Target? Existing);

/// <summary>Loads what target decisions check against: departments, tags and the province's credit scheme.</summary>
public static class TargetReferences
{
    public static async Task<TargetRules.References> LoadAsync(
        IQuerySession session, IEnumerable<Guid>? departmentIds, IEnumerable<string>? tagCodes, string? regionCode, CancellationToken ct)
    {
        var departments = await session.LoadManyAsync<Department>(ct, (departmentIds ?? []).Distinct().ToArray());
        var tags = await TagLibrary.LoadAsync(session, tagCodes, ct);
        return new(departments.ToDictionary(d => d.Id), tags, await SchemeForAsync(session, regionCode, ct));
    }

    /// <summary>
    /// The references, the caller's reader (from the same department list: departments are few) and, when named, the target
    /// as it stands: one batched query on the session's one connection.
    /// </summary>
    public static async Task<TargetCommandReads> LoadForCommandAsync(IQuerySession session, ClaimsPrincipal user,
        IEnumerable<Guid>? departmentIds, IEnumerable<string>? tagCodes, string? regionCode, Guid? existingId, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var departments = batch.Query<Department>().ToList();
        var tagIds = TagLibrary.IdsFor(tagCodes);
        var tags = tagIds.Length == 0 ? null : batch.LoadMany<TagDefinition>().ById(tagIds);
        var scheme = regionCode is { Length: 6 } ? batch.Load<CreditSchemeState>(CreditSchemeState.IdFor(CreditSchemeState.ProvinceOf(regionCode))) : null;
        var existing = existingId is { } id ? batch.Load<Target>(id) : null;
        await batch.Execute(ct);

        var all = await departments;
        var named = (departmentIds ?? []).ToHashSet();
        var references = new TargetRules.References(all.Where(d => named.Contains(d.Id)).ToDictionary(d => d.Id),
            TagLibrary.ByCode(tags is null ? [] : await tags), Scheme(scheme is null ? null : await scheme));
        var (reader, places) = Readers.From(user, all);
        return new(references, reader, places, existing is null ? null : await existing);
    }

    public static async Task<CreditRiskScheme> SchemeForAsync(IQuerySession session, string? regionCode, CancellationToken ct) =>
        regionCode is not { Length: 6 }
            ? CreditRiskScheme.Default
            : Scheme(await session.LoadAsync<CreditSchemeState>(CreditSchemeState.IdFor(CreditSchemeState.ProvinceOf(regionCode)), ct));

    private static CreditRiskScheme Scheme(CreditSchemeState? scheme) => scheme is null ? CreditRiskScheme.Default : new CreditRiskScheme(scheme.Classes);
}
