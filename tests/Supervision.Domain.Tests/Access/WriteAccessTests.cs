using Supervision.Domain.Access;

namespace Supervision.Domain.Tests.Access;

/// <summary>docs/access.md: a directory keeper writes for the department its token names, and only targets of the regions that department supervises.</summary>
public sealed class WriteAccessTests
{
    private static Reader Keeper(Guid? department, string? region) =>
        new("keeper-1", new HashSet<string> { Roles.DirectoryKeeper }, department, region, null);

    [Fact]
    public void A_keeper_without_a_department_writes_no_target()
    {
        var refused = WriteAccess.KeeperMayWriteTarget(Keeper(null, null), "130521");
        Assert.Equal(("keeper.no-department", ErrorKind.Forbidden), (refused?.Rule, refused?.Kind));
    }

    [Fact]
    public void A_keeper_writes_targets_of_its_region_and_below_only()
    {
        Assert.Null(WriteAccess.KeeperMayWriteTarget(Keeper(Guid.NewGuid(), "130500"), "130521"));
        Assert.Equal("target.region.not-supervised", WriteAccess.KeeperMayWriteTarget(Keeper(Guid.NewGuid(), "130521"), "130500")?.Rule);
    }
}
