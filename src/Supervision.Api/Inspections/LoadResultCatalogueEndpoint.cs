using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

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
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/result-catalogue/versions"), Tags("Cases")]
    public static ResultCatalogueView Post(LoadResultCatalogue command, [NotBody] LoadResultCatalogueContext context)
    {
        var stream = context.Stream!;
        stream.AppendMany(context.Decision.Events);
        var state = context.Decision.Events.Aggregate(stream.Aggregate, ResultCatalogueRules.Evolve)!;
        return ResultCatalogueView.Of(state.Current, true);
    }
}
