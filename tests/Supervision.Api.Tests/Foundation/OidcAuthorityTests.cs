using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Supervision.Api.Infrastructure.Auth;

namespace Supervision.Api.Tests.Foundation;

/// <summary>
/// The host as production runs it, trusting an OIDC authority (<c>Auth:Authority</c>): here a real OpenID Provider on a loopback
/// port. It names roles and the department the way identity providers often do (<c>roles</c>, <c>department_id</c>), so the
/// deployment's claim mapping is exercised. Plain http is allowed only because this is not Production (see AuthenticationSetup).
/// </summary>
public sealed class OidcAuthorityApp : SupervisionApp
{
    public const string ApiResource = "urn:supervision:api";
    public const string OtherResource = "urn:supervision:other-api";
    public const string InitialKey = "key-initial";

    public Guid Department { get; } = Guid.NewGuid();

    public OidcClient Admin { get; }
    public OidcClient Planner { get; }
    /// <summary>Says system-admin in the service's own claim name (<c>role</c>), which this deployment does not read.</summary>
    public OidcClient AdminOnlyUnderTheUnmappedName { get; }
    public OidcClient Expired { get; }
    public OidcClient ForeignIssuer { get; }
    /// <summary>Names the issuer of the local development tokens, which the API must not accept beside the authority's.</summary>
    public OidcClient LocalIssuer { get; }

    public OidcProvider Provider { get; private set; } = null!;

    public OidcAuthorityApp()
    {
        Admin = new("oidc-admin", new Dictionary<string, object> { ["roles"] = new[] { Roles.SystemAdmin }, ["department_id"] = Department.ToString() });
        Planner = new("oidc-planner", new Dictionary<string, object> { ["roles"] = new[] { Roles.Planner }, ["department_id"] = Department.ToString() });
        AdminOnlyUnderTheUnmappedName = new("oidc-unmapped", new Dictionary<string, object> { ["role"] = Roles.SystemAdmin, ["roles"] = new[] { Roles.Planner } });
        // 120 s ago: well past the 30 s clock skew the API allows.
        Expired = new("oidc-expired", new Dictionary<string, object> { ["roles"] = new[] { Roles.SystemAdmin } }, new OidcMisissue(ExpiresInSeconds: -120));
        ForeignIssuer = new("oidc-foreign", new Dictionary<string, object> { ["roles"] = new[] { Roles.SystemAdmin } }, new OidcMisissue(Issuer: "http://127.0.0.1:9/another-issuer"));
        LocalIssuer = new("oidc-local-issuer", new Dictionary<string, object> { ["roles"] = new[] { Roles.SystemAdmin } }, new OidcMisissue(Issuer: new AuthSettings().Issuer));
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Auth:Authority", Provider.Issuer),
        new("Auth:RequireHttpsMetadata", "false"),
        new("Auth:RoleClaim", "roles"),
        new("Auth:DepartmentClaim", "department_id"),
        // A token with an unknown key id re-fetches the JWKS at most once a second here (30 s by default).
        new("Auth:UnknownKeyRefreshSeconds", "1"),
    ];

    public override async Task InitializeAsync()
    {
        Provider = await OidcProvider.StartAsync(
            [Admin, Planner, AdminOnlyUnderTheUnmappedName, Expired, ForeignIssuer, LocalIssuer],
            new Dictionary<string, string> { [ApiResource] = "supervision-api", [OtherResource] = "other-api" },
            InitialKey);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Provider is not null) await Provider.DisposeAsync();
    }

    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task<HttpClient> ClientOf(OidcClient client, string resource = ApiResource) => WithToken(await Provider.TokenAsync(client, resource));
}

public sealed class OidcAuthorityTests(OidcAuthorityApp app) : IClassFixture<OidcAuthorityApp>
{
    /// <summary>Any authenticated caller reads the departments; a refused token is 401.</summary>
    private const string AuthenticatedRead = "/api/departments";

