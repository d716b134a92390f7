using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Supervision.Api.Infrastructure.Auth;

/// <summary>
/// The OIDC authority's signing keys as the API holds them, with a refresh that can be awaited. JwtBearer refreshes on its own
/// (every <c>Auth:KeyRefreshMinutes</c>, and in the background when a token names an unknown key); after an emergency rotation an
/// operator, or a test, fetches them now and knows that, once this returns, every key the authority publishes is accepted and a
/// key it retired is refused.
/// </summary>
public sealed class AuthorityKeys(IOptionsMonitor<JwtBearerOptions> options)
{
    /// <summary>
    /// Fetches the authority's discovery document and keys now, into a configuration manager with the same settings, and puts it
    /// in place only once the fetch succeeded (a failed fetch throws and leaves the keys in use as they were).
    /// </summary>
    public async Task RefreshNowAsync(CancellationToken ct = default)
    {
        var bearer = options.Get(JwtBearerDefaults.AuthenticationScheme);
        if (bearer.ConfigurationManager is not BaseConfigurationManager current || bearer.MetadataAddress is not { Length: > 0 } metadata)
            throw new InvalidOperationException("No OIDC authority is configured (Auth:Authority): the local signing key is not fetched.");
        var fresh = new ConfigurationManager<OpenIdConnectConfiguration>(metadata, new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(bearer.Backchannel) { RequireHttps = bearer.RequireHttpsMetadata })
        {
            AutomaticRefreshInterval = current.AutomaticRefreshInterval,
            RefreshInterval = current.RefreshInterval,
            UseLastKnownGoodConfiguration = current.UseLastKnownGoodConfiguration,
        };
        // A new manager's first fetch is awaited (later ones run in the background).
        await fresh.GetConfigurationAsync(ct);
        bearer.ConfigurationManager = fresh;
    }
}
