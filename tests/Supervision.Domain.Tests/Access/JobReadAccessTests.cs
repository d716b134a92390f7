using Supervision.Domain.Access;

namespace Supervision.Domain.Tests.Access;

/// <summary>Who reads a job (issue 14): the department that started it and those above it; nobody else, and nobody for a job without a department but administrators.</summary>
public sealed class JobReadAccessTests
{
    private static readonly DepartmentPlace CountyMarket = new(Guid.NewGuid(), "130521");

    private static Reader As(string role, Guid? department, string? region, DepartmentKind kind = DepartmentKind.MarketRegulation) =>
        new("user", new HashSet<string> { role }, department, region, department is null ? null : kind);

    [Fact]
    public void The_starting_departments_staff_read_it_and_another_departments_do_not()
    {
        Assert.True(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, CountyMarket.Id, "130521"), CountyMarket));
        Assert.True(ReadAccess.MayReadJob(As(Roles.Planner, CountyMarket.Id, "130521"), CountyMarket));
        Assert.False(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, Guid.NewGuid(), "130521", DepartmentKind.Commerce), CountyMarket));
        Assert.False(ReadAccess.MayReadJob(As(Roles.Inspector, CountyMarket.Id, "130521"), CountyMarket));
        Assert.False(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, null, null), CountyMarket));
    }

    [Fact]
    public void Those_above_read_it_and_another_region_does_not()
    {
        Assert.True(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, Guid.NewGuid(), "130500"), CountyMarket));   // the city's 双随机 office
        Assert.True(ReadAccess.MayReadJob(As(Roles.DisciplineInspector, Guid.NewGuid(), "130000"), CountyMarket));
        Assert.False(ReadAccess.MayReadJob(As(Roles.DisciplineInspector, Guid.NewGuid(), "130400"), CountyMarket));
        Assert.False(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, Guid.NewGuid(), "130400"), CountyMarket));
        Assert.True(ReadAccess.MayReadJob(As(Roles.SystemAdmin, null, null), CountyMarket));
        Assert.True(ReadAccess.MayReadJob(As(Roles.SystemAdmin, null, null), null));
        Assert.False(ReadAccess.MayReadJob(As(Roles.DirectoryKeeper, CountyMarket.Id, "130521"), null));
    }
}
