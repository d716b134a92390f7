namespace Supervision.Domain.Tests.Directories;

public sealed class TargetRulesTests
{
    private static readonly Actor Keeper = new("keeper-1", "名录管理员", Roles.DirectoryKeeper, null);
    private static readonly Department Market = new(Department.IdFor("XT-SCJG"), "XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null, true);
    private static readonly TagDefinition Food = new(TagDefinition.IdFor("FOOD"), "FOOD", "食品", TagScope.Target, Market.Id, null, true);

    private static readonly TargetRules.References Refs = new(
        new Dictionary<Guid, Department> { [Market.Id] = Market }, new Dictionary<string, TagDefinition> { ["FOOD"] = Food }, CreditRiskScheme.Default);

    private static string Code(int n)
    {
        var first17 = $"91130500MA{n:D7}";
        return first17 + CreditCode.CheckCharacterFor(first17);
    }

    private static RegisterTarget Enterprise(int n) => new(Code(n), null, $"企业{n}", TargetKind.Enterprise, "C1311", "130521", null,
        new DateOnly(2021, 1, 1), TargetScale.Small, null, [Market.Id], ["food"], "b", new DateOnly(2026, 10, 1));

    private static Target Registered(int n) =>
        TargetRules.Evolve(null, TargetRules.Decide(Enterprise(n), null, Refs, "manual", Keeper).Events[0])!;

    [Fact]
    public void Registering_normalises_codes_tags_and_classes()
    {
        var registered = Assert.IsType<TargetRegistered>(Assert.Single(TargetRules.Decide(Enterprise(1), null, Refs, "manual", Keeper).Events));
        Assert.Equal((Code(1), "B", OperatingStatus.Operating), (registered.Identifier, registered.CreditClass, registered.Status));
        Assert.Equal(["FOOD"], registered.Tags);
        Assert.Equal(Target.IdFor(Code(1)), registered.TargetId);
    }

    [Theory]
    [InlineData("C")]
    [InlineData("C13")]
    [InlineData("C131")]
    [InlineData("C1311")]
    public void Industry_codes_follow_GB_T_4754(string code) => Assert.True(TargetRules.IsValidIndustryCode(code));

    [Theory]
    [InlineData("c13")]
    [InlineData("Z11")]
    [InlineData("C1")]
    [InlineData("C13111")]
    public void Other_industry_codes_are_refused(string code) => Assert.False(TargetRules.IsValidIndustryCode(code));

    [Fact]
    public void A_credit_class_outside_the_scheme_or_without_a_date_is_refused()
    {
        var decision = TargetRules.Decide(Enterprise(2) with { CreditClass = "E", CreditClassSetOn = null }, null, Refs, "manual", Keeper);
        Assert.Equal(["credit-class.date.required", "credit-class.unknown"], decision.Errors.Select(e => e.Rule).Order());

        var fiveClasses = Refs with { Scheme = new CreditRiskScheme(["A", "B", "C", "D", "E"]) };
        Assert.False(TargetRules.Decide(Enterprise(2) with { CreditClass = "E" }, null, fiveClasses, "manual", Keeper).IsRejected);
    }

    [Fact]
    public void The_same_details_again_change_nothing()
    {
        var target = Registered(3);
        var same = new ChangeTargetDetails(target.Name, target.IndustryCode, target.RegionCode, target.Address, target.RegisteredOn, target.Scale,
            target.SupervisingDepartmentIds, target.Tags, "recheck", 1);
        var decision = TargetRules.Decide(same, target, Refs, Keeper);
        Assert.False(decision.IsRejected);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Status_and_credit_class_changes_record_what_they_replace()
    {
        var target = Registered(4);
        var status = Assert.IsType<TargetStatusChanged>(Assert.Single(
            TargetRules.Decide(new ChangeTargetStatus(OperatingStatus.Revoked, new DateOnly(2026, 11, 1), "吊销", 1), target, Keeper).Events));
        Assert.Equal((OperatingStatus.Operating, OperatingStatus.Revoked), (status.Previous, status.Status));

        var credit = Assert.IsType<TargetCreditClassSet>(Assert.Single(
            TargetRules.Decide(new SetTargetCreditClass("d", new DateOnly(2026, 11, 1), "2026-11 分类", 1), target, CreditRiskScheme.Default, Keeper).Events));
        Assert.Equal(("B", "D"), (credit.Previous, credit.CreditClass));
    }

    [Fact]
    public void A_region_filter_selects_the_region_and_everything_under_it()
    {
        var county = Registered(5);
        Assert.True(new TargetFilter(RegionCode: "130000").Matches(county));
        Assert.True(new TargetFilter(RegionCode: "130500").Matches(county));
        Assert.True(new TargetFilter(RegionCode: "130521").Matches(county));
        Assert.False(new TargetFilter(RegionCode: "130400").Matches(county));
        Assert.False(new TargetFilter(Tags: ["FOOD", "OTHER"]).Matches(county));
        Assert.True(new TargetFilter(Tags: ["food"], CreditClass: "b", IndustryCode: "C13").Matches(county));
        Assert.False(new TargetFilter(RegisteredTo: new DateOnly(2020, 12, 31)).Matches(county));
    }

    [Fact]
    public void A_non_entity_target_has_a_code_an_industry_code_follows_GB_T_4754_and_a_credit_class_names_its_basis()
    {
        var product = new RegisterTarget(null, null, "电动自行车", TargetKind.Product, null, "130521", null, null, null, null, [Market.Id], [], null, null);
        Decider.Refused(TargetRules.Decide(product, null, Refs, "manual", Keeper), "target.code.required");
        var error = Decider.Refused(TargetRules.Decide(Enterprise(3) with { IndustryCode = "c13" }, null, Refs, "manual", Keeper), "industry.code.format");
        Assert.Equal("industryCode", error.Field);

        var target = Registered(4);
        Decider.Refused(TargetRules.Decide(new SetTargetCreditClass("A", new DateOnly(2026, 10, 1), " ", 1), target, CreditRiskScheme.Default, Keeper), "basis.required");
    }

    [Fact]
    public void A_credit_scheme_has_two_to_ten_distinct_short_classes()
    {
        var hebei = new Region(Region.IdFor("130000"), "130000", "河北省", RegionLevel.Province, null, true);
        var admin = new Actor("admin", "管理员", Roles.SystemAdmin, null);
        Decider.Refused(CreditSchemeRules.Decide(new DefineCreditScheme("130000", ["A"], "省级分类"), hebei, admin), "credit-scheme.classes");
        Decider.Refused(CreditSchemeRules.Decide(new DefineCreditScheme("130000", ["A", "B", "A"], "省级分类"), hebei, admin), "credit-scheme.classes");
    }
}
