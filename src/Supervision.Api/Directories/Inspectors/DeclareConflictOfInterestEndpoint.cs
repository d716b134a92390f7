namespace Supervision.Api.Directories.Inspectors;

public static class DeclareConflictOfInterestEndpoint
{
    /// <summary>Declare an inspector's conflict of interest with a target; the inspector is then never drawn for it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/{inspectorId}/conflicts"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(DeclareConflictOfInterest command, [WriteAggregate("inspectorId")] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
