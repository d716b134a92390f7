using Supervision.Api.Organization.Departments;
using Supervision.Api.Organization.Regions;

namespace Supervision.Api.Tests.Organization;

public sealed class DepartmentEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private readonly HttpClient admin = app.ClientFor("admin-1", Roles.SystemAdmin);

    private async Task EnsureRegions()
    {
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县") })
        {
            var response = await admin.PostJson("/api/regions", new RegisterRegion(code, name));
            Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task A_system_admin_registers_a_department_and_reads_it_back()
    {
        await EnsureRegions();
        var created = await (await admin.PostJson("/api/departments",
                new RegisterDepartment("XT-SCJGJ", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null)))
            .ShouldHaveStatus(201);
        Assert.NotNull(created.Headers.Location);

        var read = await (await admin.GetAsync(created.Headers.Location)).ShouldHaveStatus(200);
        var department = await read.Read<DepartmentView>();
        Assert.Equal("XT-SCJGJ", department.Code);
        Assert.Equal("邢台市市场监督管理局", department.Name);
        Assert.Equal(DepartmentKind.MarketRegulation, department.Kind);
        Assert.Equal("130500", department.RegionCode);
        Assert.True(department.Active);
        Assert.Equal(1, department.Version);

        var listed = await (await admin.GetAsync("/api/departments?regionCode=130500")).Read<List<DepartmentView>>();
        Assert.Contains(listed, d => d.Id == department.Id);
    }

    [Fact]
    public async Task A_county_department_hangs_under_its_city_department_and_renames_with_a_reason()
    {
        await EnsureRegions();
        var city = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XT-SWJ", "邢台市商务局", DepartmentKind.Commerce, "130500", null))).ShouldHaveStatus(201);
        var cityId = (await city.ReadNode())["value"]!["id"]!.GetValue<Guid>();

        var county = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XTX-SWJ", "邢台县商务局", DepartmentKind.Commerce, "130521", cityId))).ShouldHaveStatus(201);
        var countyView = (await county.ReadNode())["value"].Deserialize<DepartmentView>(HttpExtensions.Json)!;
        Assert.Equal(cityId, countyView.ParentDepartmentId);

        var renamed = await (await admin.PostJson($"/api/departments/{countyView.Id}/rename",
            new RenameDepartment("信都区商务局", "2020 年邢台县撤县设区 (区划调整)", countyView.Version))).ShouldHaveStatus(200);
        var after = await renamed.Read<DepartmentView>();
        Assert.Equal("信都区商务局", after.Name);
        Assert.Equal(2, after.Version);

        var children = await (await admin.GetAsync($"/api/departments?parentDepartmentId={cityId}")).Read<List<DepartmentView>>();
        Assert.Equal("信都区商务局", Assert.Single(children).Name);
    }

    [Fact]
    public async Task A_stale_version_is_a_409_not_a_lost_update()
    {
        await EnsureRegions();
        var created = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XT-ZRZY", "邢台市自然资源和规划局", DepartmentKind.NaturalResourcesAndPlanning, "130500", null))).ShouldHaveStatus(201);
        var id = (await created.ReadNode())["value"]!["id"]!.GetValue<Guid>();

        await (await admin.PostJson($"/api/departments/{id}/rename", new RenameDepartment("新名称一", "first edit", 1))).ShouldHaveStatus(200);
        var stale = await (await admin.PostJson($"/api/departments/{id}/rename", new RenameDepartment("新名称二", "edit based on version 1", 1))).ShouldHaveStatus(409);
        Assert.Equal("application/problem+json", stale.Content.Headers.ContentType?.MediaType);

        var current = await (await admin.GetAsync($"/api/departments/{id}")).Read<DepartmentView>();
        Assert.Equal("新名称一", current.Name);
    }

    [Fact]
    public async Task Registering_the_same_code_twice_is_a_conflict_and_writes_nothing()
    {
        await EnsureRegions();
        await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XT-DUP", "甲", DepartmentKind.Other, "130500", null))).ShouldHaveStatus(201);
        var second = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("xt-dup", "乙", DepartmentKind.Other, "130500", null))).ShouldHaveStatus(409);
        var problem = await second.ReadNode();
        Assert.Equal("department.code.taken", problem["violations"]![0]!["rule"]!.GetValue<string>());

        await using var session = app.Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(Department.IdFor("XT-DUP"));
        Assert.Single(events);
    }

    [Fact]
    public async Task Without_a_token_a_write_is_401_and_with_the_wrong_role_403()
    {
        var body = new RegisterDepartment("XT-AUTH", "x", DepartmentKind.Other, "130500", null);
        await (await app.Anonymous().PostJson("/api/departments", body)).ShouldHaveStatus(401);
        await (await app.ClientFor("planner-1", Roles.Planner).PostJson("/api/departments", body)).ShouldHaveStatus(403);
        await (await app.Anonymous().GetAsync("/api/departments")).ShouldHaveStatus(401);
    }

    [Fact]
    public async Task A_bad_body_is_a_400_problem_naming_each_field_and_rule()
    {
        await EnsureRegions();
        var response = await (await admin.PostJson("/api/departments",
            new { code = "有 空格", name = "", regionCode = "13" })).ShouldHaveStatus(400);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadNode();
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["code", "kind", "name", "regionCode"], errors.Select(e => e.Key).Order());
        var rules = problem["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToHashSet();
        Assert.Contains("department.code.format", rules);
        Assert.Contains("region.code.format", rules);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/departments")
        {
            Content = new StringContent("{\"code\": \"X\", \"kind\": \"NoSuchKind\"", System.Text.Encoding.UTF8, "application/json"),
        };
        var response = await admin.SendAsync(request);
        await response.ShouldHaveStatus(400);
    }

    [Fact]
    public async Task An_unknown_parent_or_region_is_refused_by_name()
    {
        await EnsureRegions();
        var response = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XT-ORPHAN", "x", DepartmentKind.Other, "130500", Guid.NewGuid()))).ShouldHaveStatus(400);
        Assert.Equal("department.parent.unknown", (await response.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());

        var noRegion = await (await admin.PostJson("/api/departments",
            new RegisterDepartment("XT-NOWHERE", "x", DepartmentKind.Other, "990000", null))).ShouldHaveStatus(400);
        Assert.Equal("region.unknown", (await noRegion.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Regions_form_a_hierarchy_and_a_county_needs_its_city()
    {
        await EnsureRegions();
        var orphan = await (await admin.PostJson("/api/regions", new RegisterRegion("140105", "小店区"))).ShouldHaveStatus(400);
        Assert.Equal("region.parent.missing", (await orphan.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());

        var children = await (await app.Anonymous().GetAsync("/api/regions?parentCode=130500")).ShouldHaveStatus(200);
        var list = await children.Read<List<RegionView>>();
        var county = Assert.Single(list);
        Assert.Equal(RegionLevel.County, county.Level);
    }
}
