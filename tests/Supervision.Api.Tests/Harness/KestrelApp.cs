using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Api.Tests.Harness;

/// <summary>The host on a real Kestrel socket on 127.0.0.1, for clients outside the process such as a headless browser.</summary>
public sealed class KestrelApp : SupervisionApp
{
    public KestrelApp() => UseKestrel(0);

    public override Task InitializeAsync()
    {
        StartServer();
        return Task.CompletedTask;
    }

    public string BaseAddress => Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
}
