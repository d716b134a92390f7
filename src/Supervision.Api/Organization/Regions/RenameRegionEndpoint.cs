namespace Supervision.Api.Organization.Regions;

public static class RenameRegionEndpoint
{
    /// <summary>Rename a region (the code never changes).</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/regions/{regionId}/rename"), Tags("Regions")]
    public static (RegionView, Events) Post(RenameRegion command, [WriteAggregate("regionId")] Region region, Decision decision) =>
        CommandAnswers.StateAfter(region, decision, RegionView.From);
}
