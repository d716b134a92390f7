using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Supervision.Api.Infrastructure.Auth;

/// <summary>Signs tokens with the local key: for the demo-token command and the tests, never in production.</summary>
public static class TokenIssuer
{
    public static string Issue(AuthSettings auth, string userId, IEnumerable<string> roles, Guid? departmentId,
        string? displayName = null, TimeSpan? lifetime = null, DateTime? now = null)
    {
        var issuedAt = now ?? DateTime.UtcNow;
        var claims = new List<Claim>
        {
            new(AuthSettings.ClaimUserId, userId),
            new(AuthSettings.ClaimName, displayName ?? userId),
        };
        claims.AddRange(roles.Select(role => new Claim(AuthSettings.ClaimRole, role)));
        if (departmentId is { } dept) claims.Add(new Claim(AuthSettings.ClaimDepartment, dept.ToString()));

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = auth.Issuer,
            Audience = auth.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = issuedAt,
            NotBefore = issuedAt,
            Expires = issuedAt + (lifetime ?? TimeSpan.FromHours(8)),
            SigningCredentials = new SigningCredentials(auth.LocalSigningKey(), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
