using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Supervision.Api.Infrastructure.Settings;

namespace Supervision.Api.Infrastructure.Auth;

/// <summary>
/// The <c>Auth</c> section. Locally, tokens are signed with a key generated on first run into the git-ignored
/// data folder; in production an OIDC <see cref="Authority"/> issues them and no local key exists.
/// </summary>
public sealed class AuthSettings
{
    public const string ClaimUserId = "sub";
    public const string ClaimName = "name";
    public const string ClaimRole = "role";
    public const string ClaimDepartment = "dept";

    public string Issuer { get; init; } = "supervision-local";
    public string Audience { get; init; } = "supervision-api";

    /// <summary>
    /// OIDC authority URL; when set, its discovery document gives the issuer and the JWKS, and no local key is read or made
    /// (<see cref="Issuer"/> is then unused: only the issuer the authority names is accepted).
    /// </summary>
    public string? Authority { get; init; }

    /// <summary>
    /// The token claim that carries the roles (one claim per role, or a JSON array). Whatever its name, it is mapped to
    /// <see cref="ClaimRole"/>, which is all the rest of the service reads; a <see cref="ClaimRole"/> claim of the token
    /// itself then counts for nothing.
    /// </summary>
    public string RoleClaim { get; init; } = ClaimRole;

    /// <summary>The token claim that carries the department id, mapped to <see cref="ClaimDepartment"/> as <see cref="RoleClaim"/> is.</summary>
    public string DepartmentClaim { get; init; } = ClaimDepartment;

    /// <summary>Fetch the authority's metadata only over https. Only outside Production may it be turned off (a loopback test provider).</summary>
    public bool RequireHttpsMetadata { get; init; } = true;

    /// <summary>
    /// How often the authority's discovery document and JWKS are fetched again even when every token's key is known
    /// (JwtBearer's <c>AutomaticRefreshInterval</c>, at least 5 minutes): the longest a key the authority has retired is
    /// still accepted.
    /// </summary>
    public int KeyRefreshMinutes { get; init; } = 10;

    /// <summary>
    /// A token signed with a key id not in the cached JWKS makes the keys be fetched again at once, but at most once per
    /// this many seconds (JwtBearer's <c>RefreshInterval</c>, at least 1), so tokens with made-up key ids cannot flood the authority.
    /// </summary>
    public int UnknownKeyRefreshSeconds { get; init; } = 30;

    /// <summary>Base64 signing key given directly (tests); wins over <see cref="SigningKeyFile"/>.</summary>
    public string? SigningKey { get; init; }

    public string SigningKeyFile { get; init; } =
        Path.Combine(Environment.GetEnvironmentVariable("SUPERVISION_DATA_DIR") is { Length: > 0 } dir ? dir : ".data", "dev-signing-key");

    public static AuthSettings From(IConfiguration configuration) => From(new SettingsReader(configuration));

    internal static AuthSettings From(SettingsReader read)
    {
        var defaults = new AuthSettings();
        return new AuthSettings
        {
            Issuer = read.Text("Auth:Issuer", defaults.Issuer),
            Audience = read.Text("Auth:Audience", defaults.Audience),
            Authority = read.Text("Auth:Authority"),
            RoleClaim = read.Text("Auth:RoleClaim", defaults.RoleClaim),
            DepartmentClaim = read.Text("Auth:DepartmentClaim", defaults.DepartmentClaim),
            RequireHttpsMetadata = read.Flag("Auth:RequireHttpsMetadata", defaults.RequireHttpsMetadata),
            KeyRefreshMinutes = read.WholeInt("Auth:KeyRefreshMinutes", defaults.KeyRefreshMinutes, minimum: 0),
            UnknownKeyRefreshSeconds = read.WholeInt("Auth:UnknownKeyRefreshSeconds", defaults.UnknownKeyRefreshSeconds, minimum: 0),
            SigningKey = read.Text("Auth:SigningKey"),
            SigningKeyFile = read.Text("Auth:SigningKeyFile", defaults.SigningKeyFile),
        };
    }

    /// <summary>The local symmetric key, created on first use (0600) so every later run and the token command agree.</summary>
    public SymmetricSecurityKey LocalSigningKey()
    {
        if (SigningKey is { Length: > 0 }) return new SymmetricSecurityKey(Convert.FromBase64String(SigningKey));
        var path = Path.GetFullPath(SigningKeyFile);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var fresh = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(fresh);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first: use theirs.
            }
        }
        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
