namespace Supervision.Api.Organization.Departments;

public static class RenameDepartmentEndpoint
{
    public static Decision Load(RenameDepartment command, Department department, ClaimsPrincipal user) =>
        DepartmentRules.Decide(command, department, user.As(Roles.SystemAdmin));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Rename a department (the code never changes).</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/departments/{departmentId}/rename"), Tags("Departments")]
    public static (DepartmentView, Events) Post(RenameDepartment command, [WriteAggregate] Department department, Decision decision) =>
        DepartmentView.After(department, decision);
}

public static class DeactivateDepartmentEndpoint
{
    public static Decision Load(DeactivateDepartment command, Department department, ClaimsPrincipal user) =>
        DepartmentRules.Decide(command, department, user.As(Roles.SystemAdmin));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Deactivate a department; it can no longer plan, draw or be named in new tasks.</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/departments/{departmentId}/deactivate"), Tags("Departments")]
    public static (DepartmentView, Events) Post(DeactivateDepartment command, [WriteAggregate] Department department, Decision decision) =>
        DepartmentView.After(department, decision);
}

/// <summary>A department setting: when its draws' public records may be read (the record's hash is public at once regardless).</summary>
public static class SetDrawRecordDisclosureEndpoint
{
    public static Decision Load(SetDrawRecordDisclosure command, Department department, ClaimsPrincipal user) =>
        DepartmentRules.Decide(command, department, user.As(user.IsInRole(Roles.SystemAdmin) ? Roles.SystemAdmin : Roles.Approver));

    public static ProblemDetails Validate(Decision decision) =>
        decision.Errors.FirstOrDefault(e => e.Rule == "department.not-yours") is { } forbidden ? ProblemResponses.Forbidden(forbidden) : decision.ToProblem();

    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Approver}")]
    [WolverinePut("/api/departments/{departmentId}/draw-record-disclosure"), Tags("Departments")]
    public static (DepartmentView, Events) Put(SetDrawRecordDisclosure command, [WriteAggregate] Department department, Decision decision) =>
        DepartmentView.After(department, decision);
}
