namespace Supervision.Api.Organization.Regions;

public static class DeactivateRegionEndpoint
{
    public static Decision Load(DeactivateRegion command, Region region, ClaimsPrincipal user) =>
        RegionRules.Decide(command, region, user.As(Roles.SystemAdmin));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Deactivate a region; no department or target can be registered in it afterwards.</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/regions/{regionId}/deactivate"), Tags("Regions")]
    public static (RegionView, Events) Post(DeactivateRegion command, [WriteAggregate] Region region, Decision decision) =>
        CommandAnswers.StateAfter(region, decision, RegionView.From);
}
