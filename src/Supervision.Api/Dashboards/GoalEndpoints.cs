using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed record SetGoalsContext(Decision Decision, GoalSetting? Current);

/// <summary><c>PUT /api/goals/{regionCode}/{year}</c>: a region's targets for a year, from its plan documents; each change a revision with its source and reason.</summary>
public static class SetGoalsEndpoint
{
    public static async Task<SetGoalsContext> LoadAsync(string regionCode, int year, SetGoals command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var valid = RegionRules.TryParseCode(regionCode, out _, out _);
        var current = valid ? await session.LoadAsync<GoalSetting>(GoalSetting.IdFor(regionCode, year), ct) : null;
        return new(GoalRules.Decide(command, regionCode, year, current, user.As(Roles.SystemAdmin)), current);
    }

    public static ProblemDetails Validate(SetGoalsContext context) => context.Decision.ToProblem();

    [Authorize(Roles = Roles.SystemAdmin), WolverinePut("/api/goals/{regionCode}/{year}"), Tags("Dashboards")]
    public static GoalSetting Put(string regionCode, int year, SetGoals command, [NotBody] SetGoalsContext context, IDocumentSession session) =>
        session.AppendAtVersionRead(GoalSetting.IdFor(regionCode, year), context.Current, context.Decision);
}

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
