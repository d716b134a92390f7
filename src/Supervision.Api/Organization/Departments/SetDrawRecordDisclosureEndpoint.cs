namespace Supervision.Api.Organization.Departments;

/// <summary>A department setting: when its draws' public records may be read (the record's hash is public at once regardless).</summary>
public static class SetDrawRecordDisclosureEndpoint
{
    public static Decision Load(SetDrawRecordDisclosure command, Department department, ClaimsPrincipal user) =>
        DepartmentRules.Decide(command, department, user.As(user.IsInRole(Roles.SystemAdmin) ? Roles.SystemAdmin : Roles.Approver));

    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Approver}")]
    [WolverinePut("/api/departments/{departmentId}/draw-record-disclosure"), Tags("Departments")]
    public static (DepartmentView, Events) Put(SetDrawRecordDisclosure command, [WriteAggregate("departmentId")] Department department, Decision decision) =>
        CommandAnswers.StateAfter(department, decision, DepartmentView.From);
}
