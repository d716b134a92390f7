using Supervision.Api.Directories.Matters;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Directories;

public sealed class MatterEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private readonly HttpClient admin = app.ClientFor("admin-1", Roles.SystemAdmin);

    private static readonly Actor Seeder = new("seed", "test seed", Roles.DirectoryKeeper, null);

    /// <summary>河北省 / 邢台市 / 邢台县, and 邯郸市 as an unrelated region; a city, a county and an unrelated department.</summary>
    private async Task<(Guid City, Guid County, Guid Unrelated)> EnsureOrganization()
    {
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县"), ("130400", "邯郸市") })
        {
            var response = await admin.PostJson("/api/regions", new RegisterRegion(code, name));
            Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        }
        var city = await EnsureDepartment("XT-SCJGJ", "邢台市市场监督管理局", "130500", null);
        var county = await EnsureDepartment("XTX-SCJGJ", "邢台县市场监督管理局", "130521", city);
        var unrelated = await EnsureDepartment("HD-SCJGJ", "邯郸市市场监督管理局", "130400", null);
        return (city, county, unrelated);
    }

    private async Task<Guid> EnsureDepartment(string code, string name, string region, Guid? parent)
    {
        var response = await admin.PostJson("/api/departments", new RegisterDepartment(code, name, DepartmentKind.MarketRegulation, region, parent));
        Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        return Department.IdFor(code);
    }

    /// <summary>The tag endpoints are another slice's: tags are put straight into the event store.</summary>
    private async Task EnsureTag(string code, TagScope scope, Guid owner)
    {
        await using var session = app.Store.LightweightSession();
        if (await session.LoadAsync<TagDefinition>(TagDefinition.IdFor(code)) is not null) return;
        session.Events.StartStream<TagDefinition>(TagDefinition.IdFor(code),
            new TagDefined(TagDefinition.IdFor(code), code.ToUpperInvariant(), code, scope, owner, null, Seeder));
        await session.SaveChangesAsync();
    }

    private HttpClient Keeper(Guid department) => app.ClientFor("keeper-" + department.ToString("N")[..6], Roles.DirectoryKeeper, department);

    private static DefineMatter General(string code, Guid owner, decimal cap = 5m, decimal? ratio = 3m, string[]? qualifications = null) =>
        new(code, "食品经营者检查", "《中华人民共和国食品安全法》第八十七条", owner, "检查食品经营许可、进货查验记录",
            [InspectionMethod.OnSite, InspectionMethod.Documentary], MatterCategory.General, cap, ratio, 1, qualifications ?? []);

    private static DefineMatter Key(string code, Guid owner) =>
        new(code, "特种设备安全检查", "《中华人民共和国特种设备安全法》第五十七条", owner, "检查特种设备使用登记和定期检验",
            [InspectionMethod.OnSite, InspectionMethod.TestingInspection], MatterCategory.Key, null, 30m, 2, []);

    private static ReviseMatter Revision(DefineMatter d, string name, long version, decimal? cap = null, decimal? ratio = null) =>
        new(name, d.LegalBasis, d.Content, d.Methods, d.Category, cap ?? d.RatioCapPercent, ratio ?? d.DefaultRatioPercent,
            d.DefaultFrequencyPerYear, d.InspectorQualifications, "法规立改废释，动态调整", version);

    private async Task<MatterView> Define(DefineMatter command)
    {
        var created = await (await Keeper(command.OwnerDepartmentId!.Value).PostJson("/api/matters", command)).ShouldHaveStatus(201);
        return (await created.ReadNode())["value"].Deserialize<MatterView>(HttpExtensions.Json)!;
    }

    private static string FirstRule(JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    private async Task<int> EventCount(Guid streamId)
    {
        await using var session = app.Store.QuerySession();
        return (await session.Events.FetchStreamAsync(streamId)).Count;
    }

    [Fact]
    public async Task A_keeper_defines_a_matter_of_their_department_and_reads_it_back()
    {
        var (city, _, _) = await EnsureOrganization();
        await EnsureTag("QUAL-FOOD", TagScope.Inspector, city);
        var created = await (await Keeper(city).PostJson("/api/matters", General("xt-food-01", city, qualifications: ["qual-food"]))).ShouldHaveStatus(201);
        Assert.Equal($"/api/matters/{InspectionMatter.IdFor("XT-FOOD-01")}", created.Headers.Location?.ToString());

        var matter = await (await (await Keeper(city).GetAsync(created.Headers.Location)).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.Equal("XT-FOOD-01", matter.Code);
        Assert.Equal(city, matter.OwnerDepartmentId);
        Assert.Equal(1, matter.Version);
        Assert.Equal([1], matter.Versions);
        Assert.Equal(MatterCategory.General, matter.Definition.Category);
        Assert.Equal(5m, matter.Definition.RatioCapPercent);
        Assert.Equal(3m, matter.Definition.DefaultRatioPercent);
        Assert.Equal([InspectionMethod.OnSite, InspectionMethod.Documentary], matter.Definition.Methods);
        Assert.Equal(["QUAL-FOOD"], matter.Definition.InspectorQualifications);
        Assert.False(matter.Withdrawn);

        // Any authenticated user reads the list entry.
        await (await app.ClientFor("inspector-1", Roles.Inspector).GetAsync(created.Headers.Location)).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task A_revision_makes_version_2_and_version_1_stays_readable()
    {
        var (city, _, _) = await EnsureOrganization();
        var command = General("XT-REV-01", city, cap: 5m, ratio: 3m);
        var defined = await Define(command);

        var revised = await (await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/revise",
            Revision(command, "食品经营者监督检查（2024 版）", defined.Version, cap: 10m, ratio: 8m))).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.Equal(2, revised.Version);
        Assert.Equal([1, 2], revised.Versions);
        Assert.Equal(2, revised.Definition.Number);
        Assert.Equal(10m, revised.Definition.RatioCapPercent);

        var v1 = await (await (await admin.GetAsync($"/api/matters/{defined.Id}/versions/1")).ShouldHaveStatus(200)).Read<MatterVersionView>();
        Assert.Equal("食品经营者检查", v1.Definition.Name);
        Assert.Equal(5m, v1.Definition.RatioCapPercent);
        Assert.False(v1.IsLatest);
        var v2 = await (await (await admin.GetAsync($"/api/matters/{defined.Id}/versions/2")).ShouldHaveStatus(200)).Read<MatterVersionView>();
        Assert.Equal("食品经营者监督检查（2024 版）", v2.Definition.Name);
        Assert.True(v2.IsLatest);

        var missing = await (await admin.GetAsync($"/api/matters/{defined.Id}/versions/3")).ShouldHaveStatus(404);
        Assert.Equal("matter.version.unknown", FirstRule(await missing.ReadNode()));
        await (await admin.GetAsync($"/api/matters/{Guid.NewGuid()}/versions/1")).ShouldHaveStatus(404);
    }

    [Fact]
    public async Task A_stale_version_is_a_409_not_a_lost_update()
    {
        var (city, _, _) = await EnsureOrganization();
        var command = General("XT-STALE-01", city);
        var defined = await Define(command);
        await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/revise", Revision(command, "第一次修订", 1))).ShouldHaveStatus(200);
        await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/revise", Revision(command, "基于旧版本的修订", 1))).ShouldHaveStatus(409);

        var current = await (await admin.GetAsync($"/api/matters/{defined.Id}")).Read<MatterView>();
        Assert.Equal("第一次修订", current.Definition.Name);
    }

    [Fact]
    public async Task A_withdrawn_matter_cannot_be_revised_or_claimed_and_leaves_the_default_list()
    {
        var (city, county, _) = await EnsureOrganization();
        var command = General("XT-WD-01", city);
        var defined = await Define(command);

        var withdrawn = await (await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/withdraw",
            new WithdrawMatter("职责划转，事项取消", 1))).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.True(withdrawn.Withdrawn);
        Assert.Equal("职责划转，事项取消", withdrawn.WithdrawalReason);

        var revise = await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/revise", Revision(command, "x", 2))).ShouldHaveStatus(409);
        Assert.Equal("matter.withdrawn", FirstRule(await revise.ReadNode()));
        var claim = await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/claims", new ClaimMatter(county, 2))).ShouldHaveStatus(409);
        Assert.Equal("matter.withdrawn", FirstRule(await claim.ReadNode()));
        Assert.Equal(2, await EventCount(defined.Id));

        var list = await (await admin.GetAsync($"/api/matters?departmentId={city}&pageSize=200")).Read<PagedResult<MatterView>>();
        Assert.DoesNotContain(list.Items, m => m.Id == defined.Id);
        var all = await (await admin.GetAsync($"/api/matters?departmentId={city}&includeWithdrawn=true&pageSize=200")).Read<PagedResult<MatterView>>();
        Assert.Contains(all.Items, m => m.Id == defined.Id);
    }

    [Fact]
    public async Task A_county_department_claims_a_city_matter_and_releases_it_with_a_reason()
    {
        var (city, county, _) = await EnsureOrganization();
        var defined = await Define(General("XT-CLAIM-01", city));

        var claimed = await (await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/claims", new ClaimMatter(county, 1))).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.Equal(new MatterClaim(county, 1), Assert.Single(claimed.Claims));
        Assert.Equal(2, claimed.Version);

        // Claiming twice is a no-op: nothing is written.
        var again = await (await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/claims", new ClaimMatter(county, 2))).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.Equal(2, again.Version);
        Assert.Equal(2, await EventCount(defined.Id));

        var countyList = await (await admin.GetAsync($"/api/matters?departmentId={county}&pageSize=200")).Read<PagedResult<MatterView>>();
        Assert.Contains(countyList.Items, m => m.Id == defined.Id);

        var released = await (await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/claims/{county}/release",
            new ReleaseMatterClaim("改由市局直接实施", 2))).ShouldHaveStatus(200)).Read<MatterView>();
        Assert.Empty(released.Claims);
        Assert.Equal(3, released.Version);

        var after = await (await admin.GetAsync($"/api/matters?departmentId={county}&pageSize=200")).Read<PagedResult<MatterView>>();
        Assert.DoesNotContain(after.Items, m => m.Id == defined.Id);

        var notHeld = await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/claims/{county}/release",
            new ReleaseMatterClaim("再次释放", 3))).ShouldHaveStatus(404);
        Assert.Equal("matter.claim.unknown", FirstRule(await notHeld.ReadNode()));
    }

    [Fact]
    public async Task A_department_of_an_unrelated_region_cannot_claim()
    {
        var (city, _, unrelated) = await EnsureOrganization();
        var defined = await Define(General("XT-CLAIM-02", city));

        var refused = await (await Keeper(unrelated).PostJson($"/api/matters/{defined.Id}/claims", new ClaimMatter(unrelated, 1))).ShouldHaveStatus(400);
        var problem = await refused.ReadNode();
        Assert.Equal("matter.claim.region", FirstRule(problem));
        Assert.NotNull(problem["errors"]!["departmentId"]);
        Assert.Equal(1, await EventCount(defined.Id));
    }

    [Fact]
    public async Task A_keeper_acts_only_for_their_own_department()
    {
        var (city, county, _) = await EnsureOrganization();
        var command = General("XT-ACCESS-01", city);

        // Defining for another department.
        var define = await (await Keeper(county).PostJson("/api/matters", command)).ShouldHaveStatus(403);
        Assert.Equal("actor.department.mismatch", FirstRule(await define.ReadNode()));
        Assert.Equal(0, await EventCount(InspectionMatter.IdFor("XT-ACCESS-01")));

        var defined = await Define(command);
        await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/revise", Revision(command, "x", 1))).ShouldHaveStatus(403);
        await (await Keeper(county).PostJson($"/api/matters/{defined.Id}/withdraw", new WithdrawMatter("x", 1))).ShouldHaveStatus(403);
        // Claiming for a department that is not the caller's.
        await (await Keeper(city).PostJson($"/api/matters/{defined.Id}/claims", new ClaimMatter(county, 1))).ShouldHaveStatus(403);
        Assert.Equal(1, await EventCount(defined.Id));

        // Wrong role, no token.
        await (await app.ClientFor("planner-1", Roles.Planner, city).PostJson("/api/matters", General("XT-ACCESS-02", city))).ShouldHaveStatus(403);
        await (await app.Anonymous().GetAsync("/api/matters")).ShouldHaveStatus(401);
    }

    [Fact]
    public async Task A_general_matter_default_ratio_over_its_cap_is_refused_and_nothing_is_written()
    {
        var (city, _, _) = await EnsureOrganization();
        var response = await (await Keeper(city).PostJson("/api/matters", General("XT-CAP-01", city, cap: 5m, ratio: 12m))).ShouldHaveStatus(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadNode();
        Assert.Equal("matter.ratio.over-cap", FirstRule(problem));
        Assert.Equal("defaultRatioPercent", problem["violations"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(0, await EventCount(InspectionMatter.IdFor("XT-CAP-01")));
        await (await admin.GetAsync($"/api/matters/{InspectionMatter.IdFor("XT-CAP-01")}")).ShouldHaveStatus(404);

        var key = await (await Keeper(city).PostJson("/api/matters", Key("XT-CAP-02", city) with { RatioCapPercent = 10m })).ShouldHaveStatus(400);
        Assert.Equal("matter.ratio-cap.key", FirstRule(await key.ReadNode()));
    }

    [Fact]
    public async Task Defining_the_same_code_twice_is_a_conflict_and_writes_nothing()
    {
        var (city, _, _) = await EnsureOrganization();
        await Define(General("XT-DUP-01", city));
        var second = await (await Keeper(city).PostJson("/api/matters", Key("xt-dup-01", city))).ShouldHaveStatus(409);
        Assert.Equal("matter.code.taken", FirstRule(await second.ReadNode()));
        Assert.Equal(1, await EventCount(InspectionMatter.IdFor("XT-DUP-01")));
    }

    [Fact]
    public async Task An_unknown_department_or_qualification_is_refused_by_name()
    {
        var (city, _, _) = await EnsureOrganization();
        var nowhere = Guid.NewGuid();
        var unknown = await (await Keeper(nowhere).PostJson("/api/matters", General("XT-NODEPT-01", nowhere))).ShouldHaveStatus(400);
        Assert.Equal("department.unknown", FirstRule(await unknown.ReadNode()));

        await EnsureTag("TGT-FOOD-SHOP", TagScope.Target, city);
        var tags = await (await Keeper(city).PostJson("/api/matters", General("XT-TAGS-01", city, qualifications: ["NO-SUCH-TAG", "TGT-FOOD-SHOP"]))).ShouldHaveStatus(400);
        var rules = (await tags.ReadNode())["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["tag.scope", "tag.unknown"], rules);
    }

    [Fact]
    public async Task A_bad_body_is_a_400_problem_naming_each_field()
    {
        var (city, _, _) = await EnsureOrganization();
        var response = await (await Keeper(city).PostJson("/api/matters", new { code = "有 空格", ownerDepartmentId = city, methods = Array.Empty<string>() })).ShouldHaveStatus(400);
        var errors = (await response.ReadNode())["errors"]!.AsObject().Select(e => e.Key).Order().ToList();
        Assert.Equal(["category", "code", "content", "legalBasis", "methods", "name"], errors);
    }

    [Fact]
    public async Task The_list_filters_by_department_category_and_method_and_pages()
    {
        var (city, _, _) = await EnsureOrganization();
        var owner = await EnsureDepartment("XT-LIST", "邢台市测试局", "130500", null);
        await Define(General("XT-LIST-A", owner));
        await Define(Key("XT-LIST-B", owner));
        await Define(General("XT-LIST-C", owner) with { Methods = [InspectionMethod.OnlineMonitoring] });

        var all = await (await (await Keeper(city).GetAsync($"/api/matters?departmentId={owner}")).ShouldHaveStatus(200)).Read<PagedResult<MatterView>>();
        Assert.Equal(["XT-LIST-A", "XT-LIST-B", "XT-LIST-C"], all.Items.Select(m => m.Code));
        Assert.Equal(3, all.Total);
        Assert.True(all.AsOfSequence > 0);

        var key = await (await admin.GetAsync($"/api/matters?departmentId={owner}&category=Key")).Read<PagedResult<MatterView>>();
        Assert.Equal(["XT-LIST-B"], key.Items.Select(m => m.Code));

        var documentary = await (await admin.GetAsync($"/api/matters?departmentId={owner}&method=Documentary")).Read<PagedResult<MatterView>>();
        Assert.Equal(["XT-LIST-A"], documentary.Items.Select(m => m.Code));

        var page2 = await (await admin.GetAsync($"/api/matters?departmentId={owner}&page=2&pageSize=2")).Read<PagedResult<MatterView>>();
        Assert.Equal(["XT-LIST-C"], page2.Items.Select(m => m.Code));
        Assert.Equal((3, 2, 2), (page2.Total, page2.Page, page2.PageSize));

        Assert.Equal("page.range", FirstRule(await (await (await admin.GetAsync("/api/matters?page=0")).ShouldHaveStatus(400)).ReadNode()));
        Assert.Equal("pageSize.range", FirstRule(await (await (await admin.GetAsync("/api/matters?pageSize=1000")).ShouldHaveStatus(400)).ReadNode()));
        await (await admin.GetAsync("/api/matters?category=Nonsense")).ShouldHaveStatus(400);
    }

    [Fact]
    public async Task The_list_as_of_an_earlier_sequence_shows_the_matter_before_a_later_revision()
    {
        var (city, _, _) = await EnsureOrganization();
        var owner = await EnsureDepartment("XT-ASOF", "邢台市追溯测试局", "130500", null);
        var command = General("XT-ASOF-01", owner, cap: 5m, ratio: 3m);
        var defined = await Define(command);

        var before = await (await admin.GetAsync($"/api/matters?departmentId={owner}")).Read<PagedResult<MatterView>>();
        // The moment of the definition as the event store recorded it: no client clock, no waiting.
        DateTimeOffset momentBefore;
        await using (var session = app.Store.QuerySession())
            momentBefore = (await session.Events.FetchStreamAsync(defined.Id))[^1].Timestamp;

        await (await Keeper(owner).PostJson($"/api/matters/{defined.Id}/revise", Revision(command, "修订后的名称", 1, cap: 10m, ratio: 10m))).ShouldHaveStatus(200);
        await Define(Key("XT-ASOF-02", owner));

        var now = await (await admin.GetAsync($"/api/matters?departmentId={owner}")).Read<PagedResult<MatterView>>();
        Assert.Equal(["XT-ASOF-01", "XT-ASOF-02"], now.Items.Select(m => m.Code));
        Assert.Equal("修订后的名称", now.Items[0].Definition.Name);

        var asOf = await (await (await admin.GetAsync($"/api/matters/as-of?sequence={before.AsOfSequence}&departmentId={owner}")).ShouldHaveStatus(200))
            .Read<PagedResult<MatterView>>();
        var old = Assert.Single(asOf.Items);
        Assert.Equal("食品经营者检查", old.Definition.Name);
        Assert.Equal(5m, old.Definition.RatioCapPercent);
        Assert.Equal(1, old.Version);
        Assert.Equal(before.AsOfSequence, asOf.AsOfSequence);

        var byTime = await (await (await admin.GetAsync($"/api/matters/as-of?at={Uri.EscapeDataString(momentBefore.ToString("O"))}&departmentId={owner}")).ShouldHaveStatus(200))
            .Read<PagedResult<MatterView>>();
        Assert.Equal("食品经营者检查", Assert.Single(byTime.Items).Definition.Name);

        // Without a point, as of now: the same answer as the live list, by the same filter.
        var asOfNow = await (await admin.GetAsync($"/api/matters/as-of?departmentId={owner}")).Read<PagedResult<MatterView>>();
        Assert.Equal(now.Items.Select(m => (m.Code, m.Definition.Name, m.Version)), asOfNow.Items.Select(m => (m.Code, m.Definition.Name, m.Version)));

        var ambiguous = await (await admin.GetAsync($"/api/matters/as-of?sequence=1&at={Uri.EscapeDataString(momentBefore.ToString("O"))}")).ShouldHaveStatus(400);
        Assert.Equal("as-of.ambiguous", FirstRule(await ambiguous.ReadNode()));
    }

    [Fact]
    public async Task An_unknown_matter_is_404()
    {
        await (await admin.GetAsync($"/api/matters/{Guid.NewGuid()}")).ShouldHaveStatus(404);
        var (city, _, _) = await EnsureOrganization();
        // (With a non-zero version the event store reports the version mismatch first: 409, as for every aggregate.)
        await (await Keeper(city).PostJson($"/api/matters/{Guid.NewGuid()}/withdraw", new WithdrawMatter("x", 0))).ShouldHaveStatus(404);
    }
}
