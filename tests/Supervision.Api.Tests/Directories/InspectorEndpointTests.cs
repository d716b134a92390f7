using System.Net.Http.Headers;
using Supervision.Api.Directories.Inspectors;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Directories;

public sealed class InspectorEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private const string Header = "staff_code,name,post,region_code,certificate_number,certificate_issued_on,certificate_expires_on,expert,tags";

    private readonly HttpClient admin = app.ClientFor("admin-i", Roles.SystemAdmin);
    private HttpClient keeper = null!;
    private HttpClient otherKeeper = null!;
    private Guid market;
    private Guid handan;

    public async Task InitializeAsync()
    {
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县"), ("130400", "邯郸市") })
        {
            var r = await admin.PostJson("/api/regions", new RegisterRegion(code, name));
            Assert.True((int)r.StatusCode is 201 or 409, await r.Content.ReadAsStringAsync());
        }
        market = await Department("XT-SCJG", "邢台市市场监督管理局", "130500");
        handan = await Department("HD-SCJG", "邯郸市市场监督管理局", "130400");
        keeper = app.ClientFor("keeper-xt", Roles.DirectoryKeeper, market);
        otherKeeper = app.ClientFor("keeper-hd", Roles.DirectoryKeeper, handan);
        await Tag("FOOD-SAFETY", TagScope.Inspector);
        await Tag("LAW", TagScope.Both);
        await Tag("SPECIAL-EQUIPMENT", TagScope.Inspector);
        await Tag("SMALL-BIZ", TagScope.Target);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> Department(string code, string name, string region)
    {
        var r = await admin.PostJson("/api/departments", new RegisterDepartment(code, name, DepartmentKind.MarketRegulation, region, null));
        if ((int)r.StatusCode == 409) return Supervision.Domain.Organization.Department.IdFor(code);
        return (await r.ExpectNode(201))["value"]!["id"]!.GetValue<Guid>();
    }

    /// <summary>Defines a tag straight in the event store, so these tests do not depend on the tag endpoints.</summary>
    private async Task Tag(string code, TagScope scope)
    {
        await using var session = app.Store.LightweightSession();
        var id = TagDefinition.IdFor(code);
        if (await session.Events.FetchStreamStateAsync(id) is not null) return;
        session.Events.StartStream<TagDefinition>(id,
            new TagDefined(id, code, code, scope, market, null, new Actor("seed", "seed", Roles.DirectoryKeeper, market)));
        await session.SaveChangesAsync();
    }

    private RegisterInspector Command(string code, string region = "130521", DateOnly? expires = null, bool expert = false, params string[] tags) =>
        new(code, "检查员" + code, market, "科员", region,
            [new CertificateInput("JA-" + code, new DateOnly(2024, 1, 1), expires ?? new DateOnly(2028, 12, 31))], tags, expert, new DateOnly(2025, 1, 1));

    private async Task<InspectorView> Register(RegisterInspector command) =>
        (await (await keeper.PostJson("/api/inspectors", command)).ExpectNode(201))["value"].Deserialize<InspectorView>(HttpExtensions.Json)!;

    private static string FirstRule(JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    private async Task<PagedResult<InspectorView>> List(string query) =>
        await (await keeper.GetAsync("/api/inspectors?" + query)).ExpectJson<PagedResult<InspectorView>>();

    private async Task<long> EventCount()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().CountAsync();
    }

    private Task<HttpResponseMessage> Import(byte[] bytes, Guid? department = null, HttpClient? client = null)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return (client ?? keeper).PostAsync($"/api/inspectors/import?departmentId={department ?? market}", content);
    }

    // ---- register and read ----

    [Fact]
    public async Task A_keeper_registers_an_inspector_and_reads_it_back()
    {
        var created = await (await keeper.PostJson("/api/inspectors", Command("xt-reg-1", tags: ["food-safety", "law"]))).ShouldHaveStatus(201);
        Assert.NotNull(created.Headers.Location);

        var inspector = await (await app.ClientFor("planner-1", Roles.Planner).GetAsync(created.Headers.Location)).ExpectJson<InspectorView>();
        Assert.Equal("XT-REG-1", inspector.StaffCode);
        Assert.Equal(Inspector.IdFor("XT-REG-1"), inspector.Id);
        Assert.Equal(market, inspector.DepartmentId);
        Assert.Equal(["FOOD-SAFETY", "LAW"], inspector.Tags);
        Assert.Equal(InspectorStatus.Active, inspector.Status);
        Assert.Equal("JA-XT-REG-1", Assert.Single(inspector.Certificates).Number);
        Assert.Equal(2, inspector.Version);
    }

    [Fact]
    public async Task Registering_a_taken_staff_code_is_a_409_and_writes_nothing()
    {
        await Register(Command("XT-DUP"));
        var second = await (await keeper.PostJson("/api/inspectors", Command("xt-dup") with { Name = "另一人" })).ExpectNode(409);
        Assert.Equal("inspector.code.taken", FirstRule(second));

        await using var session = app.Store.QuerySession();
        Assert.Equal(2, (await session.Events.FetchStreamAsync(Inspector.IdFor("XT-DUP"))).Count);
    }

    [Fact]
    public async Task A_bad_body_is_a_400_naming_each_field_and_rule()
    {
        var response = await (await keeper.PostJson("/api/inspectors", new
        {
            staffCode = "x",
            name = "",
            departmentId = market,
            regionCode = "13",
            certificates = new[] { new { number = "C-1", issuedOn = "2025-06-01", expiresOn = "2025-01-01" } },
        })).ExpectNode(400);
        var fields = response["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal);
        Assert.Equal(["certificates[0].expiresOn", "name", "regionCode", "staffCode"], fields);
        var rules = response["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("certificate.dates", rules);
        Assert.Contains("region.code.format", rules);
        Assert.Contains("inspector.code.format", rules);
    }

    [Fact]
    public async Task An_unknown_department_or_tag_is_refused_by_name()
    {
        var noDepartment = Command("XT-NODEPT") with { DepartmentId = Guid.NewGuid() };
        var keeperOfNowhere = app.ClientFor("keeper-x", Roles.DirectoryKeeper, noDepartment.DepartmentId);
        var response = await (await keeperOfNowhere.PostJson("/api/inspectors", noDepartment)).ExpectNode(400);
        Assert.Equal("department.unknown", FirstRule(response));

        var badTags = await (await keeper.PostJson("/api/inspectors", Command("XT-BADTAG", tags: ["NO-SUCH", "SMALL-BIZ"]))).ExpectNode(400);
        Assert.Equal(["tag.scope", "tag.unknown"], badTags["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task Only_a_keeper_of_the_department_may_write_and_anyone_signed_in_may_read()
    {
        var body = Command("XT-AUTH");
        await (await app.Anonymous().PostJson("/api/inspectors", body)).ShouldHaveStatus(401);
        await (await app.ClientFor("planner-1", Roles.Planner, market).PostJson("/api/inspectors", body)).ShouldHaveStatus(403);
        var foreign = await (await otherKeeper.PostJson("/api/inspectors", body)).ExpectNode(403);
        Assert.Equal("inspector.department.not-yours", FirstRule(foreign));

        var inspector = await Register(body);
        var change = await (await otherKeeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails("别人改名", null, null, null, null, "越权", inspector.Version))).ExpectNode(403);
        Assert.Equal("inspector.department.not-yours", FirstRule(change));

        await (await app.Anonymous().GetAsync($"/api/inspectors/{inspector.Id}")).ShouldHaveStatus(401);
        await (await app.ClientFor("auditor-1", Roles.Auditor).GetAsync($"/api/inspectors/{inspector.Id}")).ShouldHaveStatus(200);
        await (await keeper.GetAsync($"/api/inspectors/{Guid.NewGuid()}")).ShouldHaveStatus(404);
        // An unknown inspector: 404 at version 0; at any other version the event store already answers 409 (version mismatch).
        await (await keeper.PostJson($"/api/inspectors/{Guid.NewGuid()}/status",
            new ChangeInspectorStatus(InspectorStatus.Suspended, new DateOnly(2026, 1, 1), "x", 0))).ShouldHaveStatus(404);
    }

    // ---- changes ----

    [Fact]
    public async Task Details_change_with_a_reason_and_a_stale_version_is_a_409_not_a_lost_update()
    {
        var inspector = await Register(Command("XT-CHG"));
        var changed = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails(null, "副科长", "130500", true, ["SPECIAL-EQUIPMENT"], "职务调整", inspector.Version))).ExpectJson<InspectorView>();
        Assert.Equal(("副科长", "130500", true, 3L), (changed.Post, changed.RegionCode, changed.Expert, changed.Version));
        Assert.Equal(["SPECIAL-EQUIPMENT"], changed.Tags);

        var stale = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails("新名字", null, null, null, null, "based on version 2", inspector.Version))).ShouldHaveStatus(409);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);

        var outside = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails(null, null, "130400", null, null, "调到邯郸?", changed.Version))).ExpectNode(400);
        Assert.Equal("inspector.region.outside-department", FirstRule(outside));

        var read = await (await keeper.GetAsync($"/api/inspectors/{inspector.Id}")).ExpectJson<InspectorView>();
        Assert.Equal(("检查员XT-CHG", "副科长", 3L), (read.Name, read.Post, read.Version));
    }

    [Fact]
    public async Task A_suspension_and_leaving_take_effect_on_their_days()
    {
        var inspector = await Register(Command("XT-STATUS"));
        var suspended = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/status",
            new ChangeInspectorStatus(InspectorStatus.Suspended, new DateOnly(2026, 4, 1), "立案调查期间暂停执法", inspector.Version))).ExpectJson<InspectorView>();
        Assert.Equal(InspectorStatus.Suspended, suspended.Status);
        Assert.Equal(2, suspended.StatusHistory.Count);

        var before = await List($"departmentId={market}&eligibleOn=2026-03-31");
        Assert.Contains(before.Items, i => i.Id == inspector.Id);
        var during = await List($"departmentId={market}&eligibleOn=2026-04-01");
        Assert.DoesNotContain(during.Items, i => i.Id == inspector.Id);
        Assert.Contains((await List("status=Suspended")).Items, i => i.Id == inspector.Id);

        var backdated = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/status",
            new ChangeInspectorStatus(InspectorStatus.Left, new DateOnly(2026, 3, 1), "倒签", suspended.Version))).ExpectNode(409);
        Assert.Equal("status.effective-date.order", FirstRule(backdated));

        var left = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/status",
            new ChangeInspectorStatus(InspectorStatus.Left, new DateOnly(2026, 5, 1), "调离", suspended.Version))).ExpectJson<InspectorView>();
        Assert.Equal(InspectorStatus.Left, left.Status);
        var afterLeaving = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/certificates",
            new AddCertificate("JA-NEW", new DateOnly(2026, 5, 1), new DateOnly(2030, 1, 1), left.Version))).ExpectNode(409);
        Assert.Equal("inspector.left", FirstRule(afterLeaving));
    }

    [Fact]
    public async Task An_expired_certificate_makes_the_inspector_ineligible_on_that_day_until_a_new_one_is_added()
    {
        // Dates relative to today: the endpoints refuse a certificate that has already expired.
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var lastDay = today.AddDays(30);
        var inspector = await Register(Command("XT-EXP", expires: lastDay));

        Assert.Contains((await List($"departmentId={market}&eligibleOn={lastDay:yyyy-MM-dd}")).Items, i => i.Id == inspector.Id);
        Assert.DoesNotContain((await List($"departmentId={market}&eligibleOn={lastDay.AddDays(1):yyyy-MM-dd}")).Items, i => i.Id == inspector.Id);

        var expired = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/certificates",
            new AddCertificate("JA-XT-EXP-OLD", new DateOnly(2018, 1, 1), today.AddDays(-1), inspector.Version))).ExpectNode(400);
        Assert.Equal("certificate.expired", FirstRule(expired));

        var renewed = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/certificates",
            new AddCertificate("JA-XT-EXP-2", lastDay.AddDays(1), lastDay.AddYears(5), inspector.Version))).ExpectJson<InspectorView>();
        Assert.Equal(2, renewed.Certificates.Count);
        Assert.Contains((await List($"departmentId={market}&eligibleOn={lastDay.AddDays(1):yyyy-MM-dd}")).Items, i => i.Id == inspector.Id);

        var revoked = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/certificates/jA-xT-eXP-2/revoke",
            new RevokeCertificate("证件遗失", renewed.Version))).ExpectJson<InspectorView>();
        Assert.True(revoked.Certificates.Single(c => c.Number == "JA-XT-EXP-2").Revoked);
        Assert.DoesNotContain((await List($"departmentId={market}&eligibleOn={lastDay.AddDays(1):yyyy-MM-dd}")).Items, i => i.Id == inspector.Id);

        var unknown = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/certificates/NOPE/revoke",
            new RevokeCertificate("x", revoked.Version))).ExpectNode(404);
        Assert.Equal("certificate.unknown", FirstRule(unknown));
    }

    [Fact]
    public async Task A_conflict_of_interest_is_declared_and_withdrawn_with_reasons()
    {
        var inspector = await Register(Command("XT-COI"));
        var declared = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/conflicts",
            new DeclareConflictOfInterest(ConflictRelation.Kinship, TestData.CreditCode(77), null, "配偶任该公司法定代表人", inspector.Version))).ExpectJson<InspectorView>();
        var conflict = Assert.Single(declared.Conflicts);
        Assert.Equal((ConflictRelation.Kinship, TestData.CreditCode(77), false), (conflict.Relation, conflict.TargetCreditCode, conflict.Withdrawn));

        var wrongCode = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/conflicts",
            new DeclareConflictOfInterest(ConflictRelation.Investment, TestData.WrongCreditCode(78), null, "持股", declared.Version))).ExpectNode(400);
        Assert.Equal("credit-code.check", FirstRule(wrongCode));

        var withdrawn = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/conflicts/{conflict.Id}/withdraw",
            new WithdrawConflictOfInterest("已离婚", declared.Version))).ExpectJson<InspectorView>();
        var after = Assert.Single(withdrawn.Conflicts);
        Assert.True(after.Withdrawn);
        Assert.Equal(("配偶任该公司法定代表人", "已离婚"), (after.Reason, after.WithdrawalReason));

        var unknown = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/conflicts/{Guid.NewGuid()}/withdraw",
            new WithdrawConflictOfInterest("x", withdrawn.Version))).ExpectNode(404);
        Assert.Equal("conflict.unknown", FirstRule(unknown));

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(inspector.Id);
        Assert.Equal([typeof(InspectorRegistered), typeof(CertificateAdded), typeof(ConflictOfInterestDeclared), typeof(ConflictOfInterestWithdrawn)],
            events.Select(e => e.Data.GetType()));
    }

    [Fact]
    public async Task A_transfer_hands_the_inspector_to_the_other_department_keeper()
    {
        var inspector = await Register(Command("XT-MOVE"));
        var moved = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/transfer",
            new TransferInspector(handan, "130400", "调往邯郸市局", inspector.Version))).ExpectJson<InspectorView>();
        Assert.Equal((handan, "130400"), (moved.DepartmentId, moved.RegionCode));

        await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails(null, "科长", null, null, null, "x", moved.Version))).ShouldHaveStatus(403);
        await (await otherKeeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails(null, "科长", null, null, null, "任命", moved.Version))).ShouldHaveStatus(200);
    }

    // ---- listing ----

    [Fact]
    public async Task The_listing_filters_by_department_region_prefix_tags_expert_and_pages()
    {
        await Register(Command("XT-L1", "130521", tags: ["FOOD-SAFETY", "LAW"]));
        await Register(Command("XT-L2", "130500", tags: ["FOOD-SAFETY"]));
        await Register(Command("XT-L3", "130521", expert: true, tags: ["FOOD-SAFETY", "LAW"]));
        var codes = (PagedResult<InspectorView> page) => page.Items.Select(i => i.StaffCode).Where(c => c.StartsWith("XT-L", StringComparison.Ordinal)).ToList();

        Assert.Equal(["XT-L1", "XT-L3"], codes(await List("regionCode=130521&pageSize=500")));
        Assert.Equal(["XT-L1", "XT-L2", "XT-L3"], codes(await List("regionCode=130500&pageSize=500")));
        Assert.Equal(["XT-L1", "XT-L3"], codes(await List("tag=food-safety&tag=LAW&pageSize=500")));
        Assert.Equal(["XT-L3"], codes(await List("expert=true&tag=LAW&pageSize=500")));
        Assert.Empty(codes(await List($"departmentId={handan}")));
        Assert.Empty(codes(await List("regionCode=130400")));

        var paged = await List($"departmentId={market}&regionCode=130500&tag=FOOD-SAFETY&page=2&pageSize=1");
        Assert.True(paged.Total >= 3);
        Assert.Equal((2, 1), (paged.Page, paged.PageSize));
        Assert.Single(paged.Items);
        Assert.True(paged.AsOfSequence > 0);

        var bad = await (await keeper.GetAsync("/api/inspectors?regionCode=1305")).ExpectNode(400);
        Assert.Equal("region.code.format", FirstRule(bad));
    }

    [Fact]
    public async Task The_directory_as_of_an_earlier_sequence_shows_the_state_before_later_changes()
    {
        var inspector = await Register(Command("XT-ASOF", tags: ["LAW"]));
        var before = await List("tag=LAW&pageSize=500");
        var sequence = before.AsOfSequence;
        Assert.Contains(before.Items, i => i.Id == inspector.Id && i.Name == "检查员XT-ASOF");

        var renamed = await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/details",
            new ChangeInspectorDetails("改名后", null, null, null, [], "户籍更名", inspector.Version))).ExpectJson<InspectorView>();
        await (await keeper.PostJson($"/api/inspectors/{inspector.Id}/status",
            new ChangeInspectorStatus(InspectorStatus.Suspended, new DateOnly(2026, 2, 1), "暂停", renamed.Version))).ShouldHaveStatus(200);
        Assert.DoesNotContain((await List("tag=LAW&pageSize=500")).Items, i => i.Id == inspector.Id);

        var then = await (await keeper.GetAsync($"/api/inspectors/as-of?sequence={sequence}&tag=LAW&pageSize=500"))
            .ExpectJson<PagedResult<InspectorView>>();
        Assert.Equal(sequence, then.AsOfSequence);
        var old = Assert.Single(then.Items, i => i.Id == inspector.Id);
        Assert.Equal(("检查员XT-ASOF", InspectorStatus.Active), (old.Name, old.Status));
        Assert.Equal(before.Items.Select(i => i.Id).Order(), then.Items.Select(i => i.Id).Order());

        var now = await (await keeper.GetAsync("/api/inspectors/as-of?regionCode=130500&pageSize=500")).ExpectJson<PagedResult<InspectorView>>();
        Assert.Equal("改名后", now.Items.Single(i => i.Id == inspector.Id).Name);

        var atTime = await (await keeper.GetAsync($"/api/inspectors/as-of?at={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddYears(-5).ToString("O"))}"))
            .ExpectJson<PagedResult<InspectorView>>();
        Assert.Empty(atTime.Items);
        Assert.Equal(0, atTime.AsOfSequence);

        await (await keeper.GetAsync($"/api/inspectors/as-of?sequence=1&at={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"))}")).ShouldHaveStatus(400);
    }

    // ---- import ----

    [Fact]
    public async Task A_good_file_is_imported_and_the_same_file_again_writes_nothing()
    {
        var csv = $"{Header}\r\n" +
                  "XT-IMP-1,赵一,科员,130521,JA-IMP-1,2024-01-01,2028-12-31,否,FOOD-SAFETY;LAW\r\n" +
                  "XT-IMP-2,\"钱二, 高级工程师\",,130500,,,,是,\r\n";
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray();

        var first = await (await Import(bytes)).ExpectJson<InspectorImportResult>();
        Assert.Equal((2, 2, 0, 0, false, "utf-8-bom"), (first.Rows, first.Registered, first.Changed, first.Unchanged, first.AlreadyImported, first.Encoding));

        var imported = await (await keeper.GetAsync($"/api/inspectors/{Inspector.IdFor("XT-IMP-2")}")).ExpectJson<InspectorView>();
        Assert.Equal(("钱二, 高级工程师", true, market), (imported.Name, imported.Expert, imported.DepartmentId));

        var events = await EventCount();
        var again = await (await Import(bytes)).ExpectJson<InspectorImportResult>();
        Assert.True(again.AlreadyImported);
        Assert.Equal((first.ImportId, first.Registered), (again.ImportId, again.Registered));
        Assert.Equal(events, await EventCount());

        // A new file with the same two rows, one of them changed: only the changed one is written.
        var edited = Encoding.UTF8.GetBytes(csv.Replace("XT-IMP-1,赵一,科员", "XT-IMP-1,赵一,副科长"));
        var update = await (await Import(edited)).ExpectJson<InspectorImportResult>();
        Assert.Equal((1, 1, "utf-8"), (update.Changed, update.Unchanged, update.Encoding));
        await using var session = app.Store.QuerySession();
        var stream = await session.Events.FetchStreamAsync(Inspector.IdFor("XT-IMP-1"));
        var changed = Assert.IsType<InspectorDetailsChanged>(stream[^1].Data);
        Assert.Equal("副科长", changed.Post);
        Assert.StartsWith("import ", changed.Reason);
        Assert.Equal(events + 2, await EventCount());
    }

    [Fact]
    public async Task A_file_with_a_bad_row_is_refused_listing_each_bad_row_and_nothing_is_written()
    {
        var csv = $"{Header}\n" +
                  "XT-BAD-1,孙一,科员,130521,JA-BAD-1,2024-01-01,2028-12-31,0,\n" +
                  "XT-BAD-2,孙二,科员,130521,JA-BAD-2,2025-01-01,2024-01-01,0,\n" +
                  "XT-BAD-3,,科员,130521,,,,maybe,NO-SUCH-TAG\n";
        var events = await EventCount();

        var problem = await (await Import(Encoding.UTF8.GetBytes(csv))).ExpectNode(400);
        var rows = problem["rows"]!.AsArray().Select(r => (r!["row"]!.GetValue<int>(), r["column"]!.GetValue<string>(), r["rule"]!.GetValue<string>())).ToList();
        Assert.Contains((3, "certificate_expires_on", "certificate.dates"), rows);
        Assert.Contains((4, "expert", "expert.format"), rows);
        Assert.DoesNotContain(rows, r => r.Item1 == 2);

        Assert.Equal(events, await EventCount());
        await (await keeper.GetAsync($"/api/inspectors/{Inspector.IdFor("XT-BAD-1")}")).ShouldHaveStatus(404);
    }

    [Fact]
    public async Task A_gb18030_file_is_accepted_and_unreadable_bytes_are_refused()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gb = Encoding.GetEncoding("GB18030").GetBytes($"{Header}\r\nXT-GB-1,郑八,执法大队队员,130521,冀执-0008,2024-01-01,2028-12-31,否,LAW\r\n");

        var result = await (await Import(gb)).ExpectJson<InspectorImportResult>();
        Assert.Equal(("gb18030", 1), (result.Encoding, result.Registered));
        var inspector = await (await keeper.GetAsync($"/api/inspectors/{Inspector.IdFor("XT-GB-1")}")).ExpectJson<InspectorView>();
        Assert.Equal(("郑八", "执法大队队员", "冀执-0008"), (inspector.Name, inspector.Post, inspector.Certificates[0].Number));

        var unreadable = await (await Import([0xFF, 0xFE, 0xFF, 0x80])).ExpectNode(400);
        Assert.Equal("csv.encoding", FirstRule(unreadable));
    }

    [Fact]
    public async Task A_retried_import_with_an_idempotency_key_is_answered_from_the_first()
    {
        var bytes = Encoding.UTF8.GetBytes($"{Header}\nXT-IDEM-1,陈十,,130521,,,,0,\n");
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/inspectors/import?departmentId={market}") { Content = new ByteArrayContent(bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            request.Headers.Add("Idempotency-Key", "inspector-import-retry");
            return await keeper.SendAsync(request);
        }

        var first = await (await Send()).ShouldHaveStatus(200);
        var events = await EventCount();
        var retry = await (await Send()).ShouldHaveStatus(200);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.False((await retry.ExpectJson<InspectorImportResult>()).AlreadyImported);
        Assert.Equal(events, await EventCount());
    }

    [Fact]
    public async Task Importing_for_another_department_is_forbidden()
    {
        var csv = Encoding.UTF8.GetBytes($"{Header}\nXT-FOREIGN,某人,,130400,,,,0,\n");
        var forbidden = await (await Import(csv, handan)).ExpectNode(403);
        Assert.Equal("inspector.department.not-yours", FirstRule(forbidden));
        await (await Import(csv, handan, app.ClientFor("planner-2", Roles.Planner, handan))).ShouldHaveStatus(403);

        var result = await (await Import(csv, handan, otherKeeper)).ExpectJson<InspectorImportResult>();
        Assert.Equal(1, result.Registered);
    }
}

/// <summary>Status check (failing with the body) and read, in one call.</summary>
file static class InspectorHttp
{
    public static async Task<T> ExpectJson<T>(this HttpResponseMessage response, int status = 200) =>
        await (await response.ShouldHaveStatus(status)).Read<T>();

    public static async Task<JsonNode> ExpectNode(this HttpResponseMessage response, int status) =>
        await (await response.ShouldHaveStatus(status)).ReadNode();
}
