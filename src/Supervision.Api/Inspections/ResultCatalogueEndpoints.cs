using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>An entry with its details beneath it.</summary>
public sealed record CatalogueNode(string Code, string Wording, bool ProblemFound, bool NeedsFollowUp, string? TargetStatus, IReadOnlyList<CatalogueNode> Details);

/// <param name="InForce">Whether this is the version in force for <paramref name="Scope"/> (the national list: when no province version applies).</param>
/// <param name="Results">The hierarchy: results, each with its details (at most two levels).</param>
/// <param name="Entries">The same entries as a flat list with parents, in catalogue order, as a province loads them.</param>
public sealed record ResultCatalogueView(string Version, string Scope, string Source, bool InForce, IReadOnlyList<CatalogueNode> Results, IReadOnlyList<CatalogueEntry> Entries)
{
    public static ResultCatalogueView Of(ResultCatalogue catalogue, bool inForce) =>
        new(catalogue.Version, catalogue.Scope, catalogue.Source, inForce, Nodes(catalogue, null), catalogue.Entries);

    private static List<CatalogueNode> Nodes(ResultCatalogue catalogue, string? parent) =>
        catalogue.Entries.Where(e => e.Parent == parent)
            .Select(e => new CatalogueNode(e.Code, e.Wording, e.ProblemFound, e.NeedsFollowUp, e.TargetStatus, Nodes(catalogue, e.Code))).ToList();
}

public sealed record ResultCatalogueVersionSummary(string Version, string Scope, string Source, bool InForce);

/// <summary>What <c>GET /api/result-catalogue</c> found, or the problem of a version or province it could not.</summary>
public sealed record ResultCatalogueLookup(ResultCatalogueView? View, DomainError? Error);

public static class ResultCatalogueQueries
{
    public static async Task<ResultCatalogueLookup> LoadAsync(string? version, string? province, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (province is not null && (!RegionRules.TryParseCode(province, out var level, out _) || level != RegionLevel.Province))
            return new(null, DomainError.Invalid("province", "region.province.required", "'province' is a province-level GB/T 2260 code such as 330000."));
        var inForce = province is not null
            ? await ResultCatalogueSource.InForceForProvinceAsync(session, province, ct)
            : await ResultCatalogueSource.InForceForDepartmentAsync(session,
                Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var department) ? department : null, ct);
        if (string.IsNullOrWhiteSpace(version)) return new(ResultCatalogueView.Of(inForce, true), null);
        var all = await ResultCatalogueSource.AllAsync(session, ct);
        return all.Version(version.Trim()) is { } found
            ? new(ResultCatalogueView.Of(found, found.Version == inForce.Version), null)
            : new(null, DomainError.NotFound("version", "catalogue.version.unknown",
                $"No result catalogue version '{version}': one of {string.Join(", ", all.All.Select(c => c.Version))}."));
    }

    public static ProblemDetails Validate(ResultCatalogueLookup lookup) =>
        lookup.Error is { } error ? ProblemResponses.FromErrors([error]) : WolverineContinue.NoProblems;

    /// <summary>
    /// The result catalogue in force for the caller's province (or <paramref name="province"/>), with its hierarchy; with
    /// <paramref name="version"/>, that version (e.g. an older one that results were entered under).
    /// </summary>
    /// <param name="version">A version id such as "cn-2026.1", "cn-2024.1" or "330000-1".</param>
    /// <param name="province">A province code (e.g. 330000): the version in force there instead of the caller's own.</param>
    [WolverineGet("/api/result-catalogue"), Tags("Cases")]
    public static ResultCatalogueView Catalogue(string? version, string? province, [NotBody] ResultCatalogueLookup lookup) => lookup.View!;

    /// <summary>Every version known, shipped and loaded, oldest first per scope; which one is in force in each scope.</summary>
    [WolverineGet("/api/result-catalogue/versions"), Tags("Cases")]
    public static async Task<IReadOnlyList<ResultCatalogueVersionSummary>> Versions(IQuerySession session, CancellationToken ct)
    {
        var all = await ResultCatalogueSource.AllAsync(session, ct);
        return all.All.Select(c => new ResultCatalogueVersionSummary(c.Version, c.Scope, c.Source,
            c.Scope == ResultCatalogue.NationalScope ? c.Version == ResultCatalogue.National.Version : all.InForce(c.Scope).Version == c.Version)).ToList();
    }
}

/// <summary>The decision to load a province's version, with the province's stream it appends to.</summary>
public sealed record LoadResultCatalogueContext(Decision Decision, IEventStream<ProvinceResultCatalogue>? Stream);

public static class LoadResultCatalogueEndpoint
{
    public static async Task<LoadResultCatalogueContext> LoadAsync(LoadResultCatalogue command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var by = user.As(Roles.SystemAdmin);
        var actorDepartment = by.DepartmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        var provinceCode = command.ProvinceCode?.Trim();
        var valid = RegionRules.TryParseCode(provinceCode, out var level, out _) && level == RegionLevel.Province;
        var province = valid ? await session.LoadAsync<Region>(Region.IdFor(provinceCode!), ct) : null;
        // Fetched for writing: two loads for one province at once cannot both take the same version number; the second gets a 409.
        var stream = valid ? await session.Events.FetchForWriting<ProvinceResultCatalogue>(ProvinceResultCatalogue.IdFor(provinceCode!), ct) : null;
        return new(ResultCatalogueRules.Decide(command, province, stream?.Aggregate, actorDepartment?.RegionCode, by), stream);
    }

    public static ProblemDetails Validate(LoadResultCatalogueContext context) => context.Decision.ToProblem();

    /// <summary>
    /// Loads a province's own version of the result catalogue (the calendar's pattern: an event with who, why and the source
    /// document). Results entered from now on in the province's regions use it; results already entered keep their version.
    /// Only a system administrator of the provincial administration's own department loads it.
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/result-catalogue/versions"), Tags("Cases")]
    public static ResultCatalogueView Post(LoadResultCatalogue command, [NotBody] LoadResultCatalogueContext context)
    {
        var stream = context.Stream!;
        stream.AppendMany(context.Decision.Events);
        var state = context.Decision.Events.Aggregate(stream.Aggregate, ResultCatalogueRules.Evolve)!;
        return ResultCatalogueView.Of(state.Current, true);
    }
}
