namespace Supervision.Api.Tests.Disclosure;

public sealed class RateLimitedApp : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:PublicRequestsPerMinute", "3")];
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task The_public_endpoints_are_rate_limited_per_client()
    {
        var anonymous = app.Anonymous();
        for (var i = 0; i < 3; i++) await (await anonymous.GetAsync("/api/public/results?creditCode=X")).ShouldHaveStatus(200);
        var refused = await (await anonymous.GetAsync("/api/public/results?creditCode=X")).ShouldHaveStatus(429);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString()) is > 0 and <= 60, "429 says when to come back");
        // Every anonymous endpoint is on the budget, the region list included.
        await (await anonymous.GetAsync("/api/regions")).ShouldHaveStatus(429);
        await (await anonymous.GetAsync("/public?creditCode=X")).ShouldHaveStatus(429);
        // Non-public endpoints are not on the public budget.
        await (await anonymous.GetAsync("/health/ready")).ShouldHaveStatus(200);
    }
}

public sealed class BurstRateLimitedApp : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:PublicRequestsPerMinute", "5")];
}

public sealed class RateLimitBurstTests(BurstRateLimitedApp app) : IClassFixture<BurstRateLimitedApp>
{
    [Fact]
    public async Task A_burst_of_concurrent_requests_from_one_client_gets_its_budget_and_no_more()
    {
        // Concurrent requests of one client on one node share one upsert of the count (SharedWindowRateLimiter): the attack is a
        // burst hoping that requests counted together all pass. Each must still get its own number in the window.
        var anonymous = app.Anonymous();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            (int)(await anonymous.GetAsync("/api/public/results?creditCode=X")).StatusCode));
        Assert.Equal(5, statuses.Count(s => s == 200));
        Assert.Equal(15, statuses.Count(s => s == 429));
    }
}
