namespace Supervision.Api.Directories.Inspectors;

public static class ChangeInspectorStatusEndpoint
{
    /// <summary>Change an inspector's status (active, suspended, left) with the effective date and the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/{inspectorId}/status"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(ChangeInspectorStatus command, [WriteAggregate("inspectorId")] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
