using System.Text.RegularExpressions;

namespace Supervision.Domain.Inspections;

/// <summary>
/// A province's own version of the result catalogue, in force for results entered from now on in its regions. A version
/// may drop codes the previous one had: results already entered keep the version (and wording) they were entered under.
/// </summary>
/// <param name="ProvinceCode">The province (GB/T 2260, e.g. 330000) whose version it is.</param>
/// <param name="Entries">The whole list: results (no parent) and their details, at most two levels below a result.</param>
/// <param name="Source">The document the list comes from, e.g. the provincial administration's notice and number.</param>
/// <param name="Reason">Why it is loaded (a new provincial form, a corrected wording…).</param>
public sealed record LoadResultCatalogue(string ProvinceCode, IReadOnlyList<CatalogueEntry>? Entries, string Source, string Reason);

/// <summary>
/// A province's catalogue from now on. <paramref name="Version"/> is "{province}-{Number}"; <paramref name="Replaces"/> is the version
/// in force for the province until then; <paramref name="RemovedCodes"/> the codes it had that this version no longer has.
/// </summary>
public sealed record ResultCatalogueVersionLoaded(
    Guid CatalogueId, string ProvinceCode, string Version, int Number, IReadOnlyList<CatalogueEntry> Entries, string Source, string Reason,
    string Replaces, IReadOnlyList<string> RemovedCodes, Actor By);

/// <summary>A province's loaded versions (one stream per province), oldest first; the last one is in force.</summary>
public sealed record ProvinceResultCatalogue(Guid Id, string ProvinceCode, IReadOnlyList<ResultCatalogue> Versions)
{
    public long Version { get; init; }

    public ResultCatalogue Current => Versions[^1];

    public static Guid IdFor(string provinceCode) => DeterministicId.For("result-catalogue", provinceCode);
}

public static partial class ResultCatalogueRules
{
    public static readonly IReadOnlySet<string> TargetStatuses = new HashSet<string> { "deregistered", "revoked", "cancelled", "moved-out" };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>
    /// Decides a province's load. Only a system administrator of a department of that province's own level (the provincial
    /// administration, region code = province code) loads it: a city or county, or another province, cannot change what a
    /// whole province's inspectors may record.
    /// </summary>
    /// <param name="province">The registered province, null when not registered.</param>
    /// <param name="actorRegionCode">The region of the acting administrator's department, null without one.</param>
    public static Decision Decide(LoadResultCatalogue command, Region? province, ProvinceResultCatalogue? loaded, string? actorRegionCode, Actor by)
    {
        var errors = new List<DomainError>();
        var provinceCode = command.ProvinceCode?.Trim() ?? "";
        if (!RegionRules.TryParseCode(provinceCode, out var level, out _) || level != RegionLevel.Province)
            errors.Add(DomainError.Invalid("provinceCode", "region.province.required", "'provinceCode' is a province-level GB/T 2260 code such as 330000."));
        Text.RequireName(errors, "source", command.Source, 300);
        Text.RequireReason(errors, command.Reason, 1000);
        var entries = (command.Entries ?? []).Select(e => e with
        {
            Code = e.Code?.Trim() ?? "",
            Wording = Text.Normalized(e.Wording),
            Parent = string.IsNullOrWhiteSpace(e.Parent) ? null : e.Parent.Trim(),
            TargetStatus = string.IsNullOrWhiteSpace(e.TargetStatus) ? null : e.TargetStatus.Trim(),
        }).ToList();
        errors.AddRange(CheckEntries(entries));
        if (errors.Count > 0) return Decision.Reject(errors);

        if (province is null)
            return Decision.Reject(DomainError.Invalid("provinceCode", "region.unknown", $"Region {provinceCode} is not registered."));
        if (actorRegionCode != provinceCode)
            return Decision.Reject(DomainError.Forbidden("provinceCode", "catalogue.province.not-yours",
                $"Only an administrator of the provincial administration of {provinceCode} loads its result catalogue; " +
                $"{by.UserId} acts for {(actorRegionCode is null ? "no department" : "a department of region " + actorRegionCode)}."));

        var replaces = loaded?.Current ?? ResultCatalogue.National;
        var number = (loaded?.Versions.Count ?? 0) + 1;
        var removed = replaces.Entries.Select(e => e.Code).Except(entries.Select(e => e.Code)).ToList();
        return Decision.Accept(new ResultCatalogueVersionLoaded(ProvinceResultCatalogue.IdFor(provinceCode), provinceCode, $"{provinceCode}-{number}", number,
            entries, command.Source.Trim(), command.Reason.Trim(), replaces.Version, removed, by));
    }

