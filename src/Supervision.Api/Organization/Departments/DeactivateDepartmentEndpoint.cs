namespace Supervision.Api.Organization.Departments;

public static class DeactivateDepartmentEndpoint
{
    /// <summary>Deactivate a department; it can no longer plan, draw or be named in new tasks.</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/departments/{departmentId}/deactivate"), Tags("Departments")]
    public static (DepartmentView, Events) Post(DeactivateDepartment command, [WriteAggregate("departmentId")] Department department, Decision decision) =>
        CommandAnswers.StateAfter(department, decision, DepartmentView.From);
}
