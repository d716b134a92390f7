using Snapshooter.Xunit;

namespace Supervision.Domain.Tests.Organization;

public sealed class DepartmentRulesTests
{
    private static readonly Actor Admin = new("admin-1", "管理员", Roles.SystemAdmin, null);
    private static readonly Region Xingtai = new(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", true);
    private static readonly Region XingtaiCounty = new(Region.IdFor("130521"), "130521", "邢台县", RegionLevel.County, "130500", true);
    private static readonly Region Handan = new(Region.IdFor("130400"), "130400", "邯郸市", RegionLevel.City, "130000", true);

    private static Department Registered(string code, Region region, Guid? parent = null) =>
        (Department)DepartmentRules.Evolve(null,
            DepartmentRules.Decide(new RegisterDepartment(code, code + " 局", DepartmentKind.MarketRegulation, region.Code, parent), null, region, null, Admin).Events[0])!;

    [Fact]
    public void Codes_are_case_insensitive_and_map_to_one_stream()
    {
        Assert.Equal(Department.IdFor("xt-scjgj"), Department.IdFor("XT-SCJGJ"));
        var decision = DepartmentRules.Decide(new RegisterDepartment("xt-scjgj", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null), null, Xingtai, null, Admin);
        Assert.Equal("XT-SCJGJ", Assert.IsType<DepartmentRegistered>(Assert.Single(decision.Events)).Code);
    }

    [Fact]
    public void Every_input_error_is_reported_at_once_with_its_field()
    {
        var decision = DepartmentRules.Decide(new RegisterDepartment("a b", "", null, "1", null), null, null, null, Admin);
        Assert.Equal(["code", "kind", "name", "regionCode"], decision.Errors.Select(e => e.Field).Order());
        Assert.All(decision.Errors, e => Assert.Equal(ErrorKind.Invalid, e.Kind));
    }

    [Fact]
    public void A_parent_department_sits_in_the_same_region_or_above()
    {
        var city = Registered("XT-SCJGJ", Xingtai);
        var ok = DepartmentRules.Decide(new RegisterDepartment("XTX-SCJGJ", "邢台县市场监督管理局", DepartmentKind.MarketRegulation, "130521", city.Id), null, XingtaiCounty, city, Admin);
        Assert.False(ok.IsRejected);

        var elsewhere = Registered("HD-SCJGJ", Handan);
        var wrong = DepartmentRules.Decide(new RegisterDepartment("XTX-SCJGJ", "邢台县市场监督管理局", DepartmentKind.MarketRegulation, "130521", elsewhere.Id), null, XingtaiCounty, elsewhere, Admin);
        Assert.Equal("department.parent.region", Assert.Single(wrong.Errors).Rule);
    }

    [Theory]
    [InlineData("130000", "130521", true)]
    [InlineData("130500", "130521", true)]
    [InlineData("130521", "130521", true)]
    [InlineData("130400", "130521", false)]
    [InlineData("130521", "130500", false)]
    public void Region_ancestry_follows_the_code_prefixes(string ancestor, string code, bool expected) =>
        Assert.Equal(expected, DepartmentRules.IsSameOrAncestorRegion(ancestor, code));

    [Fact]
    public void A_deactivated_parent_or_region_is_refused()
    {
        var closedParent = Registered("XT-SCJGJ", Xingtai) with { Active = false };
        var decision = DepartmentRules.Decide(new RegisterDepartment("XTX-1", "x", DepartmentKind.Other, "130521", closedParent.Id), null, XingtaiCounty, closedParent, Admin);
        Assert.Equal("department.parent.inactive", Assert.Single(decision.Errors).Rule);

        var closedRegion = Xingtai with { Active = false };
        var inClosed = DepartmentRules.Decide(new RegisterDepartment("XT-2", "x", DepartmentKind.Other, "130500", null), null, closedRegion, null, Admin);
        Assert.Equal("region.inactive", Assert.Single(inClosed.Errors).Rule);
    }

    [Fact]
    public void The_lifecycle_of_a_department_as_events()
    {
        var events = new List<object>();
        Department? state = null;
        void Apply(Decision decision)
        {
            Assert.False(decision.IsRejected);
            events.AddRange(decision.Events);
            state = decision.Events.Aggregate(state, DepartmentRules.Evolve);
        }

        Apply(DepartmentRules.Decide(new RegisterDepartment("XT-SWJ", "邢台市商务局", DepartmentKind.Commerce, "130500", null), null, Xingtai, null, Admin));
        Apply(DepartmentRules.Decide(new RenameDepartment("邢台市商务局（粮食和物资储备局）", "机构改革挂牌", 1), state!, Admin));
        Apply(DepartmentRules.Decide(new DeactivateDepartment("职责划入新部门", 2), state!, Admin));

        Assert.False(state!.Active);
        events.Select(e => new { type = e.GetType().Name, data = e }).MatchSnapshot();
    }

    [Fact]
    public void Name_based_ids_are_stable_across_versions_of_this_system()
    {
        // Ids are derived from natural keys; a change here would orphan every existing stream.
        Assert.Equal(new Guid("31972046-9cec-5533-8241-4b3968a2c53f"), Region.IdFor("130000"));
    }
}
