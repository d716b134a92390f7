using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Supervision.Api.Tests.Harness;

/// <summary>The host on a real Kestrel socket on 127.0.0.1, for clients outside the process such as a headless browser.</summary>
public class KestrelApp : SupervisionApp
{
    public KestrelApp() => UseKestrel(0);

    public override Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    public string BaseAddress => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
}

/// <summary>
/// A Kestrel host whose business "now" is the end of March 2026, so a March 2026 scenario's result deadlines (April) lie
/// ahead: their durable reminders stay scheduled instead of firing mid-test and racing the test's own commands.
/// </summary>
public sealed class March2026KestrelApp : KestrelApp
{
    protected override TimeProvider? Clock { get; } = new FakeTimeProvider(March2026App.EndOfMarch);
}

/// <inheritdoc cref="March2026KestrelApp"/>
public sealed class March2026App : SupervisionApp
{
    public static readonly DateTimeOffset EndOfMarch = new(2026, 3, 31, 12, 0, 0, TimeSpan.FromHours(8));

    protected override TimeProvider? Clock { get; } = new FakeTimeProvider(EndOfMarch);
}