    private static IEnumerable<DomainError> CheckEntries(IReadOnlyList<CatalogueEntry> entries)
    {
        if (entries.Count == 0)
        {
            yield return DomainError.Invalid("entries", "catalogue.entries.required", "'entries' lists the catalogue: its results and their details.");
            yield break;
        }
        var byCode = new Dictionary<string, CatalogueEntry>();
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (!CodePattern().IsMatch(e.Code))
                yield return DomainError.Invalid($"entries[{i}].code", "catalogue.code.format",
                    $"'{e.Code}' is not a code: lower-case letters, digits and '-', at most 64, e.g. 'no-problem'.");
            else if (!byCode.TryAdd(e.Code, e))
                yield return DomainError.Invalid($"entries[{i}].code", "catalogue.code.duplicate", $"Code '{e.Code}' appears more than once: each entry has its own code.");
            if (e.Wording.Length == 0)
                yield return DomainError.Invalid($"entries[{i}].wording", "catalogue.wording.required", $"Entry '{e.Code}' has no wording.");
            else if (e.Wording.Length > 200 || Text.HasHiddenControl(e.Wording))
                yield return DomainError.Invalid($"entries[{i}].wording", "catalogue.wording.format", $"The wording of '{e.Code}' is at most 200 characters without control characters.");
            if (e.TargetStatus is not null && !TargetStatuses.Contains(e.TargetStatus))
                yield return DomainError.Invalid($"entries[{i}].targetStatus", "catalogue.status.unknown",
                    $"'{e.TargetStatus}' is not a status outcome: one of {string.Join(", ", TargetStatuses)}.");
            if (e.Parent is not null && (e.ProblemFound || e.NeedsFollowUp || e.TargetStatus is not null))
                yield return DomainError.Invalid($"entries[{i}].parent", "catalogue.flags.result-only",
                    $"'{e.Code}' is a detail of '{e.Parent}': problem, follow-up and status flags belong to the result it details.");
        }
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            if (e.Parent is null) continue;
            if (!byCode.ContainsKey(e.Parent))
            {
                yield return DomainError.Invalid($"entries[{i}].parent", "catalogue.parent.unknown", $"The parent '{e.Parent}' of '{e.Code}' is not an entry of this version.");
                continue;
            }
            // Levels below the result: 1 for a detail of a result, 2 for a detail of a detail. A cycle never reaches a result.
            var depth = 0;
            var at = e;
            while (at.Parent is not null && depth <= ResultCatalogue.MaxDetailLevels && byCode.TryGetValue(at.Parent, out var parent)) { depth++; at = parent; }
            if (at.Parent is not null && depth <= ResultCatalogue.MaxDetailLevels) continue; // an unknown parent higher up, reported on its own entry
            if (depth > ResultCatalogue.MaxDetailLevels)
                yield return DomainError.Invalid($"entries[{i}].parent", "catalogue.depth",
                    $"'{e.Code}' would lie more than {ResultCatalogue.MaxDetailLevels} levels below its result (or in a cycle): a result has details, and a detail details at most once more.");
        }
    }

    public static ProvinceResultCatalogue? Evolve(ProvinceResultCatalogue? state, object @event) => @event switch
    {
        ResultCatalogueVersionLoaded e => new ProvinceResultCatalogue(e.CatalogueId, e.ProvinceCode,
            [.. state?.Versions ?? [], new ResultCatalogue(e.Version, e.ProvinceCode, e.Source, e.Entries)]),
        _ => state,
    };
}
