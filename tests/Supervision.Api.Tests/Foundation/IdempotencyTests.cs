namespace Supervision.Api.Tests.Foundation;

public sealed class IdempotencyTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private readonly HttpClient admin = app.ClientFor("admin-idem", Roles.SystemAdmin);

    private async Task<int> StreamCount()
    {
        await using var session = app.Store.QuerySession();
        return await session.Events.QueryAllRawEvents().Select(e => e.StreamId).Distinct().CountAsync();
    }

    [Fact]
    public async Task The_same_post_twice_with_one_key_answers_the_same_and_creates_one_stream()
    {
        var key = Guid.NewGuid().ToString();
        var before = await StreamCount();

        var first = await (await admin.PostJson("/api/regions", new RegisterRegion("410000", "河南省"), key)).ShouldHaveStatus(201);
        var second = await (await admin.PostJson("/api/regions", new RegisterRegion("410000", "河南省"), key)).ShouldHaveStatus(201);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(before + 1, await StreamCount());
    }

    [Fact]
    public async Task A_retried_update_is_answered_from_the_first_and_appends_once()
    {
        var created = await (await admin.PostJson("/api/regions", new RegisterRegion("420000", "湖北省"))).ShouldHaveStatus(201);
        var id = (await created.ReadNode())["value"]!["id"]!.GetValue<Guid>();
        var key = Guid.NewGuid().ToString();

        var first = await (await admin.PostJson($"/api/regions/{id}/rename", new RenameRegion("湖北", "简称", 1), key)).ShouldHaveStatus(200);
        // Without the key this retry would be a stale-version 409; with it, the client learns what its first attempt did.
        var retry = await (await admin.PostJson($"/api/regions/{id}/rename", new RenameRegion("湖北", "简称", 1), key)).ShouldHaveStatus(200);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());

        await using var session = app.Store.QuerySession();
        Assert.Equal(2, (await session.Events.FetchStreamAsync(id)).Count);
    }

    [Fact]
    public async Task A_different_body_under_the_same_key_is_refused_and_writes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        await (await admin.PostJson("/api/regions", new RegisterRegion("430000", "湖南省"), key)).ShouldHaveStatus(201);
        var before = await StreamCount();

        var reused = await (await admin.PostJson("/api/regions", new RegisterRegion("440000", "广东省"), key)).ShouldHaveStatus(422);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await StreamCount());
    }

    [Fact]
    public async Task Keys_belong_to_their_user_so_another_user_cannot_replay_them()
    {
        var key = Guid.NewGuid().ToString();
        await (await admin.PostJson("/api/regions", new RegisterRegion("450000", "广西壮族自治区"), key)).ShouldHaveStatus(201);

        var other = app.ClientFor("admin-other", Roles.SystemAdmin);
        // Same key and bytes from someone else is a new request: here a duplicate registration, refused on its merits.
        var response = await (await other.PostJson("/api/regions", new RegisterRegion("450000", "广西壮族自治区"), key)).ShouldHaveStatus(409);
        Assert.Equal("region.code.taken", (await response.ReadNode())["violations"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_command_leaves_no_claim_so_a_corrected_retry_with_the_same_key_is_not_blocked()
    {
        var key = Guid.NewGuid().ToString();
        await (await admin.PostJson("/api/regions", new RegisterRegion("460000", ""), key)).ShouldHaveStatus(400);
        await (await admin.PostJson("/api/regions", new RegisterRegion("460000", ""), key)).ShouldHaveStatus(400);
        await (await admin.PostJson("/api/regions", new RegisterRegion("460000", "海南省"), key)).ShouldHaveStatus(201);
    }

    [Fact]
    public async Task The_same_key_and_body_on_two_different_resources_are_two_requests()
    {
        var a = (await (await admin.PostJson("/api/regions", new RegisterRegion("350000", "福建省"))).ReadNodeAs(201))["value"]!["id"]!.GetValue<Guid>();
        var b = (await (await admin.PostJson("/api/regions", new RegisterRegion("360000", "江西省"))).ReadNodeAs(201))["value"]!["id"]!.GetValue<Guid>();
        var key = Guid.NewGuid().ToString();
        var body = new RenameRegion("同名", "测试", 1);

        var first = await (await admin.PostJson($"/api/regions/{a}/rename", body, key)).ReadNodeAs(200);
        var second = await admin.PostJson($"/api/regions/{b}/rename", body, key);
        // Keys are scoped by user and endpoint including the route values: replaying a's answer for b would be wrong.
        Assert.Equal(b, (await second.ReadNodeAs(200))["id"]!.GetValue<Guid>());
        Assert.Equal(a, first["id"]!.GetValue<Guid>());
    }
}
