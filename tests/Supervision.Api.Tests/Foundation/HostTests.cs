using Supervision.Api.Infrastructure.Auth;

namespace Supervision.Api.Tests.Foundation;

public sealed class HostTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    [Fact]
    public async Task Liveness_and_readiness_answer_200_anonymously()
    {
        await (await app.Anonymous().GetAsync("/health/live")).ShouldHaveStatus(200);
        await (await app.Anonymous().GetAsync("/health/ready")).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_endpoints_and_the_reference_page_is_served()
    {
        var document = await (await app.Anonymous().GetAsync("/openapi/v1.json")).ShouldHaveStatus(200);
        var paths = (await document.ReadNode())["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/departments", paths);
        Assert.Contains("/api/regions/{regionId}/rename", paths);
        await (await app.Anonymous().GetAsync("/scalar")).ShouldHaveStatus(200);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("wrong-key")]
    public async Task Tokens_are_checked_for_lifetime_audience_issuer_and_signature(string defect)
    {
        var now = DateTime.UtcNow;
        var token = defect switch
        {
            // Expired 31 s ago: beyond the 30 s skew allowed.
            "expired" => TokenIssuer.Issue(app.Auth, "u", [Roles.SystemAdmin], null, lifetime: TimeSpan.FromMinutes(1), now: now.AddSeconds(-91)),
            "wrong-audience" => TokenIssuer.Issue(new AuthSettings { SigningKey = app.Auth.SigningKey, Audience = "other-api" }, "u", [Roles.SystemAdmin], null),
            "wrong-issuer" => TokenIssuer.Issue(new AuthSettings { SigningKey = app.Auth.SigningKey, Issuer = "someone-else" }, "u", [Roles.SystemAdmin], null),
            _ => TokenIssuer.Issue(new AuthSettings { SigningKey = Convert.ToBase64String(new byte[64]) }, "u", [Roles.SystemAdmin], null),
        };
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await (await client.GetAsync("/api/departments")).ShouldHaveStatus(401);
    }

    [Fact]
    public async Task A_token_expired_within_the_30_second_skew_is_still_accepted()
    {
        var token = TokenIssuer.Issue(app.Auth, "u", [Roles.SystemAdmin], null, lifetime: TimeSpan.FromMinutes(1), now: DateTime.UtcNow.AddSeconds(-70));
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await (await client.GetAsync("/api/departments")).ShouldHaveStatus(200);
    }

    [Fact]
    public void The_allowed_clock_skew_is_at_most_30_seconds() =>
        Assert.True(AuthenticationSetup.ClockSkew <= TimeSpan.FromSeconds(30));
}
