using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Directories;

public sealed class TargetEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private readonly HttpClient admin = app.ClientFor("admin-t", Roles.SystemAdmin);
    private HttpClient keeper = null!;
    private Guid market;
    private Guid commerce;

    public async Task InitializeAsync()
    {
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县"), ("130400", "邯郸市") })
        {
            var r = await admin.PostJson("/api/regions", new RegisterRegion(code, name));
            Assert.True((int)r.StatusCode is 201 or 409);
        }
        market = await Department("XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation);
        commerce = await Department("XT-SW", "邢台市商务局", DepartmentKind.Commerce);
        keeper = app.ClientFor("keeper-1", Roles.DirectoryKeeper, market);
        await Tag("FOOD", TagScope.Target);
        await Tag("HIGH-RISK", TagScope.Both);
        await Tag("CERT-FOOD", TagScope.Inspector);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> Department(string code, string name, DepartmentKind kind, string region = "130500")
    {
        var r = await admin.PostJson("/api/departments", new RegisterDepartment(code, name, kind, region, null));
        if ((int)r.StatusCode == 409) return Supervision.Domain.Organization.Department.IdFor(code);
        return (await (await r.ShouldHaveStatus(201)).ReadNode())["value"]!["id"]!.GetValue<Guid>();
    }

    private async Task Tag(string code, TagScope scope)
    {
        var r = await app.ClientFor("keeper-tags", Roles.DirectoryKeeper, market).PostJson("/api/tags", new DefineTag(code, code, scope, market, null));
        Assert.True((int)r.StatusCode is 201 or 409, await r.Content.ReadAsStringAsync());
    }

    private RegisterTarget Enterprise(int n, string region = "130521", string industry = "C1311", string? creditClass = "B", params string[] tags) =>
        new(TestData.CreditCode(n), null, $"邢台测试企业{n}有限公司", TargetKind.Enterprise, industry, region, "邢台市某路" + n, new DateOnly(2020, 1, 1).AddDays(n),
            TargetScale.Small, null, [market], tags, creditClass, creditClass is null ? null : new DateOnly(2026, 10, 1));

    private async Task<Target> Register(RegisterTarget command) =>
        (await (await keeper.PostJson("/api/targets", command)).ReadNodeAs(201))["value"].Deserialize<Target>(HttpExtensions.Json)!;

    [Fact]
    public async Task A_keeper_registers_an_enterprise_changes_it_and_reads_it_back()
    {
        var target = await Register(Enterprise(1, tags: "food"));
        Assert.Equal(TestData.CreditCode(1), target.Identifier);
        Assert.Equal(["FOOD"], target.Tags);

        var changed = await (await keeper.PostJson($"/api/targets/{target.Id}/details", new ChangeTargetDetails(
            "邢台测试企业1股份有限公司", "C1312", "130521", "新地址", target.RegisteredOn, TargetScale.Medium, [market], ["FOOD", "HIGH-RISK"],
            "工商变更登记", target.Version))).ShouldHaveStatus(200);
        Assert.Equal(2, (await changed.Read<Target>()).Version);
        // The commerce bureau names itself as a second supervising department (docs/access.md: a keeper adds only its own).
        await (await app.ClientFor("keeper-sw", Roles.DirectoryKeeper, commerce).PostJson($"/api/targets/{target.Id}/details", new ChangeTargetDetails(
            "邢台测试企业1股份有限公司", "C1312", "130521", "新地址", target.RegisteredOn, TargetScale.Medium, [market, commerce], ["FOOD", "HIGH-RISK"],
            "商务局共同监管", 2))).ShouldHaveStatus(200);

        await (await keeper.PostJson($"/api/targets/{target.Id}/credit-class", new SetTargetCreditClass("D", new DateOnly(2026, 11, 1), "2026-11 月度分类", 3))).ShouldHaveStatus(200);
        await (await keeper.PostJson($"/api/targets/{target.Id}/status", new ChangeTargetStatus(OperatingStatus.Deregistered, new DateOnly(2026, 11, 20), "注销登记", 4))).ShouldHaveStatus(200);

        var read = await (await keeper.GetAsync($"/api/targets/{target.Id}")).Read<Target>();
        Assert.Equal(("邢台测试企业1股份有限公司", "D", OperatingStatus.Deregistered, 5L), (read.Name, read.CreditClass, read.Status, read.Version));
        Assert.Equal(new[] { commerce, market }.Order(), read.SupervisingDepartmentIds.Order());
    }

    [Fact]
    public async Task A_wrong_check_character_is_refused_naming_the_rule_and_nothing_is_written()
    {
        var response = await (await keeper.PostJson("/api/targets", Enterprise(2) with { CreditCode = TestData.WrongCreditCode(2) })).ShouldHaveStatus(400);
        var problem = await response.ReadNode();
        Assert.Equal("credit-code.checkcharacter", problem["violations"]![0]!["rule"]!.GetValue<string>());
        Assert.Contains($"should be '{TestData.CreditCode(2)[17]}'", problem["detail"]!.GetValue<string>());

        await using var session = app.Store.QuerySession();
        Assert.Null(await session.Events.FetchStreamStateAsync(Target.IdFor(TestData.WrongCreditCode(2))));
    }

    /// <summary>Issue 16: a padded credit code was stored padded, so the same enterprise could be registered a second time.</summary>
    [Fact]
    public async Task A_padded_credit_code_is_stored_normalised_and_no_padding_registers_the_enterprise_twice()
    {
        const string code = "914403001922038216";
        var target = await Register(Enterprise(6) with { CreditCode = " " + code });
        Assert.Equal((code, code), (target.Identifier, target.CreditCode));
        await using (var session = app.Store.QuerySession())
            Assert.Equal(code, (await session.LoadAsync<Target>(Target.IdFor(code)))!.CreditCode);

        // The attack: every padding a form, a spreadsheet or a web page can carry, and lower case. Each is the same enterprise.
        foreach (var padded in new[] { code + " ", "\t" + code, code + "\n", "\u3000" + code + "\u3000", "\u00A0" + code, "\u200B" + code + "\uFEFF", "\r\n" + code.ToLowerInvariant() })
        {
            var again = await (await keeper.PostJson("/api/targets", Enterprise(6) with { CreditCode = padded })).ShouldHaveStatus(409);
            Assert.Equal("target.identifier.taken", (await again.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());
        }

        // The CSV import and the form share the normaliser: a padded row is the existing target, not a new one.
        var file = "credit_code,name,kind,industry_code,region_code,supervising_departments\n" +
                   $"\"\u3000{code}\u200B \",\"{target.Name}\",Enterprise,C1311,130521,XT-SCJG\n";
        var result = await (await keeper.PostAsync("/api/targets/import", Csv(file))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal(0, result.Registered);

        await using var check = app.Store.QuerySession();
        Assert.Equal(1, await check.Query<Target>().CountAsync(t => t.CreditCode!.Contains("1922038216")));
    }

    /// <summary>Issue 16: the hint named 'K' for a lower-case slip and '5' for a leading space; GB 32100-2015 gives 'G' for both.</summary>
    [Theory]
    [InlineData("9144030071526726xA")]
    [InlineData(" 9144030071526726XA")]
    public async Task The_hint_for_a_wrong_check_character_is_computed_from_the_normalised_code(string typed)
    {
        var response = await (await keeper.PostJson("/api/targets", Enterprise(7) with { CreditCode = typed })).ShouldHaveStatus(400);
        var problem = await response.ReadNode();
        Assert.Equal("credit-code.checkcharacter", problem["violations"]![0]!["rule"]!.GetValue<string>());
        Assert.Contains("should be 'G'", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_duplicate_credit_code_an_unknown_department_an_unknown_tag_and_an_off_scheme_class_are_refused()
    {
        await Register(Enterprise(3));
        var duplicate = await (await keeper.PostJson("/api/targets", Enterprise(3))).ShouldHaveStatus(409);
        Assert.Equal("target.identifier.taken", (await duplicate.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());

        var unknown = await (await keeper.PostJson("/api/targets", Enterprise(4) with { SupervisingDepartmentIds = [Guid.NewGuid()], Tags = ["NO-SUCH", "CERT-FOOD"], CreditClass = "E" }))
            .ShouldHaveStatus(400);
        var rules = (await unknown.ReadNode())["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();
        Assert.Equal(["credit-class.unknown", "department.unknown", "tag.scope", "tag.unknown"], rules.Order());
    }

    [Fact]
    public async Task A_five_class_province_accepts_E_once_its_scheme_says_so()
    {
        await (await keeper.PostJson("/api/targets", Enterprise(5, creditClass: "E"))).ShouldHaveStatus(400);
        await (await admin.PostJson("/api/credit-schemes", new DefineCreditScheme("130000", ["A", "B", "C", "D", "E"], "省局五级分类方案"))).ShouldHaveStatus(200);
        await Register(Enterprise(5, creditClass: "E"));
        var schemes = await (await keeper.GetAsync("/api/credit-schemes")).ReadAs<List<CreditSchemeState>>();
        Assert.Equal(["A", "B", "C", "D", "E"], Assert.Single(schemes, s => s.ProvinceCode == "130000").Classes);
        await (await admin.PostJson("/api/credit-schemes", new DefineCreditScheme("130000", ["A", "B", "C", "D"], "恢复四级"))).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task Non_entity_targets_need_a_code_not_a_credit_code()
    {
        var product = new RegisterTarget(null, "PROD-2026-001", "散装食品抽检批次", TargetKind.Product, null, "130521", null, null, null, null, [market], [], null, null);
        var created = await Register(product);
        Assert.Equal("Product/PROD-2026-001", created.Identifier);
        Assert.Null(created.CreditCode);
        await (await keeper.PostJson("/api/targets", product with { Code = null })).ShouldHaveStatus(400);
    }

    [Fact]
    public async Task Listing_filters_by_region_industry_class_tags_status_department_and_dates_and_agrees_with_as_of_now()
    {
        var a = await Register(Enterprise(10, region: "130521", industry: "C1311", creditClass: "A", "FOOD"));
        var b = await Register(Enterprise(11, region: "130521", industry: "F5211", creditClass: "C", "FOOD", "HIGH-RISK"));
        // 邯郸's targets are kept by a 邯郸 department (docs/access.md), which names itself as their supervisor.
        var handan = await Department("HD-SCJG", "邯郸市市场监督管理局", DepartmentKind.MarketRegulation, "130400");
        var c = (await (await app.ClientFor("keeper-hd", Roles.DirectoryKeeper, handan).PostJson("/api/targets",
            Enterprise(12, region: "130400", industry: "C1311", creditClass: "C") with { SupervisingDepartmentIds = [handan] })).ReadNodeAs(201))["value"].Deserialize<Target>(HttpExtensions.Json)!;

        async Task<List<string>> Ids(string query)
        {
            var live = await (await keeper.GetAsync("/api/targets?pageSize=500&" + query)).ReadAs<PagedResult<Target>>(200);
            var asOf = await (await keeper.GetAsync($"/api/targets/as-of?pageSize=500&sequence={live.AsOfSequence}&" + query)).ReadAs<PagedResult<Target>>(200);
            var ids = live.Items.Select(t => t.Identifier).Where(i => i == a.Identifier || i == b.Identifier || i == c.Identifier).ToList();
            Assert.Equal(ids, asOf.Items.Select(t => t.Identifier).Where(i => i == a.Identifier || i == b.Identifier || i == c.Identifier).ToList());
            return ids;
        }

        Assert.Equal([a.Identifier, b.Identifier], await Ids("regionCode=130500"));
        Assert.Equal([c.Identifier], await Ids("regionCode=130400"));
        Assert.Equal([a.Identifier, c.Identifier], await Ids("industryCode=C13"));
        Assert.Equal([b.Identifier, c.Identifier], await Ids("creditClass=c"));
        Assert.Equal([b.Identifier], await Ids("tag=FOOD&tag=high-risk"));
        Assert.Equal([a.Identifier, b.Identifier], await Ids($"supervisingDepartmentId={market}&status=Operating"));
        Assert.Equal([c.Identifier], await Ids($"supervisingDepartmentId={handan}"));
        Assert.Equal([b.Identifier, c.Identifier], await Ids($"registeredFrom={a.RegisteredOn!.Value.AddDays(1):yyyy-MM-dd}"));
        Assert.Empty(await Ids($"supervisingDepartmentId={commerce}"));

        var paged = await (await keeper.GetAsync("/api/targets?regionCode=130500&pageSize=1&page=2&industryCode=F")).Read<PagedResult<Target>>();
        Assert.Equal((1, 2, 1), (paged.Total, paged.Page, paged.PageSize));
        Assert.Empty(paged.Items);
    }

    [Fact]
    public async Task As_of_a_past_sequence_returns_the_directory_before_later_changes()
    {
        var target = await Register(Enterprise(20, creditClass: "B"));
        var before = await (await keeper.GetAsync("/api/targets?pageSize=1")).Read<PagedResult<Target>>();

        await (await keeper.PostJson($"/api/targets/{target.Id}/credit-class", new SetTargetCreditClass("D", new DateOnly(2026, 11, 1), "2026-11 月度分类", 1))).ShouldHaveStatus(200);
        await (await keeper.PostJson($"/api/targets/{target.Id}/status", new ChangeTargetStatus(OperatingStatus.Revoked, new DateOnly(2026, 11, 2), "吊销营业执照", 2))).ShouldHaveStatus(200);
        await Register(Enterprise(21));

        var then = await (await keeper.GetAsync($"/api/targets/as-of?sequence={before.AsOfSequence}&creditClass=B&pageSize=500")).Read<PagedResult<Target>>();
        var old = Assert.Single(then.Items, t => t.Id == target.Id);
        Assert.Equal((OperatingStatus.Operating, "B"), (old.Status, old.CreditClass));
        Assert.DoesNotContain(then.Items, t => t.Identifier == TestData.CreditCode(21));

        var now = await (await keeper.GetAsync($"/api/targets/as-of?creditClass=D&pageSize=500")).Read<PagedResult<Target>>();
        Assert.Equal(OperatingStatus.Revoked, Assert.Single(now.Items, t => t.Id == target.Id).Status);
    }

    private static HttpContent Csv(string text, Encoding? encoding = null) =>
        new ByteArrayContent((encoding ?? new UTF8Encoding(true)).GetPreamble().Concat((encoding ?? Encoding.UTF8).GetBytes(text)).ToArray())
        {
            Headers = { ContentType = new("text/csv") },
        };

    private string ImportFile(int from, int count, string extraColumn = "") =>
        "credit_code,name,kind,industry_code,region_code,registered_on,status,credit_class,credit_class_set_on,supervising_departments,tags\n" +
        string.Join("\n", Enumerable.Range(from, count).Select(n =>
            $"{TestData.CreditCode(n)},\"邢台导入企业{n},有限公司\",Enterprise,C1311,130521,2021-03-0{n % 9 + 1},Operating,{"ABCD"[n % 4]},2026-10-01,XT-SCJG;XT-SW,FOOD{extraColumn}"));

    [Fact]
    public async Task Importing_a_file_registers_every_row_and_importing_it_again_writes_nothing()
    {
        var file = ImportFile(1000, 25);
        var first = await (await keeper.PostAsync("/api/targets/import", Csv(file))).ShouldHaveStatus(200);
        var result = await first.Read<Supervision.Api.Directories.Targets.TargetImportResult>();
        Assert.Equal((25, 25, 0, false, "utf-8-bom"), (result.Rows, result.Registered, result.Changed, result.AlreadyImported, result.Encoding));

        await using var session = app.Store.QuerySession();
        var eventsBefore = await session.Events.QueryAllRawEvents().CountAsync();
        var again = await (await keeper.PostAsync("/api/targets/import", Csv(file))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.True(again.AlreadyImported);
        Assert.Equal(eventsBefore, await session.Events.QueryAllRawEvents().CountAsync());

        var imported = await session.LoadAsync<Target>(Target.IdFor(TestData.CreditCode(1001)));
        Assert.Equal("邢台导入企业1001,有限公司", imported!.Name);
        Assert.Equal(new[] { commerce, market }.Order(), imported.SupervisingDepartmentIds.Order());
    }

    [Fact]
    public async Task A_changed_file_updates_existing_targets_and_leaves_identical_rows_alone()
    {
        await (await keeper.PostAsync("/api/targets/import", Csv(ImportFile(2000, 3)))).ShouldHaveStatus(200);
        var changed = ImportFile(2000, 3).Replace("邢台导入企业2001", "邢台导入企业2001（更名）");
        var result = await (await keeper.PostAsync("/api/targets/import", Csv(changed))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal((0, 1, 2), (result.Registered, result.Changed, result.Unchanged));
    }

    [Fact]
    public async Task A_malformed_row_refuses_the_whole_file_listing_line_column_and_rule()
    {
        var lines = ImportFile(3000, 5).Split('\n').ToList();
        lines[2] = lines[2].Replace(TestData.CreditCode(3001), TestData.WrongCreditCode(3001));
        lines[4] = lines[4].Replace("2021-03-0", "2021/03/0").Replace("XT-SCJG;", "NO-DEPT;");
        var response = await (await keeper.PostAsync("/api/targets/import", Csv(string.Join("\n", lines)))).ShouldHaveStatus(400);
        var rows = (await response.ReadNode())["rows"]!.AsArray()
            .Select(r => (r!["row"]!.GetValue<int>(), r["column"]!.GetValue<string>(), r["rule"]!.GetValue<string>())).ToList();
        Assert.Contains((3, "credit_code", "credit-code.checkcharacter"), rows);
        Assert.Contains((5, "registered_on", "date.format"), rows);

        await using var session = app.Store.QuerySession();
        Assert.Null(await session.LoadAsync<Target>(Target.IdFor(TestData.CreditCode(3000))));
    }

    [Fact]
    public async Task A_GB18030_file_is_recognised_and_a_binary_file_is_refused_by_name()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030");
        var content = new ByteArrayContent(gb.GetBytes(ImportFile(4000, 2))) { Headers = { ContentType = new("text/csv") } };
        var result = await (await keeper.PostAsync("/api/targets/import", content)).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal("gb18030", result.Encoding);
        await using var session = app.Store.QuerySession();
        Assert.Equal("邢台导入企业4000,有限公司", (await session.LoadAsync<Target>(Target.IdFor(TestData.CreditCode(4000))))!.Name);

        var binary = new ByteArrayContent([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xFF, 0x00]) { Headers = { ContentType = new("text/csv") } };
        var refused = await (await keeper.PostAsync("/api/targets/import", binary)).ShouldHaveStatus(400);
        Assert.Equal("csv.encoding", (await refused.ReadNode())["rows"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_need_the_directory_keeper_role()
    {
        await (await app.ClientFor("planner", Roles.Planner, market).PostJson("/api/targets", Enterprise(50))).ShouldHaveStatus(403);
        await (await app.ClientFor("planner", Roles.Planner, market).PostAsync("/api/targets/import", Csv(ImportFile(5000, 1)))).ShouldHaveStatus(403);
    }
}
