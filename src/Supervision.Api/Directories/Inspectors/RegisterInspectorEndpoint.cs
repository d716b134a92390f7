using Supervision.Api.Directories.Tags;

namespace Supervision.Api.Directories.Inspectors;

public static class RegisterInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(RegisterInspector command, ClaimsPrincipal user, IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var existing = InspectorRules.IsValidStaffCode(command.StaffCode)
            ? await session.LoadAsync<Inspector>(Inspector.IdFor(command.StaffCode), ct)
            : null;
        var department = command.DepartmentId is { } id && id != Guid.Empty ? await session.LoadAsync<Department>(id, ct) : null;
        var library = await TagLibrary.LoadAsync(session, command.Tags, ct);
        return InspectorRules.Decide(command, existing, department, library, InspectorAccess.Today(clock), user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Register an inspector (执法检查人员) or expert in the caller's department's directory.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/inspectors"), Tags("Inspectors")]
    public static (CreationResponse<InspectorView>, IStartStream) Post(RegisterInspector command, Decision decision)
    {
        var id = ((InspectorRegistered)decision.Events[0]).InspectorId;
        return CreationAnswers.Started<Inspector, InspectorView>(id, $"/api/inspectors/{id}", decision, InspectorView.From);
    }
}
