namespace Supervision.Domain.Tests.Organization;

/// <summary>The refusals of a department's registration and of its draw-record disclosure setting, each by its rule code.</summary>
public sealed class DepartmentRefusalTests
{
    private static readonly Actor Admin = new("admin-1", "管理员", Roles.SystemAdmin, null);
    private static readonly Region Xingtai = new(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", true);

    private static DeciderSpec<Department> Registered() => Decider.For<Department>(DepartmentRules.Evolve)
        .And(_ => DepartmentRules.Decide(new RegisterDepartment("XT-SCJGJ", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null), null, Xingtai, null, Admin));

    [Fact]
    public void A_department_names_its_kind()
    {
        var error = Decider.For<Department>(DepartmentRules.Evolve)
            .When(_ => DepartmentRules.Decide(new RegisterDepartment("XT-SCJGJ", "邢台市市场监督管理局", null, "130500", null), null, Xingtai, null, Admin))
            .ThenRefused("kind.required", ErrorKind.Invalid);
        Assert.Equal("kind", error.Field);
    }

    [Fact]
    public void The_draw_record_is_public_immediately_or_from_the_inspections_start_and_only_its_department_or_an_administrator_sets_it()
    {
        var department = Registered();
        var own = new Actor("approver-1", "审批", Roles.Approver, department.State!.Id);
        var other = new Actor("approver-2", "审批", Roles.Approver, Guid.NewGuid());

        department.When(d => DepartmentRules.Decide(new SetDrawRecordDisclosure("tomorrow", "依规公开", 1), d!, own))
            .ThenRefused("draw-record-public.value", ErrorKind.Invalid);
        department.When(d => DepartmentRules.Decide(new SetDrawRecordDisclosure("inspections-start", "依规公开", 1), d!, other))
            .ThenRefused("department.not-yours", ErrorKind.Forbidden);
        department.When(d => DepartmentRules.Decide(new SetDrawRecordDisclosure("inspections-start", "依规公开", 1), d!, own))
            .ThenAccepted();
        department.When(d => DepartmentRules.Decide(new SetDrawRecordDisclosure("immediately", "依规公开", 1), d!, Admin))
            .ThenAccepted();
    }
}
