namespace Supervision.Api.Organization.Departments;

public static class DeactivateDepartmentEndpoint
{
    public static Decision Load(DeactivateDepartment command, Department department, ClaimsPrincipal user) =>
        DepartmentRules.Decide(command, department, user.As(Roles.SystemAdmin));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Deactivate a department; it can no longer plan, draw or be named in new tasks.</summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/departments/{departmentId}/deactivate"), Tags("Departments")]
    public static (DepartmentView, Events) Post(DeactivateDepartment command, [WriteAggregate] Department department, Decision decision) =>
        CommandAnswers.StateAfter(department, decision, DepartmentView.From);
}
