using Wolverine;

namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>What this node says about its part in the cluster: whether it runs the periodic jobs, and how often each ran here.</summary>
public sealed record ClusterStatus(string PeriodicJobs, DateTimeOffset? LeaderSince, IReadOnlyDictionary<string, int> JobRuns, string RateLimit,
    IReadOnlyDictionary<string, int>? JobTicksPassedUp = null);

/// <summary>
/// Several nodes as one service: periodic jobs on one node at a time (<see cref="PeriodicJobLeadership"/>), a dead node's
/// messages moved within seconds (<see cref="ClusterTimings"/>), one public rate limit for all nodes (<see cref="PublicRateWindows"/>).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<PeriodicJobLeadership>();
        services.AddHostedService(provider => provider.GetRequiredService<PeriodicJobLeadership>());
        services.AddSharedPublicRateLimit(configuration);
        return services;
    }

    public static void UseClusterTimings(this WolverineOptions options, IConfiguration configuration) =>
        ClusterTimings.From(configuration).ApplyTo(options);

    /// <summary><c>GET /health/cluster</c>: for operators and the cluster tests; anonymous like the other health answers.</summary>
    public static void MapClusterStatus(this WebApplication app) =>
        app.MapGet("/health/cluster", (PeriodicJobLeadership leadership, PublicRateWindows windows) => new ClusterStatus(
                leadership.IsLeader ? "leader" : "standby",
                leadership.LeaderSince,
                leadership.Runs.ToDictionary(),
                windows.CountingLocally ? "local (PostgreSQL unreachable)" : "shared",
                leadership.PassedUp.ToDictionary()))
            .AllowAnonymous()
            .ExcludeFromDescription();
}
