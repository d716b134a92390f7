using System.Net;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Foundation;

/// <summary>One of two hosts sharing one schema, as two nodes behind a load balancer share one database.</summary>
public sealed class SharedSchemaNode(string schema, bool dropSchemaOnDispose) : SupervisionApp
{
    public override string Schema => schema;

    public override async Task DisposeAsync()
    {
        if (dropSchemaOnDispose) await base.DisposeAsync();
        else await ((IAsyncDisposable)this).DisposeAsync();
    }
}

/// <summary>Two nodes on one schema, booted one after the other (each applies the development schema on start).</summary>
public sealed class TwoNodes : IAsyncLifetime
{
    private readonly string schema = "t_" + Guid.NewGuid().ToString("N")[..12];
    public SharedSchemaNode First { get; private set; } = null!;
    public SharedSchemaNode Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        First = new SharedSchemaNode(schema, dropSchemaOnDispose: false);
        await First.InitializeAsync();
        Second = new SharedSchemaNode(schema, dropSchemaOnDispose: true);
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
    }
}

/// <summary>
/// Issue 17: requests racing for one number, one stream id, one unique code or one Idempotency-Key, on two nodes at once,
/// are each answered by what they mean (201, or 409 naming the rule), never by a 500.
/// </summary>
public sealed class ContentionTests(TwoNodes nodes) : IClassFixture<TwoNodes>
{
    private const int Concurrent = 20;

    private async Task<Guid> Department(string code)
    {
        var admin = nodes.First.ClientFor("admin-race", Roles.SystemAdmin);
        foreach (var (regionCode, name) in new[] { ("130000", "河北省"), ("130500", "邢台市") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(regionCode, name))).StatusCode is 201 or 409);
        var response = await admin.PostJson("/api/departments", new RegisterDepartment(code, code + " 市场监督管理局", DepartmentKind.MarketRegulation, "130500", null));
        Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        return Supervision.Domain.Organization.Department.IdFor(code);
    }

    /// <summary>Sends every request at once, alternating between the two nodes, and returns the status and body of each.</summary>
    private async Task<(HttpStatusCode Status, JsonNode? Body, string Text)[]> Race(Func<SupervisionApp, int, Task<HttpResponseMessage>> send)
    {
        using var start = new SemaphoreSlim(0);
        var requests = Enumerable.Range(0, Concurrent).Select(async i =>
        {
            await start.WaitAsync();
            var response = await send(i % 2 == 0 ? nodes.First : nodes.Second, i);
            var text = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text) : null, text);
        }).ToArray();
        start.Release(Concurrent);
        return await Task.WhenAll(requests);
    }

    private static void NoServerErrors((HttpStatusCode Status, JsonNode? Body, string Text)[] answers) =>
        Assert.All(answers, a => Assert.True((int)a.Status < 500, $"{(int)a.Status}: {a.Text}"));

    private static string Rule(JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task Twenty_plans_drafted_at_once_in_one_department_and_year_on_two_nodes_all_get_distinct_numbers()
    {
        var department = await Department("XT-RACE-PLAN");
        var planners = new[] { nodes.First, nodes.Second }.ToDictionary(n => (SupervisionApp)n, n => n.ClientFor("planner-race", Roles.Planner, department));
        // Each node drafts once before the race (another year): a development node's first draft compiles the endpoint and
        // checks the schema, which is start-up cost, not contention.
        foreach (var planner in planners.Values)
            await (await planner.PostJson("/api/plans", new DraftPlan(department, 2026, "预热", null))).ShouldHaveStatus(201);

        var answers = await Race((node, i) => planners[node].PostJson("/api/plans", new DraftPlan(department, 2027, $"2027年度抽查计划 {i}", null)));

        NoServerErrors(answers);
        Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.Created, $"{(int)a.Status}: {a.Text}"));
        var numbers = answers.Select(a => a.Body!["value"]!["number"]!.GetValue<string>()).ToList();
        Assert.Equal(Enumerable.Range(1, Concurrent).Select(n => PlanNumbering.Format(2027, n)).Order(), numbers.Order());
    }

    [Fact]
    public async Task One_code_registered_at_once_on_two_nodes_is_created_once_and_the_others_are_told_it_is_taken()
    {
        var admins = new[] { nodes.First, nodes.Second }.ToDictionary(n => (SupervisionApp)n, n => n.ClientFor("admin-race-" + n.GetHashCode(), Roles.SystemAdmin));

        var answers = await Race((node, _) => admins[node].PostJson("/api/regions", new RegisterRegion("650000", "新疆维吾尔自治区")));

        NoServerErrors(answers);
        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.Contains(Rule(a.Body!), new[] { "region.code.taken", "stream.exists" });
        });
    }

    [Fact]
    public async Task One_idempotency_key_sent_at_once_on_two_nodes_is_done_once_and_every_answer_is_the_first_or_a_conflict()
    {
        var key = Guid.NewGuid().ToString();
        var admin = new[] { nodes.First, nodes.Second }.ToDictionary(n => (SupervisionApp)n, n => n.ClientFor("admin-race-key", Roles.SystemAdmin));

        var answers = await Race((node, _) => admin[node].PostJson("/api/regions", new RegisterRegion("640000", "宁夏回族自治区"), key));

        NoServerErrors(answers);
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).Select(a => a.Text).Distinct().ToList();
        Assert.Single(created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a =>
        {
            Assert.Equal(HttpStatusCode.Conflict, a.Status);
            Assert.NotNull(a.Body?["violations"]);
        });
        await using var session = nodes.First.Store.QuerySession();
        Assert.Equal(1, await session.Query<Region>().CountAsync(r => r.Code == "640000"));
    }

    /// <summary>Another writer's event on a stream id a command is about to create (no projection reads it).</summary>
    public sealed record ForeignStreamStarted(string Note);

    [Fact]
    public async Task A_stream_created_between_the_check_and_the_commit_answers_409_stream_exists_not_500()
    {
        // The race made deterministic: the region's stream id is taken by another writer without a Region document, so the
        // endpoint's check (no such region) passes and its commit collides on the stream id.
        await using (var session = nodes.First.Store.LightweightSession())
        {
            session.Events.StartStream(Region.IdFor("820000"), new ForeignStreamStarted("taken first"));
            await session.SaveChangesAsync();
        }
        var admin = nodes.Second.ClientFor("admin-race-late", Roles.SystemAdmin);

        var refused = await (await admin.PostJson("/api/regions", new RegisterRegion("820000", "澳门特别行政区"), Guid.NewGuid().ToString())).ReadNodeAs(409);

        Assert.Equal("stream.exists", Rule(refused));
        Assert.Equal("/problems/stream.exists", refused["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_unique_code_taken_between_the_check_and_the_commit_answers_409_unique_key_taken_not_500()
    {
        // The race made deterministic for a unique index: a region document with this code but another identity exists, so the
        // endpoint's check (by identity) passes and the inline projection's insert breaks mt_doc_region_uidx_code.
        await using (var session = nodes.First.Store.LightweightSession())
        {
            session.Store(new Region(Guid.NewGuid(), "540000", "另一来源", RegionLevel.Province, null, true));
            await session.SaveChangesAsync();
        }
        var admin = nodes.Second.ClientFor("admin-race-unique", Roles.SystemAdmin);

        var refused = await (await admin.PostJson("/api/regions", new RegisterRegion("540000", "西藏自治区"))).ReadNodeAs(409);

        Assert.Equal("unique-key.taken", Rule(refused));
    }
}
