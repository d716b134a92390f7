using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public static class GoalQueries
{
    /// <summary>The goals in force for a region and year, and where they come from (the region's own, an enclosing region's, or the seed documents).</summary>
    [Authorize]
    [WolverineGet("/api/goals/{regionCode}/{year}"), Tags("Dashboards")]
    public static async Task<IResult> Get(string regionCode, int year, IQuerySession session, CancellationToken ct)
    {
        if (RegionCodes.Check(regionCode) is { } badRegion) return Results.Problem(ProblemResponses.FromErrors([badRegion]));
        var settings = await session.Query<GoalSetting>().Where(g => g.Year == year).ToListAsync(ct);
        return Results.Ok(GoalRules.Resolve(regionCode, year, settings));
    }
}
