using Supervision.Domain.Access;

namespace Supervision.Domain.Tests.Access;

/// <summary>Who reads a department's progress reports: the department, the office they are sent to, 纪检 and auditors above; no peer.</summary>
public sealed class ProgressReportReadAccessTests
{
    private static readonly DepartmentPlace DistrictCommerce = new(Guid.NewGuid(), "130110");

    private static Reader As(string role, Guid? department, string? region, DepartmentKind kind = DepartmentKind.MarketRegulation) =>
        new("user", new HashSet<string> { role }, department, region, department is null ? null : kind);

    [Fact]
    public void The_department_and_its_regions_office_read_them_and_a_peer_of_the_same_region_does_not()
    {
        Assert.True(ReadAccess.MayReadProgressReport(As(Roles.Planner, DistrictCommerce.Id, "130110", DepartmentKind.Commerce), DistrictCommerce));
        Assert.True(ReadAccess.MayReadProgressReport(As(Roles.Planner, Guid.NewGuid(), "130110"), DistrictCommerce)); // 区市场监管局, the 双随机 office
        Assert.True(ReadAccess.MayReadProgressReport(As(Roles.Planner, Guid.NewGuid(), "130100"), DistrictCommerce)); // the city's office above
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.Planner, Guid.NewGuid(), "130110", DepartmentKind.Other), DistrictCommerce));
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.Inspector, DistrictCommerce.Id, "130110", DepartmentKind.Commerce), DistrictCommerce));
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.Planner, null, null), DistrictCommerce));
    }

    [Fact]
    public void Discipline_and_audit_above_read_them_and_a_neighbouring_region_does_not()
    {
        Assert.True(ReadAccess.MayReadProgressReport(As(Roles.Auditor, Guid.NewGuid(), "130100"), DistrictCommerce));
        Assert.True(ReadAccess.MayReadProgressReport(As(Roles.DisciplineInspector, Guid.NewGuid(), "130000"), DistrictCommerce));
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.Auditor, Guid.NewGuid(), "130111"), DistrictCommerce));
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.Planner, Guid.NewGuid(), "130111"), DistrictCommerce));
        Assert.False(ReadAccess.MayReadProgressReport(As(Roles.SystemAdmin, null, null), DistrictCommerce));
    }
}
