namespace Supervision.Api.Organization.Departments;

public static class RegisterDepartmentEndpoint
{
    public static async Task<Decision> LoadAsync(RegisterDepartment command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = DepartmentRules.IsValidCode(command.Code)
            ? await session.LoadAsync<Department>(Department.IdFor(command.Code), ct)
            : null;
        var region = RegionRules.TryParseCode(command.RegionCode, out _, out _)
            ? await session.LoadAsync<Region>(Region.IdFor(command.RegionCode), ct)
            : null;
        var parent = command.ParentDepartmentId is { } parentId ? await session.LoadAsync<Department>(parentId, ct) : null;
        return DepartmentRules.Decide(command, existing, region, parent, user.As(Roles.SystemAdmin));
    }

    /// <summary>Register a department (market regulation or a partner department) in a region, with its code and kind.</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/departments"), Tags("Departments")]
    public static (CreationResponse<DepartmentView>, IStartStream) Post(RegisterDepartment command, Decision decision)
    {
        var id = ((DepartmentRegistered)decision.Events[0]).DepartmentId;
        return CreationAnswers.Started<Department, DepartmentView>(id, $"/api/departments/{id}", decision, DepartmentView.From);
    }
}
