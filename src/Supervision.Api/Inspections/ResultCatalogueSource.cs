using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>The catalogue versions known (shipped, and each province's loaded ones) and the version in force for a department.</summary>
public static class ResultCatalogueSource
{
    /// <summary>One small document per province that loaded a version of its own.</summary>
    public static async Task<ResultCatalogues> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var provinces = await session.Query<ProvinceResultCatalogue>().ToListAsync(ct);
        return new ResultCatalogues(provinces.OrderBy(p => p.ProvinceCode).SelectMany(p => p.Versions).ToList());
    }

    /// <summary>The version in force for the province of the department's region; the national list for a department unknown or without a province version.</summary>
    public static async Task<ResultCatalogue> InForceForDepartmentAsync(IQuerySession session, Guid? departmentId, CancellationToken ct)
    {
        var department = departmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        return await InForceForProvinceAsync(session, department is { RegionCode.Length: 6 } ? CreditSchemeState.ProvinceOf(department.RegionCode) : null, ct);
    }

    public static async Task<ResultCatalogue> InForceForProvinceAsync(IQuerySession session, string? provinceCode, CancellationToken ct) =>
        provinceCode is null ? ResultCatalogue.National
        : (await session.LoadAsync<ProvinceResultCatalogue>(ProvinceResultCatalogue.IdFor(provinceCode), ct))?.Current ?? ResultCatalogue.National;

    /// <summary>The department a result is entered for: the member's department on the case's team, else the token's.</summary>
    public static Guid? ResultDepartment(InspectionCase inspectionCase, ClaimsPrincipal user) =>
        inspectionCase.MemberFor(user.FindFirstValue(AuthSettings.ClaimUserId) ?? "")?.DepartmentId
        ?? (Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var department) ? department : null);
}
