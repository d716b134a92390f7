using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Supervision.Api.Infrastructure.Auth;

public static class AuthenticationSetup
{
    /// <summary>At most 30 seconds of clock skew (the framework default is 5 minutes).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddSupervisionAuthentication(this WebApplicationBuilder builder, AuthSettings auth)
    {
        RefuseUnsafeProductionSettings(builder.Environment, auth);
        builder.Services.AddSingleton(auth);
        builder.Services.AddSingleton<AuthorityKeys>();
        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuer = auth.Issuer,
                    ValidateAudience = true,
                    ValidAudience = auth.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    ValidateIssuerSigningKey = true,
                    ClockSkew = ClockSkew,
                    // Identity.Name is the stable user id: Wolverine relays it into Marten's user name metadata
                    // and scopes idempotency keys by it.
                    NameClaimType = AuthSettings.ClaimUserId,
                    RoleClaimType = AuthSettings.ClaimRole,
                };
                if (auth.Authority is { Length: > 0 })
                {
                    options.Authority = auth.Authority;
                    options.Audience = auth.Audience;
                    options.RequireHttpsMetadata = auth.RequireHttpsMetadata;
                    // The issuer is the one the authority's discovery document names, and only that one: a second valid
                    // issuer (the local default) would let the authority's keys vouch for tokens naming another issuer.
                    options.TokenValidationParameters.ValidIssuer = null;
                    options.AutomaticRefreshInterval = TimeSpan.FromMinutes(Math.Max(5, auth.KeyRefreshMinutes));
                    options.RefreshInterval = TimeSpan.FromSeconds(Math.Max(1, auth.UnknownKeyRefreshSeconds));
                    options.RefreshOnIssuerKeyNotFound = true;
                }
                else
                {
                    options.TokenValidationParameters.IssuerSigningKey = auth.LocalSigningKey();
                }
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.Identity is ClaimsIdentity identity) MapClaims(identity, auth);
                        return Task.CompletedTask;
                    },
                };
            });
        if (auth.Authority is { Length: > 0 })
        {
            // Runs after JwtBearer's own post-configuration, which makes the configuration manager. Its "last known good"
            // fallback would keep accepting a key for an hour after the authority retired it (every configuration a token
            // validated against in that hour is tried again), so a retired key would outlive KeyRefreshMinutes. Without it
            // a fetch that fails still keeps the current keys.
            builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
            {
                if (options.ConfigurationManager is BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
            });
        }
        // Every endpoint needs an authenticated caller unless it says [AllowAnonymous] (public on purpose).
        builder.Services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    private static void RefuseUnsafeProductionSettings(IHostEnvironment environment, AuthSettings auth)
    {
        if (!environment.IsProduction()) return;
        if (auth.Authority is not { Length: > 0 } && auth.SigningKey is not { Length: > 0 })
        {
            // A key generated on first run is for development: production trusts an OIDC authority (or an explicit key).
            throw new InvalidOperationException("Production needs Auth__Authority (an OIDC issuer) or an explicit Auth__SigningKey.");
        }
        if (auth.Authority is { Length: > 0 } authority
            && (!auth.RequireHttpsMetadata || !authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            // Keys fetched over plain http can be swapped by anyone on the path, and then they sign any token they like.
            throw new InvalidOperationException("Production needs an https Auth__Authority and Auth__RequireHttpsMetadata left on.");
        }
    }

    /// <summary>
    /// Copies the configured role and department claims to the names the service reads (<see cref="AuthSettings.ClaimRole"/>,
    /// <see cref="AuthSettings.ClaimDepartment"/>). When a configured name differs, the token's own claims of the service's
    /// name are dropped first: only the claim the deployment named counts.
    /// </summary>
    public static void MapClaims(ClaimsIdentity identity, AuthSettings auth)
    {
        MapClaim(identity, auth.RoleClaim, AuthSettings.ClaimRole);
        MapClaim(identity, auth.DepartmentClaim, AuthSettings.ClaimDepartment);
    }

    private static void MapClaim(ClaimsIdentity identity, string from, string to)
    {
        if (string.Equals(from, to, StringComparison.Ordinal)) return;
        foreach (var own in identity.FindAll(to).ToList()) identity.RemoveClaim(own);
        foreach (var mapped in identity.FindAll(from).ToList())
        {
            identity.AddClaim(new Claim(to, mapped.Value, ClaimValueTypes.String, mapped.Issuer, mapped.OriginalIssuer, identity));
        }
    }
}
