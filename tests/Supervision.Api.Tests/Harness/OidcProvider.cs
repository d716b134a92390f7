using System.ComponentModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Supervision.Api.Tests.Harness;

/// <summary>A client the provider knows, the claims it puts in every access token it gets, and how a token of it is misissued on purpose.</summary>
public sealed record OidcClient(string ClientId, IReadOnlyDictionary<string, object> Claims, OidcMisissue? Misissue = null)
{
    public string Secret { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

/// <summary>The provider signs, with its real key, a token naming another issuer or one already expired.</summary>
public sealed record OidcMisissue(string? Issuer = null, int? ExpiresInSeconds = null);

/// <summary>
/// A real OpenID Provider (the certified <c>oidc-provider</c> npm package, tests/oidc-provider/server.mjs) in a Node.js process on a
/// loopback port. It installs its packages with <c>npm ci</c> when they are missing; without Node.js it fails, never skips.
/// </summary>
public sealed class OidcProvider : IAsyncDisposable
{
    public static string Directory => Path.Combine(RepositoryPaths.Root, "tests", "oidc-provider");

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly Process process;
    private readonly string harnessSecret;
    private readonly StringBuilder errors;

    public string Issuer { get; }

    private OidcProvider(Process process, string harnessSecret, StringBuilder errors, string issuer)
    {
        this.process = process;
        this.harnessSecret = harnessSecret;
        this.errors = errors;
        Issuer = issuer;
    }

    /// <param name="resources">resource indicator URI → the audience its tokens carry.</param>
    /// <param name="keyIds">The published JWKS; the first key signs.</param>
    public static async Task<OidcProvider> StartAsync(IEnumerable<OidcClient> clients, IReadOnlyDictionary<string, string> resources, params string[] keyIds)
    {
        await EnsurePackagesAsync();
        var config = new JsonObject
        {
            ["clients"] = new JsonArray(clients.Select(c => (JsonNode)new JsonObject
            {
                ["client_id"] = c.ClientId,
                ["client_secret"] = c.Secret,
                ["claims"] = JsonSerializer.SerializeToNode(c.Claims),
                ["overrides"] = c.Misissue is { } m ? new JsonObject { ["iss"] = m.Issuer, ["expiresInSeconds"] = m.ExpiresInSeconds } : null,
            }).ToArray()),
            ["resources"] = JsonSerializer.SerializeToNode(resources),
            ["kids"] = JsonSerializer.SerializeToNode(keyIds),
        };
        var harnessSecret = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = Directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment = { ["OIDC_CONFIG"] = config.ToJsonString(), ["OIDC_HARNESS_SECRET"] = harnessSecret },
        };
        info.ArgumentList.Add("server.mjs");
        var process = StartOrExplain(info);
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? issuer;
        try
        {
            // The one line the server prints once it listens: {"issuer":"http://127.0.0.1:PORT"}.
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            issuer = line is null ? null : JsonNode.Parse(line)?["issuer"]?.GetValue<string>();
        }
        catch (OperationCanceledException)
        {
            issuer = null;
        }
        if (issuer is null)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The OIDC test provider did not start: {errors}");
        }
        var provider = new OidcProvider(process, harnessSecret, errors, issuer);
        await provider.WaitForDiscoveryAsync(timeout.Token);
        return provider;
    }

    /// <summary>
    /// The discovery document answering is what "ready" means for its clients (the API among them). The server prints its
    /// issuer line from inside listen()'s callback, so by then it accepts connections: one request decides, no polling.
    /// </summary>
    private async Task WaitForDiscoveryAsync(CancellationToken cancellation)
    {
        try
        {
            using var response = await Http.GetAsync(Issuer + "/.well-known/openid-configuration", cancellation);
            if (response.IsSuccessStatusCode) return;
            throw new InvalidOperationException($"The OIDC test provider at {Issuer} answered discovery with {(int)response.StatusCode}: {Errors}");
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            var exited = process.HasExited ? $" (exited {process.ExitCode})" : "";
            throw new InvalidOperationException($"The OIDC test provider at {Issuer} did not serve its discovery document{exited}: {Errors}", e);
        }
    }

    private string Errors { get { lock (errors) return errors.ToString(); } }

    /// <summary>An access token from the client_credentials grant for <paramref name="resource"/> (RFC 8707 resource indicator).</summary>
    public async Task<string> TokenAsync(OidcClient client, string resource)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Issuer + "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["scope"] = "api",
                ["resource"] = resource,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.Secret)}")));
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"The provider refused a token to {client.ClientId}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>Publishes a new JWKS (the first key signs from now on), as a provider rotating its keys does.</summary>
    public async Task RotateKeysAsync(params string[] keyIds)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Issuer + "/__harness/keys")
        {
            Content = JsonContent.Create(new { kids = keyIds }),
        };
        request.Headers.Add("x-harness-secret", harnessSecret);
        using var response = await Http.SendAsync(request);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Key rotation failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<JsonNode> DiscoveryAsync() =>
        JsonNode.Parse(await Http.GetStringAsync(Issuer + "/.well-known/openid-configuration"))!;

    public async Task<JsonNode> JwksAsync() =>
        JsonNode.Parse(await Http.GetStringAsync((await DiscoveryAsync())["jwks_uri"]!.GetValue<string>()))!;

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    private static Process StartOrExplain(ProcessStartInfo info)
    {
        try
        {
            return Process.Start(info)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{info.FileName}' could not be started ({e.Message}). The OIDC tests need Node.js 20 or later and npm on PATH " +
                "(Debian 12's own nodejs package is 18, too old); they run a real OpenID Provider from tests/oidc-provider.", e);
        }
    }

    /// <summary><c>npm ci</c> from the committed lock file, once, when node_modules is missing (a fresh clone, CI).</summary>
    private static async Task EnsurePackagesAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(Directory, "node_modules", "oidc-provider", "package.json"))) return;
            var info = new ProcessStartInfo("npm")
            {
                WorkingDirectory = Directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" }) info.ArgumentList.Add(argument);
            using var npm = StartOrExplain(info);
            var output = npm.StandardOutput.ReadToEndAsync();
            var errors = npm.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await npm.WaitForExitAsync(timeout.Token);
            if (npm.ExitCode != 0) throw new InvalidOperationException($"npm ci in {Directory} failed ({npm.ExitCode}): {await output}{await errors}");
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
