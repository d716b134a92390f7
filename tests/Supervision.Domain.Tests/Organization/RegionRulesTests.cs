namespace Supervision.Domain.Tests.Organization;

public sealed class RegionRulesTests
{
    private static readonly Actor Admin = new("admin-1", "管理员", Roles.SystemAdmin, null);

    private static Region Given(params object[] events) => Decider.Fold<Region>(RegionRules.Evolve, events);

    [Theory]
    [InlineData("130000", RegionLevel.Province, null)]
    [InlineData("130500", RegionLevel.City, "130000")]
    [InlineData("130521", RegionLevel.County, "130500")]
    [InlineData("110101", RegionLevel.County, "110100")]
    public void The_level_and_parent_come_from_the_GB_T_2260_code(string code, RegionLevel level, string? parent)
    {
        Assert.True(RegionRules.TryParseCode(code, out var parsedLevel, out var parsedParent));
        Assert.Equal(level, parsedLevel);
        Assert.Equal(parent, parsedParent);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("13050")]
    [InlineData("1305000")]
    [InlineData("13O500")]
    [InlineData("000000")]
    [InlineData("１３０５００")]
    public void Anything_but_six_ascii_digits_is_not_a_region_code(string? code) =>
        Assert.False(RegionRules.TryParseCode(code, out _, out _));

    [Fact]
    public void A_province_registers_without_a_parent()
    {
        var decision = RegionRules.Decide(new RegisterRegion("130000", " 河北省 "), existing: null, parent: null, Admin);
        var registered = Assert.IsType<RegionRegistered>(Assert.Single(decision.Events));
        Assert.Equal(new RegionRegistered(Region.IdFor("130000"), "130000", "河北省", RegionLevel.Province, null, Admin), registered);
    }

    [Fact]
    public void A_county_needs_its_city_registered_first()
    {
        var decision = RegionRules.Decide(new RegisterRegion("130521", "邢台县"), null, parent: null, Admin);
        var error = Assert.Single(decision.Errors);
        Assert.Equal(("code", "region.parent.missing"), (error.Field, error.Rule));
    }

    [Fact]
    public void A_deactivated_parent_takes_no_new_children()
    {
        var city = Given(
            new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", Admin),
            new RegionDeactivated(Region.IdFor("130500"), "合并", Admin));
        var decision = RegionRules.Decide(new RegisterRegion("130521", "邢台县"), null, city, Admin);
        Assert.Equal("region.parent.inactive", Assert.Single(decision.Errors).Rule);
    }

    [Fact]
    public void A_code_registers_once()
    {
        var province = Given(new RegionRegistered(Region.IdFor("130000"), "130000", "河北省", RegionLevel.Province, null, Admin));
        var decision = RegionRules.Decide(new RegisterRegion("130000", "河北"), province, null, Admin);
        Assert.Equal(ErrorKind.Conflict, Assert.Single(decision.Errors).Kind);
    }

    [Fact]
    public void Renaming_needs_a_reason_and_records_the_previous_name()
    {
        var city = Given(new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", Admin));

        Assert.Equal("reason.required", Assert.Single(RegionRules.Decide(new RenameRegion("新邢台", " ", 1), city, Admin).Errors).Rule);

        var renamed = Assert.IsType<RegionRenamed>(Assert.Single(RegionRules.Decide(new RenameRegion("新邢台", "区划调整", 1), city, Admin).Events));
        Assert.Equal(("邢台市", "新邢台", "区划调整"), (renamed.PreviousName, renamed.Name, renamed.Reason));
    }

    [Fact]
    public void Repeating_a_rename_or_a_deactivation_is_a_no_op()
    {
        var city = Given(new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", Admin));
        Assert.Empty(RegionRules.Decide(new RenameRegion("邢台市", "no change", 1), city, Admin).Events);

        var inactive = Given(
            new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", Admin),
            new RegionDeactivated(Region.IdFor("130500"), "撤销", Admin));
        var again = RegionRules.Decide(new DeactivateRegion("撤销", 2), inactive, Admin);
        Assert.False(again.IsRejected);
        Assert.Empty(again.Events);
    }

    [Fact]
    public void A_deactivated_region_cannot_be_renamed()
    {
        var inactive = Given(
            new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", Admin),
            new RegionDeactivated(Region.IdFor("130500"), "撤销", Admin));
        Assert.Equal("region.inactive", Assert.Single(RegionRules.Decide(new RenameRegion("x", "y", 2), inactive, Admin).Errors).Rule);
    }
}
