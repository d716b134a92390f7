using Supervision.Domain.Inspections;

namespace Supervision.Domain.Tests.Inspections;

public sealed class ResultCatalogueTests
{
    private static readonly Actor ProvinceAdmin = new("zj-admin", "省局管理员", Roles.SystemAdmin, Guid.NewGuid());
    private static readonly Region Zhejiang = new(Region.IdFor("330000"), "330000", "浙江省", RegionLevel.Province, null, true);

    private static LoadResultCatalogue Load(params CatalogueEntry[] entries) =>
        new("330000", entries, "浙江省市场监督管理局 双随机抽查检查结果录入表（2026年版）", "省级检查结果目录调整");

    private static Decision Decide(LoadResultCatalogue command, ProvinceResultCatalogue? loaded = null, string? actorRegion = "330000") =>
        ResultCatalogueRules.Decide(command, Zhejiang, loaded, actorRegion, ProvinceAdmin);

    private static IEnumerable<(string Field, string Rule)> Violations(Decision d) => d.Errors.Select(e => (e.Field, e.Rule));

    [Fact]
    public void The_shipped_national_list_is_the_two_level_list_of_issue_16_entry_for_entry()
    {
        var national = ResultCatalogue.National;
        Assert.Equal(
        [
            "未发现问题", "发现问题待后续处理", "发现问题已责令改正", "未发现开展本次抽查涉及的经营活动", "已关闭停业或正在组织清算", "不配合检查情节严重",
            "注销", "被吊销", "被撤销", "迁出",
        ], national.Results.Select(r => r.Wording));
        Assert.Equal(["违反工商行政管理相关规定", "违反食品药品管理相关规定", "违反质量技术监督相关规定", "违反其他部门相关规定"],
            national.ChildrenOf("problem-pending").Select(e => e.Wording));
        Assert.Equal(["未按规定公示应当公示的信息", "公示信息隐瞒真实情况弄虚作假", "通过登记的住所（经营场所）无法联系", "违反其他工商行政管理规定行为"],
            national.ChildrenOf("business-regulation").Select(e => e.Wording));
        Assert.Equal(["undisclosed-information", "false-disclosure", "unreachable", "other-violation", "food-drug-regulation", "quality-regulation", "other-department-regulation"],
            national.ChoicesUnder("problem-pending").Select(e => e.Code));
        Assert.Equal("违反工商行政管理相关规定：通过登记的住所（经营场所）无法联系", national.DetailWording("unreachable"));
        // The shipped list passes the same checks a province's list does.
        Assert.False(Decide(Load([.. national.Entries])).IsRejected);
    }

    [Fact]
    public void Results_stored_without_a_version_are_read_in_the_first_shipped_version()
    {
        var catalogues = ResultCatalogues.ShippedOnly;
        Assert.Equal("cn-2024.1", catalogues.For(null).Version);
        Assert.Equal("吊销", catalogues.For("cn-2024.1").Find("status-revoked")!.Wording);
        Assert.Equal("被吊销", catalogues.For("cn-2026.1").Find("status-revoked")!.Wording);
        Assert.Equal("cn-2026.1", catalogues.InForce("330000").Version);
    }

