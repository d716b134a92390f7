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
        CommandAnswers.StateAfter(department, decision, DepartmentView.From);
}
