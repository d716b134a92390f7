using System.Net.Http.Headers;
using Supervision.Api.Infrastructure.Auth;

namespace Supervision.Demo;

/// <summary>
/// <c>DemoCounty [--url URL]</c>: loads the demo county into the service at URL (default <c>SUPERVISION_URL</c>, else
/// http://127.0.0.1:5080) and prints the pages to look at. Tokens are signed with the local development key, exactly as
/// <c>ops/token.sh</c> signs them, so run it from <c>src/Supervision.Api</c> (where <c>dotnet run</c> runs the service and the token
/// command, and so where their <c>.data/dev-signing-key</c> is) against a service started by <c>ops/run.sh</c>; ops/demo.sh does.
/// </summary>
internal static class DemoProgram
{
    private static async Task<int> Main(string[] args)
    {
        var url = args is ["--url", var u, ..] ? u : Environment.GetEnvironmentVariable("SUPERVISION_URL") is { Length: > 0 } e ? e : "http://127.0.0.1:5080";
        var baseAddress = new Uri(url.TrimEnd('/') + "/");
        var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true).AddEnvironmentVariables().Build();
        var host = new ServiceHost(baseAddress, AuthSettings.From(configuration));
        try
        {
            var report = await new DemoCountyLoader(host, Console.Error).RunAsync();
            Console.WriteLine();
            Console.WriteLine("The demo county is loaded. Look at:");
            foreach (var link in report.Links)
            {
                Console.WriteLine($"  {link.Title}");
                var absolute = new Uri(baseAddress, link.Path.TrimStart('/')).AbsoluteUri;
                Console.WriteLine(link.ReadAs is { } actor
                    ? $"    curl -H \"Authorization: Bearer $(bash ops/token.sh {actor.UserId} {actor.Role} {actor.DepartmentId})\" '{absolute}'"
                    : $"    {absolute}");
            }
            Console.WriteLine(report.Writes == 0
                ? $"Nothing changed: every step was already done (event sequence {report.SequenceAfter})."
                : $"Events {report.SequenceBefore} → {report.SequenceAfter}. A second run changes nothing.");
            // A run that wrote nothing must leave the event sequence where it was: anything else means a step is not idempotent.
            if (report.Writes == 0 && report.SequenceAfter != report.SequenceBefore)
            {
                Console.Error.WriteLine($"demo: error: no step wrote, yet the event sequence moved from {report.SequenceBefore} to {report.SequenceAfter}");
                return 3;
            }
            return 0;
        }
        catch (DemoException failure)
        {
            Console.Error.WriteLine("demo: error: " + failure.Message);
            return 1;
        }
        catch (HttpRequestException failure)
        {
            Console.Error.WriteLine($"demo: error: no service answers at {baseAddress} ({failure.Message}); start one with bash ops/run.sh or set SUPERVISION_URL");
            return 1;
        }
    }

    /// <summary>A running service: tokens from the local key, the real clock, and a real wait for a witnessed moment.</summary>
    private sealed class ServiceHost(Uri baseAddress, AuthSettings auth) : IDemoHost
    {
        private readonly HttpClient shared = new() { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };

        public HttpClient ClientFor(DemoActor actor)
        {
            var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
            var token = TokenIssuer.Issue(auth, actor.UserId, [actor.Role], actor.DepartmentId, displayName: actor.UserId + " (demo)");
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public HttpClient Anonymous() => shared;

        public DateTimeOffset Now => DateTimeOffset.UtcNow;

        public async Task WaitUntilAsync(DateTimeOffset moment, CancellationToken ct)
        {
            var wait = moment - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1);
            if (wait <= TimeSpan.Zero) return;
            Console.Error.WriteLine($"demo: waiting {wait.TotalSeconds:0} s for the witnessed ceremony's moment ({moment:HH:mm:ss} UTC), declared before the 纪检 committed");
            await Task.Delay(wait, ct);
        }
    }
}
