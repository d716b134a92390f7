namespace Supervision.Api.Organization.Regions;

public static class DeactivateRegionEndpoint
{
    /// <summary>Deactivate a region; no department or target can be registered in it afterwards.</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/regions/{regionId}/deactivate"), Tags("Regions")]
    public static (RegionView, Events) Post(DeactivateRegion command, [WriteAggregate("regionId")] Region region, Decision decision) =>
        CommandAnswers.StateAfter(region, decision, RegionView.From);
}