    [Fact]
    public void A_province_version_is_numbered_per_province_records_what_it_removes_and_is_in_force_there_only()
    {
        var first = Decide(Load(new CatalogueEntry("no-problem", "未发现问题"), new CatalogueEntry("problem-pending", "发现问题待后续处理", null, true, true),
            new CatalogueEntry("e-commerce", "违反电子商务相关规定", "problem-pending")));
        var loaded = Assert.IsType<ResultCatalogueVersionLoaded>(Assert.Single(first.Events));
        Assert.Equal(("330000-1", "cn-2026.1"), (loaded.Version, loaded.Replaces));
        Assert.Contains("food-drug-regulation", loaded.RemovedCodes);
        Assert.Contains("status-revoked", loaded.RemovedCodes);

        var state = ResultCatalogueRules.Evolve(null, loaded)!;
        var second = Assert.IsType<ResultCatalogueVersionLoaded>(Assert.Single(Decide(Load([.. ResultCatalogue.National.Entries]), state).Events));
        Assert.Equal(("330000-2", "330000-1", 0), (second.Version, second.Replaces, second.RemovedCodes.Count(c => c != "e-commerce")));

        var catalogues = new ResultCatalogues(ResultCatalogueRules.Evolve(state, second)!.Versions);
        Assert.Equal("330000-2", catalogues.InForce("330000").Version);
        Assert.Equal("cn-2026.1", catalogues.InForce("130000").Version);
        Assert.Equal("违反电子商务相关规定", catalogues.For("330000-1").Entry("e-commerce")!.Wording);
    }

    [Fact]
    public void A_malformed_list_is_refused_naming_each_entry_and_rule()
    {
        var refused = Decide(Load(
            new CatalogueEntry("no-problem", "未发现问题"),
            new CatalogueEntry("no-problem", "没有问题"),
            new CatalogueEntry("pending", "  ", null, true, true),
            new CatalogueEntry("orphan", "无上级", "nowhere"),
            new CatalogueEntry("level-1", "一级", "pending"),
            new CatalogueEntry("level-2", "二级", "level-1"),
            new CatalogueEntry("level-3", "三级", "level-2"),
            new CatalogueEntry("flagged-detail", "带标记的明细", "pending", NeedsFollowUp: true),
            new CatalogueEntry("Bad Code", "代码不合规"),
            new CatalogueEntry("lost", "状态", TargetStatus: "lost")));
        Assert.True(refused.IsRejected);
        var violations = Violations(refused).ToList();
        Assert.Contains(("entries[1].code", "catalogue.code.duplicate"), violations);
        Assert.Contains(("entries[2].wording", "catalogue.wording.required"), violations);
        Assert.Contains(("entries[3].parent", "catalogue.parent.unknown"), violations);
        Assert.Contains(("entries[6].parent", "catalogue.depth"), violations);
        Assert.DoesNotContain(violations, v => v.Field is "entries[4].parent" or "entries[5].parent");
        Assert.Contains(("entries[7].parent", "catalogue.flags.result-only"), violations);
        Assert.Contains(("entries[8].code", "catalogue.code.format"), violations);
        Assert.Contains(("entries[9].targetStatus", "catalogue.status.unknown"), violations);
    }

    [Fact]
    public void A_cycle_never_reaches_a_result_and_is_refused()
    {
        var refused = Decide(Load(new CatalogueEntry("a", "甲", "b"), new CatalogueEntry("b", "乙", "a")));
        Assert.Contains(("entries[0].parent", "catalogue.depth"), Violations(refused));
    }

    [Fact]
    public void Empty_lists_missing_sources_and_non_province_codes_are_refused()
    {
        var refused = ResultCatalogueRules.Decide(new LoadResultCatalogue("330100", [], " ", ""), Zhejiang, null, "330000", ProvinceAdmin);
        Assert.Equal(["provinceCode", "source", "reason", "entries"], refused.Errors.Select(e => e.Field));
        Assert.Equal("catalogue.entries.required", refused.Errors.Single(e => e.Field == "entries").Rule);
    }

    [Theory]
    [InlineData("330100")] // a city of the province
    [InlineData("130000")] // another province
    [InlineData(null)]     // no department
    public void Only_the_provinces_own_administration_loads_its_version(string? actorRegion)
    {
        var refused = Decide(Load([.. ResultCatalogue.National.Entries]), actorRegion: actorRegion);
        var error = Assert.Single(refused.Errors);
        Assert.Equal((ErrorKind.Forbidden, "provinceCode", "catalogue.province.not-yours"), (error.Kind, error.Field, error.Rule));
    }
}
