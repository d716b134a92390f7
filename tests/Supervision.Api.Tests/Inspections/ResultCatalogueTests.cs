using Supervision.Api.Inspections;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Inspections;

/// <summary>Issue 16: the result catalogue as a versioned, hierarchical data set a province loads; results keep their version.</summary>
public sealed class ResultCatalogueTests(March2026App app) : IClassFixture<March2026App>
{
    private static (string Field, string Rule) Violation(JsonNode problem) =>
        (problem["violations"]![0]!["field"]!.GetValue<string>(), problem["violations"]![0]!["rule"]!.GetValue<string>());

    private static IEnumerable<string> Wordings(IEnumerable<CatalogueNode> nodes) => nodes.Select(n => n.Wording);

    [Fact]
    public async Task The_shipped_catalogue_is_the_national_two_level_list_entry_for_entry_and_the_first_version_stays_readable()
    {
        var anyone = app.ClientFor("catalogue-reader", Roles.Inspector);
        var national = await (await anyone.GetAsync("/api/result-catalogue")).ReadAs<ResultCatalogueView>();
        Assert.Equal(("cn-2026.1", "national", true), (national.Version, national.Scope, national.InForce));
        Assert.Equal(
            ["未发现问题", "发现问题待后续处理", "发现问题已责令改正", "未发现开展本次抽查涉及的经营活动", "已关闭停业或正在组织清算", "不配合检查情节严重", "注销", "被吊销", "被撤销", "迁出"],
            Wordings(national.Results));
        var pending = national.Results.Single(r => r.Code == "problem-pending");
        Assert.Equal((true, true), (pending.ProblemFound, pending.NeedsFollowUp));
        Assert.Equal(["违反工商行政管理相关规定", "违反食品药品管理相关规定", "违反质量技术监督相关规定", "违反其他部门相关规定"], Wordings(pending.Details));
        Assert.Equal(["未按规定公示应当公示的信息", "公示信息隐瞒真实情况弄虚作假", "通过登记的住所（经营场所）无法联系", "违反其他工商行政管理规定行为"],
            Wordings(pending.Details[0].Details));
        Assert.All(pending.Details.Skip(1), d => Assert.Empty(d.Details));
        Assert.Equal(["deregistered", "revoked", "cancelled", "moved-out"], national.Results.Where(r => r.TargetStatus is not null).Select(r => r.TargetStatus));
        Assert.Equal(18, national.Entries.Count);

        var first = await (await anyone.GetAsync("/api/result-catalogue?version=cn-2024.1")).ReadAs<ResultCatalogueView>();
        Assert.Equal(("cn-2024.1", false), (first.Version, first.InForce));
        Assert.Contains("吊销", Wordings(first.Results));
        Assert.Equal(("version", "catalogue.version.unknown"), Violation(await (await anyone.GetAsync("/api/result-catalogue?version=cn-1999.9")).ReadNodeAs(404)));
        Assert.Equal(("province", "region.province.required"), Violation(await (await anyone.GetAsync("/api/result-catalogue?province=130500")).ReadNodeAs(400)));
    }

