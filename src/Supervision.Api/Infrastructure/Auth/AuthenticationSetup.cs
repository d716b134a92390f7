using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace Supervision.Api.Infrastructure.Auth;

public static class AuthenticationSetup
{
    /// <summary>At most 30 seconds of clock skew (the framework default is 5 minutes).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static WebApplicationBuilder AddSupervisionAuthentication(this WebApplicationBuilder builder)
    {
        var auth = AuthSettings.From(builder.Configuration);
        if (builder.Environment.IsProduction() && auth.Authority is not { Length: > 0 } && auth.SigningKey is not { Length: > 0 })
        {
            // A key generated on first run is for development: production trusts an OIDC authority (or an explicit key).
            throw new InvalidOperationException("Production needs Auth__Authority (an OIDC issuer) or an explicit Auth__SigningKey.");
        }
        builder.Services.AddSingleton(auth);
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
                }
                else
                {
                    options.TokenValidationParameters.IssuerSigningKey = auth.LocalSigningKey();
                }
            });
        // Every endpoint needs an authenticated caller unless it says [AllowAnonymous] (public on purpose).
        builder.Services.AddAuthorization(options =>
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }
}
