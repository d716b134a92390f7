namespace Supervision.Api.Organization.Regions;

public static class RenameRegionEndpoint
{
    public static Decision Load(RenameRegion command, Region region, ClaimsPrincipal user) =>
        RegionRules.Decide(command, region, user.As(Roles.SystemAdmin));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Rename a region (the code never changes).</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/regions/{regionId}/rename"), Tags("Regions")]
    public static (RegionView, Events) Post(RenameRegion command, [WriteAggregate] Region region, Decision decision) =>
        CommandAnswers.StateAfter(region, decision, RegionView.From);
}