    [Fact]
    public async Task A_province_version_changes_what_new_results_may_use_and_old_results_keep_their_own_version()
    {
        var scenario = await new InspectionScenario(app, "XT-CTLG", "130533", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"CT-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 17000);
        var (plan, task) = await scenario.ApprovedPlan("XT-CTLG-SP");
        var draw = await scenario.Draw(plan, task);
        var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        var matter = InspectionMatter.IdFor("XT-CTLG-SP");

        // Entered under the national list in force today.
        var (oldCase, oldMember) = await Ended(scenario, cases[0]);
        oldCase = await (await oldMember.PostJson($"/api/cases/{oldCase.Id}/results",
            new EnterResult(matter, "problem-pending", "food-drug-regulation", "销售超过保质期的食品", "责令限期改正", null, oldCase.Version))).ReadAs<InspectionCase>();
        oldCase = await Approve(scenario, oldCase, oldMember);
        Assert.Equal("cn-2026.1", Assert.Single(Assert.Single(oldCase.Departments).Results).CatalogueVersion);

        // The provincial administration of 河北 (130000) and, for the attacks, a city administration and an administrator without a department.
        var admin = app.ClientFor("admin-ctlg", Roles.SystemAdmin);
        foreach (var (code, region) in new[] { ("HB-SJ-CTLG", "130000"), ("XT-SJ-CTLG", "130500") })
            Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment(code, code + " 市场监督管理局", DepartmentKind.MarketRegulation, region, null))).StatusCode is 201 or 409);
        var provinceAdmin = app.ClientFor("hb-admin", Roles.SystemAdmin, Department.IdFor("HB-SJ-CTLG"));
        var cityAdmin = app.ClientFor("xt-admin", Roles.SystemAdmin, Department.IdFor("XT-SJ-CTLG"));
        var provincePlanner = app.ClientFor("hb-planner", Roles.Planner, Department.IdFor("HB-SJ-CTLG"));

        var entries = ResultCatalogue.National.Entries.Where(e => e.Code != "food-drug-regulation")
            .Append(new CatalogueEntry("e-commerce", "违反电子商务相关规定", "problem-pending")).ToList();
        var load = new LoadResultCatalogue("130000", entries, "河北省市场监督管理局关于调整双随机抽查检查结果目录的通知（冀市监函〔2026〕1号）", "省级系统检查结果录入表调整");

        // Attacks: another role, a city's administrator, an administrator of no department; a malformed list names the entry and field.
        await (await provincePlanner.PostJson("/api/result-catalogue/versions", load)).ShouldHaveStatus(403);
        Assert.Equal(("provinceCode", "catalogue.province.not-yours"), Violation(await (await cityAdmin.PostJson("/api/result-catalogue/versions", load)).ReadNodeAs(403)));
        Assert.Equal(("provinceCode", "catalogue.province.not-yours"), Violation(await (await admin.PostJson("/api/result-catalogue/versions", load)).ReadNodeAs(403)));
        Assert.Equal(("entries[18].code", "catalogue.code.duplicate"), Violation(await (await provinceAdmin.PostJson("/api/result-catalogue/versions",
            load with { Entries = [.. entries, new CatalogueEntry("e-commerce", "重复")] })).ReadNodeAs(400)));
        Assert.Equal(("entries[18].parent", "catalogue.parent.unknown"), Violation(await (await provinceAdmin.PostJson("/api/result-catalogue/versions",
            load with { Entries = [.. entries, new CatalogueEntry("live-streaming", "直播带货", "e-commerce-x")] })).ReadNodeAs(400)));
        Assert.Equal(("entries[18].parent", "catalogue.depth"), Violation(await (await provinceAdmin.PostJson("/api/result-catalogue/versions",
            load with { Entries = [.. entries, new CatalogueEntry("third-level", "第三级明细", "unreachable")] })).ReadNodeAs(400)));
        Assert.Equal(("entries[18].wording", "catalogue.wording.required"), Violation(await (await provinceAdmin.PostJson("/api/result-catalogue/versions",
            load with { Entries = [.. entries, new CatalogueEntry("blank", " ", "problem-pending")] })).ReadNodeAs(400)));
        Assert.Equal("cn-2026.1", (await (await scenario.ClientOf("CT-1").GetAsync("/api/result-catalogue")).ReadAs<ResultCatalogueView>()).Version);

        var loaded = await (await provinceAdmin.PostJson("/api/result-catalogue/versions", load)).ReadAs<ResultCatalogueView>();
        Assert.Equal(("130000-1", "130000"), (loaded.Version, loaded.Scope));

        // In force for the province's inspectors (a county department of 河北), not elsewhere.
        var (newCase, newMember) = await Ended(scenario, cases[1]);
        var inForce = await (await newMember.GetAsync("/api/result-catalogue")).ReadAs<ResultCatalogueView>();
        Assert.Equal(("130000-1", true), (inForce.Version, inForce.InForce));
        Assert.Contains("违反电子商务相关规定", Wordings(inForce.Results.Single(r => r.Code == "problem-pending").Details));
        Assert.Equal("cn-2026.1", (await (await newMember.GetAsync("/api/result-catalogue?province=330000")).ReadAs<ResultCatalogueView>()).Version);
        var versions = await (await newMember.GetAsync("/api/result-catalogue/versions")).ReadAs<List<ResultCatalogueVersionSummary>>();
        Assert.Equal(["cn-2024.1", "cn-2026.1", "130000-1"], versions.Select(v => v.Version));

        // A new result may use only the codes of the version in force: the removed code is refused, naming the field.
        var refused = Violation(await (await newMember.PostJson($"/api/cases/{newCase.Id}/results",
            new EnterResult(matter, "problem-pending", "food-drug-regulation", "销售超过保质期的食品", null, null, newCase.Version))).ReadNodeAs(400));
        Assert.Equal(("subKind", "result.subkind.unknown"), refused);
        newCase = await (await newMember.PostJson($"/api/cases/{newCase.Id}/results",
            new EnterResult(matter, "problem-pending", "e-commerce", "网店未公示营业执照信息", "责令限期改正", null, newCase.Version))).ReadAs<InspectionCase>();
        Assert.Equal("130000-1", Assert.Single(Assert.Single(newCase.Departments).Results).CatalogueVersion);
        newCase = await Approve(scenario, newCase, newMember);

        // The old result keeps its version; a correction is a new result, so it too may use only the codes in force.
        oldCase = await (await scenario.Planner.GetAsync($"/api/cases/{oldCase.Id}")).ReadAs<InspectionCase>();
        var kept = Assert.Single(Assert.Single(oldCase.Departments).Results);
        Assert.Equal(("cn-2026.1", "food-drug-regulation"), (kept.CatalogueVersion, kept.SubKind));
        Assert.Equal(("subKind", "result.subkind.unknown"), Violation(await (await oldMember.PostJson($"/api/cases/{oldCase.Id}/corrections",
            new CorrectResult(matter, "problem-pending", "food-drug-regulation", "销售超过保质期的食品", null, null, "复核补充", oldCase.Version))).ReadNodeAs(400)));

        // Public copies show each result in its own version's wording.
        var oldCopy = (await (await scenario.Approver.PostJson($"/api/cases/{oldCase.Id}/publication", new PublishResult(new DateOnly(2026, 3, 30), null, "已责令改正")))
            .ReadAs<ResultPublication>()).Current!;
        Assert.Equal(("发现问题待后续处理", "违反食品药品管理相关规定"), (Assert.Single(oldCopy.Matters).Result, oldCopy.Matters[0].SubKind));
        var newCopy = (await (await scenario.Approver.PostJson($"/api/cases/{newCase.Id}/publication", new PublishResult(new DateOnly(2026, 3, 30), null, "已责令改正")))
            .ReadAs<ResultPublication>()).Current!;
        Assert.Equal(("发现问题待后续处理", "违反电子商务相关规定"), (Assert.Single(newCopy.Matters).Result, newCopy.Matters[0].SubKind));
    }

    private static async Task<(InspectionCase Case, HttpClient Member)> Ended(InspectionScenario scenario, Guid caseId)
    {
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        return (inspectionCase, member);
    }

    private async Task<InspectionCase> Approve(InspectionScenario scenario, InspectionCase inspectionCase, HttpClient member)
    {
        inspectionCase = await (await member.PostJson($"/api/cases/{inspectionCase.Id}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        return await (await app.ClientFor("reviewer-ctlg", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{inspectionCase.Id}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ReadAs<InspectionCase>();
    }
}
