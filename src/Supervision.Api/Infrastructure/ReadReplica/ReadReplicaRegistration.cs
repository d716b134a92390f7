using Supervision.Api.Infrastructure.ReadReplica;

// In the host's namespace, so SupervisionHost needs one line (the call) and no using.
namespace Supervision.Api.Infrastructure;

public static class ReadReplicaRegistration
{
    /// <summary>The replica settings, its monitor and the session opener behind <see cref="ReadReplicaAttribute"/>.</summary>
    public static WebApplicationBuilder AddSupervisionReadReplica(this WebApplicationBuilder builder, ReadReplicaSettings settings)
    {
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(new ReplicaMonitorClock(TimeProvider.System));
        builder.Services.AddSingleton<ReplicaMonitor>();
        builder.Services.AddSingleton<ReplicaReads>();
        return builder;
    }
}