    [Fact]
    public async Task The_api_takes_issuer_and_rs256_keys_from_the_providers_discovery_document()
    {
        var discovery = await app.Provider.DiscoveryAsync();
        Assert.Equal(app.Provider.Issuer, discovery["issuer"]!.GetValue<string>());
        var jwksKids = (await app.Provider.JwksAsync())["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();

        var token = new JsonWebToken(await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.ApiResource));
        Assert.Equal("RS256", token.Alg);
        Assert.Contains(token.Kid, jwksKids);
        Assert.Equal(app.Provider.Issuer, token.Issuer);
        await (await app.WithToken(token.EncodedToken).GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);

        // What the API fetched is the provider's own metadata, refreshed on the stated schedule.
        var bearer = app.Services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var configuration = await bearer.ConfigurationManager!.GetConfigurationAsync(CancellationToken.None);
        Assert.Equal(app.Provider.Issuer, configuration.Issuer);
        Assert.Equal(discovery["jwks_uri"]!.GetValue<string>(), configuration.JwksUri);
        Assert.Equal(jwksKids.Order(), configuration.SigningKeys.Select(k => k.KeyId).Order());
        Assert.Equal(TimeSpan.FromMinutes(10), bearer.AutomaticRefreshInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), bearer.RefreshInterval);
        Assert.True(bearer.RefreshOnIssuerKeyNotFound);
        Assert.False(Assert.IsAssignableFrom<BaseConfigurationManager>(bearer.ConfigurationManager).UseLastKnownGoodConfiguration);
    }

    [Fact]
    public async Task A_token_whose_rs256_signature_the_providers_keys_do_not_verify_is_refused()
    {
        var genuine = await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.ApiResource);
        await (await app.WithToken(genuine).GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);

        // The same header (same kid) and claims, signed by a key the provider never published.
        var signingInput = genuine[..genuine.LastIndexOf('.')];
        using var forger = RSA.Create(2048);
        var forgedSignature = Base64UrlEncoder.Encode(forger.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        await (await app.WithToken(signingInput + "." + forgedSignature).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);

        // A token of the local development key is worth nothing once an authority is configured.
        await (await app.ClientFor("local-admin", Roles.SystemAdmin).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);
    }

    [Fact]
    public async Task Tokens_for_another_audience_from_another_issuer_or_expired_are_refused()
    {
        await (await (await app.ClientOf(app.Admin)).GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);

        var otherAudience = await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.OtherResource);
        Assert.Equal(["other-api"], new JsonWebToken(otherAudience).Audiences);
        await (await app.WithToken(otherAudience).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);

        var foreign = await app.Provider.TokenAsync(app.ForeignIssuer, OidcAuthorityApp.ApiResource);
        Assert.Equal("http://127.0.0.1:9/another-issuer", new JsonWebToken(foreign).Issuer);
        await (await app.WithToken(foreign).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);
        var local = await app.Provider.TokenAsync(app.LocalIssuer, OidcAuthorityApp.ApiResource);
        Assert.Equal("supervision-local", new JsonWebToken(local).Issuer);
        await (await app.WithToken(local).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);

        var expired = await app.Provider.TokenAsync(app.Expired, OidcAuthorityApp.ApiResource);
        Assert.True(new JsonWebToken(expired).ValidTo < DateTime.UtcNow - AuthenticationSetup.ClockSkew);
        await (await app.WithToken(expired).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);
    }

    [Fact]
    public async Task The_providers_roles_and_department_claims_are_mapped_so_roles_guard_and_the_actor_carries_the_department()
    {
        var admin = await app.ClientOf(app.Admin);
        await (await admin.PostJson("/api/regions", new RegisterRegion("410000", "河南省"), Guid.NewGuid().ToString())).ShouldHaveStatus(201);

        await using (var session = app.Store.QuerySession())
        {
            var stored = Assert.Single(await session.Events.FetchStreamAsync(Region.IdFor("410000")));
            var registered = Assert.IsType<RegionRegistered>(stored.Data);
            // No name claim: the display name falls back to the subject, the client id of a client_credentials token.
            Assert.Equal(new Actor(app.Admin.ClientId, app.Admin.ClientId, Roles.SystemAdmin, app.Department), registered.By);
        }

        var planner = await app.ClientOf(app.Planner);
        await (await planner.GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);
        await (await planner.PostJson("/api/regions", new RegisterRegion("420000", "湖北省"), Guid.NewGuid().ToString())).ShouldHaveStatus(403);

        // Only the configured claim counts: "role": "system-admin" in the token grants nothing here.
        var unmapped = await app.ClientOf(app.AdminOnlyUnderTheUnmappedName);
        await (await unmapped.PostJson("/api/regions", new RegisterRegion("430000", "湖南省"), Guid.NewGuid().ToString())).ShouldHaveStatus(403);
    }

    [Fact]
    public async Task After_key_rotation_the_new_key_is_accepted_and_a_retired_key_is_refused()
    {
        // Keys of this test's own, so it holds whatever the other tests did to the provider before.
        await app.Provider.RotateKeysAsync("rotation-a");
        var signedByA = await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.ApiResource);
        Assert.Equal("rotation-a", new JsonWebToken(signedByA).Kid);
        await AcceptedOnceTheKeysAreFetched(signedByA);

        // A new signing key, the old one still published (the usual overlap): both are accepted.
        await app.Provider.RotateKeysAsync("rotation-b", "rotation-a");
        var signedByB = await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.ApiResource);
        Assert.Equal("rotation-b", new JsonWebToken(signedByB).Kid);
        await AcceptedOnceTheKeysAreFetched(signedByB);
        await (await app.WithToken(signedByA).GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);

        // Key a retired. The first token of the next key makes the API fetch the JWKS again, and a is gone from it. (IdentityModel's
        // "last known good" configuration fallback, turned off in AuthenticationSetup, would accept a for another hour.)
        await app.Provider.RotateKeysAsync("rotation-c", "rotation-b");
        var signedByC = await app.Provider.TokenAsync(app.Admin, OidcAuthorityApp.ApiResource);
        await AcceptedOnceTheKeysAreFetched(signedByC);
        await (await app.WithToken(signedByA).GetAsync(AuthenticatedRead)).ShouldHaveStatus(401);
        await (await app.WithToken(signedByB).GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);
    }

    /// <summary>
    /// A token of a new key is accepted once the API has fetched the authority's keys again. The token is sent first (an unknown key
    /// id makes JwtBearer request a refresh, which runs in the background, so that request may be refused); then the test awaits the
    /// API's own refresh (<see cref="AuthorityKeys.RefreshNowAsync"/>) instead of retrying until the background one has landed.
    /// </summary>
    private async Task AcceptedOnceTheKeysAreFetched(string token)
    {
        var client = app.WithToken(token);
        var first = await client.GetAsync(AuthenticatedRead);
        Assert.Contains((int)first.StatusCode, new[] { 200, 401 });
        await app.Services.GetRequiredService<AuthorityKeys>().RefreshNowAsync();
        await (await client.GetAsync(AuthenticatedRead)).ShouldHaveStatus(200);
    }
}

/// <summary>Keys fetched over plain http can be swapped on the way; the loopback provider above is allowed only outside Production.</summary>
public sealed class AuthorityInProductionTests
{
    private sealed class ProductionWithAuthority(string authority, bool requireHttpsMetadata) : SupervisionApp
    {
        protected override string EnvironmentName => "Production";

        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [
            new("Auth:Authority", authority),
            new("Auth:RequireHttpsMetadata", requireHttpsMetadata ? "true" : "false"),
        ];
    }

    [Theory]
    [InlineData("http://127.0.0.1:1", false)]
    [InlineData("https://idp.example", false)]
    [InlineData("http://idp.example", true)]
    public async Task Production_refuses_to_start_when_the_authoritys_keys_could_come_over_plain_http(string authority, bool requireHttpsMetadata)
    {
        await using var app = new ProductionWithAuthority(authority, requireHttpsMetadata);
        var refused = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("Production needs an https Auth__Authority and Auth__RequireHttpsMetadata left on.", refused.ToString());
    }
}
