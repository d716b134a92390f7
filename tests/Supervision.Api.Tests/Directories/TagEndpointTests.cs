namespace Supervision.Api.Tests.Directories;

public sealed class TagEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private async Task<(HttpClient Keeper, Guid Department)> Setup()
    {
        var admin = app.ClientFor("admin-tags", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        var response = await admin.PostJson("/api/departments", new RegisterDepartment("XT-TAGS", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null));
        Assert.True((int)response.StatusCode is 201 or 409);
        var department = Department.IdFor("XT-TAGS");
        return (app.ClientFor("keeper-tags", Roles.DirectoryKeeper, department), department);
    }

    [Fact]
    public async Task A_keeper_defines_tags_once_lists_them_by_scope_and_retires_them_with_a_reason()
    {
        var (keeper, department) = await Setup();
        var food = await (await keeper.PostJson("/api/tags", new DefineTag("food-safety", "食品安全", TagScope.Target, department, "食品生产经营"))).ReadNodeAs(201);
        Assert.Equal("FOOD-SAFETY", food["value"]!["code"]!.GetValue<string>());
        await (await keeper.PostJson("/api/tags", new DefineTag("LAB-EXPERT", "检验检测", TagScope.Inspector, department, null))).ShouldHaveStatus(201);

        var duplicate = await (await keeper.PostJson("/api/tags", new DefineTag("FOOD-SAFETY", "重复", TagScope.Both, department, null))).ReadNodeAs(409);
        Assert.Equal("tag.code.taken", duplicate["violations"]![0]!["rule"]!.GetValue<string>());
        var noOwner = await (await keeper.PostJson("/api/tags", new DefineTag("X", "x", TagScope.Both, Guid.NewGuid(), null))).ReadNodeAs(400);
        Assert.Equal("department.unknown", noOwner["violations"]![0]!["rule"]!.GetValue<string>());

        var forTargets = (await (await keeper.GetAsync("/api/tags?scope=Target")).ReadAs<Supervision.Api.Infrastructure.PagedResult<TagDefinition>>()).Items;
        Assert.Contains(forTargets, t => t.Code == "FOOD-SAFETY");
        Assert.DoesNotContain(forTargets, t => t.Code == "LAB-EXPERT");

        var id = TagDefinition.IdFor("FOOD-SAFETY");
        await (await keeper.PostJson($"/api/tags/{id}/retire", new RetireTag(" ", 1))).ShouldHaveStatus(400);
        var retired = await (await keeper.PostJson($"/api/tags/{id}/retire", new RetireTag("并入 FOOD 标签", 1))).ReadAs<TagDefinition>();
        Assert.False(retired.Active);
        Assert.DoesNotContain((await (await keeper.GetAsync("/api/tags?active=true")).ReadAs<Supervision.Api.Infrastructure.PagedResult<TagDefinition>>()).Items, t => t.Code == "FOOD-SAFETY");
    }
}
