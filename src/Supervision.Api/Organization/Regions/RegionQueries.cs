namespace Supervision.Api.Organization.Regions;

public static class RegionQueries
{
    /// <summary>Regions are public reference data: anyone may read the administrative hierarchy.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/regions"), Tags("Regions")]
    /// <remarks>Paged in SQL (issue 14): at most <c>pageSize</c> (default and at most 500) a page, the total in <c>X-Total-Count</c>, the next page in <c>Link</c>.</remarks>
    public static async Task<IReadOnlyList<RegionView>> List(IQuerySession session, HttpContext http, string? parentCode, string? code, bool? active,
        int? page, int? pageSize, CancellationToken ct)
    {
        var query = session.Query<Region>().AsQueryable();
        if (parentCode is { Length: > 0 }) query = query.Where(r => r.ParentCode == parentCode);
        if (code is { Length: > 0 }) query = query.Where(r => r.Code == code);
        if (active is { } a) query = query.Where(r => r.Active == a);
        return await Infrastructure.Paging.ArrayPageAsync(query.OrderBy(r => r.Code).ThenBy(r => r.Id), RegionView.From, page, pageSize, http, ct);
    }

    /// <summary>Read one region of the administrative hierarchy.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/regions/{regionId}"), Tags("Regions")]
    public static RegionView Get([ReadAggregate] Region region) => RegionView.From(region);
}
