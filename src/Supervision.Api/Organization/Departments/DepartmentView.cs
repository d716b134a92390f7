namespace Supervision.Api.Organization.Departments;

public sealed record DepartmentView(
    Guid Id, string Code, string Name, DepartmentKind Kind, string RegionCode, Guid? ParentDepartmentId, bool Active, long Version)
{
    public static DepartmentView From(Department d) =>
        new(d.Id, d.Code, d.Name, d.Kind, d.RegionCode, d.ParentDepartmentId, d.Active, d.Version);
}
