namespace Supervision.Api.Organization.Departments;

public static class RenameDepartmentEndpoint
{
    /// <summary>Rename a department (the code never changes).</summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/departments/{departmentId}/rename"), Tags("Departments")]
    public static (DepartmentView, Events) Post(RenameDepartment command, [WriteAggregate("departmentId")] Department department, Decision decision) =>
        CommandAnswers.StateAfter(department, decision, DepartmentView.From);
}
