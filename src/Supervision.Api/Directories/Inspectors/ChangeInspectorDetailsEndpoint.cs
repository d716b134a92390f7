using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Inspectors;

// Like every inspector change: names the version it was based on (stale → 409), is allowed only to a keeper of the inspector's
// department (else 403, InspectorRules.CheckKeeperOf); a change that would change nothing writes nothing.
public static class ChangeInspectorDetailsEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeInspectorDetails command, Inspector inspector, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var department = await session.LoadAsync<Department>(inspector.DepartmentId, ct);
        var library = await TagLibrary.LoadAsync(session, command.Tags, ct);
        return InspectorRules.Decide(command, inspector, department, library, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Change an inspector's details (name, post, region, expert flag, tags) with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors/{inspectorId}/details"), Tags("Inspectors")]
    public static (InspectorView, Events) Post(ChangeInspectorDetails command, [WriteAggregate("inspectorId")] Inspector inspector, Decision decision) =>
        CommandAnswers.StateAfter(inspector, decision, InspectorView.From);
}
