using Supervision.Api.Directories.CheckForms;
using Supervision.Api.Directories.Matters;

namespace Supervision.Api.Tests.Directories;

public sealed class CheckFormEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private readonly HttpClient admin = app.ClientFor("admin-1", Roles.SystemAdmin);

    private static readonly IReadOnlyList<CheckFormItemInput> Items =
    [
        new("licence", "是否持有有效的食品经营许可证", AnswerType.YesNo, null, null, true, "《食品安全法》第三十五条"),
        new("storage", "贮存条件", AnswerType.Choice, ["符合", "基本符合", "不符合"], null, true, null),
        new("temp", "冷藏温度", AnswerType.Number, null, "℃", false, null),
        new("checked-on", "最近一次自查日期", AnswerType.Date, null, null, false, null),
        new("notes", "其他问题", AnswerType.Text, null, null, false, null),
    ];

    /// <summary>A city department owning a matter, and a county department below it.</summary>
    private async Task<(Guid City, Guid County)> EnsureOrganization()
    {
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县") })
        {
            var response = await admin.PostJson("/api/regions", new RegisterRegion(code, name));
            Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        }
        var city = await EnsureDepartment("XT-SCJGJ", "邢台市市场监督管理局", "130500", null);
        var county = await EnsureDepartment("XTX-SCJGJ", "邢台县市场监督管理局", "130521", city);
        return (city, county);
    }

    private async Task<Guid> EnsureDepartment(string code, string name, string region, Guid? parent)
    {
        var response = await admin.PostJson("/api/departments", new RegisterDepartment(code, name, DepartmentKind.MarketRegulation, region, parent));
        Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        return Department.IdFor(code);
    }

    private HttpClient Keeper(Guid department) => app.ClientFor("keeper-" + department.ToString("N")[..6], Roles.DirectoryKeeper, department);

    private async Task<MatterView> DefineMatter(string code, Guid owner)
    {
        var command = new DefineMatter(code, "食品经营者检查", "《中华人民共和国食品安全法》第八十七条", owner, "检查食品经营许可、进货查验记录",
            [InspectionMethod.OnSite], MatterCategory.General, 5m, 3m, 1, []);
        var created = await (await Keeper(owner).PostJson("/api/matters", command)).ShouldHaveStatus(201);
        return (await created.ReadNode())["value"].Deserialize<MatterView>(HttpExtensions.Json)!;
    }

    private async Task<CheckFormView> DefineForm(Guid keeperDepartment, DefineCheckForm command)
    {
        var created = await (await Keeper(keeperDepartment).PostJson("/api/check-forms", command)).ShouldHaveStatus(201);
        Assert.Equal($"/api/check-forms/{CheckFormTemplate.IdFor(command.Code)}", created.Headers.Location?.ToString());
        return (await created.ReadNode())["value"].Deserialize<CheckFormView>(HttpExtensions.Json)!;
    }

    private static string FirstRule(JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    private async Task<int> EventCount(Guid streamId)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Count;
    }

    [Fact]
    public async Task The_matters_owner_defines_its_base_form_and_reads_it_back()
    {
        var (city, _) = await EnsureOrganization();
        var matter = await DefineMatter("XT-CF-01", city);

        var form = await DefineForm(city, new DefineCheckForm("xt-cf-01-base", "食品经营者基础检查表", CheckFormKind.Base, matter.Id, null, Items));
        Assert.Equal("XT-CF-01-BASE", form.Code);
        Assert.Equal((CheckFormKind.Base, city, matter.Id, 1L), (form.Kind, form.OwnerDepartmentId, form.MatterId, form.Version));

        var read = await (await (await app.ClientFor("inspector-1", Roles.Inspector).GetAsync($"/api/check-forms/{form.Id}")).ShouldHaveStatus(200)).Read<CheckFormView>();
        Assert.Equal(["LICENCE", "STORAGE", "TEMP", "CHECKED-ON", "NOTES"], read.Definition.Items.Select(i => i.Code));
        Assert.Equal(["符合", "基本符合", "不符合"], read.Definition.Items[1].Options);
        Assert.Equal("℃", read.Definition.Items[2].Unit);
        Assert.Equal([1], read.Versions);

        var second = await (await Keeper(city).PostJson("/api/check-forms",
            new DefineCheckForm("XT-CF-01-BASE2", "另一张基础表", CheckFormKind.Base, matter.Id, null, Items))).ShouldHaveStatus(409);
        Assert.Equal("form.base.exists", FirstRule(await second.ReadNode()));
    }

    [Fact]
    public async Task A_new_version_is_published_and_the_old_version_stays_readable()
    {
        var (city, _) = await EnsureOrganization();
        var matter = await DefineMatter("XT-CF-02", city);
        var form = await DefineForm(city, new DefineCheckForm("XT-CF-02-BASE", "基础检查表", CheckFormKind.Base, matter.Id, null, Items));

        IReadOnlyList<CheckFormItemInput> next = [.. Items.Take(2), new("pests", "是否设置防鼠防蝇设施", AnswerType.YesNo, null, null, true, null)];
        var published = await (await (await Keeper(city).PostJson($"/api/check-forms/{form.Id}/versions",
            new PublishCheckFormVersion(next, "按 2024 年检查要点调整", form.Version))).ShouldHaveStatus(200)).Read<CheckFormView>();
        Assert.Equal(2, published.Version);
        Assert.Equal([1, 2], published.Versions);
        Assert.Equal(["LICENCE", "STORAGE", "PESTS"], published.Definition.Items.Select(i => i.Code));

        var v1 = await (await (await admin.GetAsync($"/api/check-forms/{form.Id}/versions/1")).ShouldHaveStatus(200)).Read<CheckFormVersionView>();
        Assert.Equal(5, v1.Definition.Items.Count);
        Assert.False(v1.IsLatest);
        var v2 = await (await (await admin.GetAsync($"/api/check-forms/{form.Id}/versions/2")).ShouldHaveStatus(200)).Read<CheckFormVersionView>();
        Assert.Equal(3, v2.Definition.Items.Count);
        Assert.True(v2.IsLatest);
        var v3 = await (await admin.GetAsync($"/api/check-forms/{form.Id}/versions/3")).ShouldHaveStatus(404);
        Assert.Equal("form.version.unknown", FirstRule(await v3.ReadNode()));

        // A stale version is refused rather than overwriting.
        await (await Keeper(city).PostJson($"/api/check-forms/{form.Id}/versions", new PublishCheckFormVersion(Items, "基于旧版本", 1))).ShouldHaveStatus(409);
    }

    [Fact]
    public async Task Invalid_items_are_refused_by_rule_and_nothing_is_written()
    {
        var (city, _) = await EnsureOrganization();
        var matter = await DefineMatter("XT-CF-03", city);

        var empty = await (await Keeper(city).PostJson("/api/check-forms",
            new DefineCheckForm("XT-CF-03-A", "空表", CheckFormKind.Base, matter.Id, null, []))).ShouldHaveStatus(400);
        Assert.Equal("form.items.empty", FirstRule(await empty.ReadNode()));

        var invalid = await (await Keeper(city).PostJson("/api/check-forms", new DefineCheckForm("XT-CF-03-B", "错表", CheckFormKind.Base, matter.Id, null,
        [
            new("q1", "甲", AnswerType.YesNo, null, null, true, null),
            new("Q1", "乙", AnswerType.YesNo, null, null, true, null),
            new("q3", "丙", AnswerType.Choice, ["唯一选项"], null, true, null),
        ]))).ShouldHaveStatus(400);
        var problem = await invalid.ReadNode();
        var violations = problem["violations"]!.AsArray().Select(v => (v!["field"]!.GetValue<string>(), v["rule"]!.GetValue<string>())).ToList();
        Assert.Equal([("items[1].code", "form.item.code.duplicate"), ("items[2].options", "form.item.choice.options")], violations);

        Assert.Equal(0, await EventCount(CheckFormTemplate.IdFor("XT-CF-03-A")));
        Assert.Equal(0, await EventCount(CheckFormTemplate.IdFor("XT-CF-03-B")));

        var form = await DefineForm(city, new DefineCheckForm("XT-CF-03-C", "好表", CheckFormKind.Base, matter.Id, null, Items));
        var badVersion = await (await Keeper(city).PostJson($"/api/check-forms/{form.Id}/versions",
            new PublishCheckFormVersion([new("q", "x", AnswerType.Choice, ["是", "是"], null, true, null)], "调整", 1))).ShouldHaveStatus(400);
        Assert.Equal("form.item.choice.options", FirstRule(await badVersion.ReadNode()));
        Assert.Equal(1, await EventCount(form.Id));
    }

    [Fact]
    public async Task A_county_adds_its_own_form_only_for_a_matter_it_claimed()
    {
        var (city, county) = await EnsureOrganization();
        var matter = await DefineMatter("XT-CF-04", city);
        var command = new DefineCheckForm("XTX-CF-04", "邢台县个性化检查表", CheckFormKind.DepartmentSpecific, matter.Id, county, Items);

        var notClaimed = await (await Keeper(county).PostJson("/api/check-forms", command)).ShouldHaveStatus(400);
        Assert.Equal("form.owner.not-listed", FirstRule(await notClaimed.ReadNode()));

        await (await Keeper(county).PostJson($"/api/matters/{matter.Id}/claims", new ClaimMatter(county, matter.Version))).ShouldHaveStatus(200);
        var form = await DefineForm(county, command);
        Assert.Equal((CheckFormKind.DepartmentSpecific, county), (form.Kind, form.OwnerDepartmentId));

        // The city keeper may not publish or retire the county's form.
        await (await Keeper(city).PostJson($"/api/check-forms/{form.Id}/versions", new PublishCheckFormVersion(Items.Take(1).ToList(), "x", 1))).ShouldHaveStatus(403);
        await (await Keeper(city).PostJson($"/api/check-forms/{form.Id}/retire", new RetireCheckForm("x", 1))).ShouldHaveStatus(403);
        // Nor define a form in the county's name.
        var forCounty = await (await Keeper(city).PostJson("/api/check-forms", command with { Code = "XTX-CF-04-B" })).ShouldHaveStatus(403);
        Assert.Equal("actor.department.mismatch", FirstRule(await forCounty.ReadNode()));
        Assert.Equal(1, await EventCount(form.Id));
    }

    [Fact]
    public async Task The_forms_of_a_matter_are_listed_and_a_retired_form_leaves_the_list()
    {
        var (city, county) = await EnsureOrganization();
        var matter = await DefineMatter("XT-CF-05", city);
        await (await Keeper(county).PostJson($"/api/matters/{matter.Id}/claims", new ClaimMatter(county, matter.Version))).ShouldHaveStatus(200);
        var baseForm = await DefineForm(city, new DefineCheckForm("XT-CF-05-BASE", "基础检查表", CheckFormKind.Base, matter.Id, null, Items));
        var countyForm = await DefineForm(county, new DefineCheckForm("XTX-CF-05", "县局表", CheckFormKind.DepartmentSpecific, matter.Id, county, Items));

        var listed = await (await (await admin.GetAsync($"/api/check-forms?matterId={matter.Id}")).ShouldHaveStatus(200)).Read<List<CheckFormView>>();
        Assert.Equal([baseForm.Id, countyForm.Id], listed.Select(f => f.Id));

        var retired = await (await (await Keeper(county).PostJson($"/api/check-forms/{countyForm.Id}/retire",
            new RetireCheckForm("并入市局基础表", 1))).ShouldHaveStatus(200)).Read<CheckFormView>();
        Assert.True(retired.Retired);
        Assert.Equal("并入市局基础表", retired.RetirementReason);

        var after = await (await admin.GetAsync($"/api/check-forms?matterId={matter.Id}")).Read<List<CheckFormView>>();
        Assert.Equal([baseForm.Id], after.Select(f => f.Id));
        var withRetired = await (await admin.GetAsync($"/api/check-forms?matterId={matter.Id}&includeRetired=true")).Read<List<CheckFormView>>();
        Assert.Equal(2, withRetired.Count);

        // A retired form's versions stay readable; it takes no new one.
        await (await admin.GetAsync($"/api/check-forms/{countyForm.Id}/versions/1")).ShouldHaveStatus(200);
        var publish = await (await Keeper(county).PostJson($"/api/check-forms/{countyForm.Id}/versions",
            new PublishCheckFormVersion(Items.Take(1).ToList(), "x", 2))).ShouldHaveStatus(409);
        Assert.Equal("form.retired", FirstRule(await publish.ReadNode()));
    }

    [Fact]
    public async Task A_form_needs_a_matter_that_exists_and_is_not_withdrawn()
    {
        var (city, _) = await EnsureOrganization();
        var unknown = await (await Keeper(city).PostJson("/api/check-forms",
            new DefineCheckForm("XT-CF-06-A", "表", CheckFormKind.DepartmentSpecific, Guid.NewGuid(), city, Items))).ShouldHaveStatus(400);
        Assert.Equal("matter.unknown", FirstRule(await unknown.ReadNode()));

        var matter = await DefineMatter("XT-CF-06", city);
        await (await Keeper(city).PostJson($"/api/matters/{matter.Id}/withdraw", new WithdrawMatter("事项取消", 1))).ShouldHaveStatus(200);
        var withdrawn = await (await Keeper(city).PostJson("/api/check-forms",
            new DefineCheckForm("XT-CF-06-B", "表", CheckFormKind.Base, matter.Id, null, Items))).ShouldHaveStatus(409);
        Assert.Equal("matter.withdrawn", FirstRule(await withdrawn.ReadNode()));
    }

    [Fact]
    public async Task Reading_needs_a_token_and_writing_the_keeper_role()
    {
        await (await app.Anonymous().GetAsync("/api/check-forms")).ShouldHaveStatus(401);
        await (await app.ClientFor("planner-1", Roles.Planner).PostJson("/api/check-forms",
            new DefineCheckForm("XT-CF-07", "表", CheckFormKind.Base, Guid.NewGuid(), null, Items))).ShouldHaveStatus(403);
        await (await admin.GetAsync($"/api/check-forms/{Guid.NewGuid()}")).ShouldHaveStatus(404);
    }
}
