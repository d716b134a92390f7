using Microsoft.Extensions.Logging.Abstractions;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Cluster;

namespace Supervision.Api.Tests.Cluster;

public sealed class TwoRateLimitedNodes : TwoNodes
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Supervision:PublicRequestsPerMinute", "4")];
}

public sealed class SharedRateLimitTests(TwoRateLimitedNodes cluster) : IClassFixture<TwoRateLimitedNodes>
{
    [Fact]
    public async Task One_budget_holds_across_nodes_whichever_node_answers()
    {
        var (a, b) = (cluster.A.Anonymous(), cluster.B.Anonymous());
        // The budget of 4 spent alternately on both nodes: each node alone has seen only 2.
        foreach (var node in new[] { a, b, a, b })
            await (await node.GetAsync("/api/public/results?creditCode=X")).ShouldHaveStatus(200);

        // The fifth request overall is refused, on either node, and both say when to come back.
        foreach (var node in new[] { a, b })
        {
            var refused = await (await node.GetAsync("/api/public/results?creditCode=X")).ShouldHaveStatus(429);
            Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) is > 0 and <= 60, "429 says when to come back");
        }
        await (await b.GetAsync("/public?creditCode=X")).ShouldHaveStatus(429);
        // The budget is for public endpoints only.
        await (await a.GetAsync("/health/ready")).ShouldHaveStatus(200);
        Assert.Equal("shared", (await cluster.B.StatusAsync()).RateLimit);
    }

    [Fact]
    public async Task Without_PostgreSQL_a_node_counts_on_its_own_instead_of_failing()
    {
        // A server that does not answer: the count is not known, so the node falls back to its local window for a few seconds.
        var unreachable = new SupervisionSettings { ConnectionString = "Host=127.0.0.1;Port=1;Username=postgres;Database=supervision;Timeout=2", Schema = cluster.Schema };
        await using var windows = new PublicRateWindows(unreachable, NullLogger<PublicRateWindows>.Instance);
        Assert.Null(await windows.CountAsync("198.51.100.7", CancellationToken.None));
        Assert.True(windows.CountingLocally);
    }
}
