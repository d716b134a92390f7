namespace Supervision.Api.Directories.Inspectors;

/// <summary>调动: moves an inspector to another department; asked by a keeper of the department the inspector leaves.</summary>
public static class TransferInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(TransferInspector command, Inspector inspector, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var target = command.DepartmentId is { } id && id != Guid.Empty ? await session.LoadAsync<Department>(id, ct) : null;
        return InspectorRules.Decide(command, inspector, target, user.As(Roles.DirectoryKeeper));
    }

    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/{inspectorId}/transfer"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(TransferInspector command, [WriteAggregate("inspectorId")] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
