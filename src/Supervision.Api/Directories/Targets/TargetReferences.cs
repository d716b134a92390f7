using Supervision.Api.Directories.Tags;
using Marten;
using Supervision.Domain.Directories;
using Supervision.Domain.Organization;

namespace Supervision.Api.Directories.Targets;

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

    public static async Task<CreditRiskScheme> SchemeForAsync(IQuerySession session, string? regionCode, CancellationToken ct)
    {
        if (regionCode is not { Length: 6 }) return CreditRiskScheme.Default;
        var scheme = await session.LoadAsync<CreditSchemeState>(CreditSchemeState.IdFor(CreditSchemeState.ProvinceOf(regionCode)), ct);
        return scheme is null ? CreditRiskScheme.Default : new CreditRiskScheme(scheme.Classes);
    }
}
