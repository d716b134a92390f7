namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>What this node says about its part in the cluster: whether it runs the periodic jobs, and how often each ran here.</summary>
/// <param name="Reached">Only on a long-poll (<c>waitFor</c>, <c>minRuns</c>, <c>minPassedUp</c>): whether the condition held before the timeout.</param>
public sealed record ClusterStatus(string PeriodicJobs, DateTimeOffset? LeaderSince, IReadOnlyDictionary<string, int> JobRuns, string RateLimit,
    IReadOnlyDictionary<string, int>? JobTicksPassedUp = null, bool? Reached = null);

/// <summary>
/// Several nodes as one service: periodic jobs on one node at a time (<see cref="PeriodicJobLeadership"/>), a dead node's
/// messages moved within seconds (<see cref="ClusterTimings"/>), one public rate limit for all nodes (<see cref="PublicRateWindows"/>).
/// </summary>
public static class ClusterSetup
{
    public static IServiceCollection AddCluster(this IServiceCollection services, SupervisionSettings settings)
    {
        services.AddSingleton<PeriodicJobLeadership>();
        services.AddHostedService(provider => provider.GetRequiredService<PeriodicJobLeadership>());
        services.AddSharedPublicRateLimit(settings.PublicRequestsPerMinute);
        return services;
    }

    /// <summary>The longest a caller may hold <c>GET /health/cluster</c> open waiting for a condition.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>GET /health/cluster</c>: for operators and the cluster tests; anonymous like the other health answers. As a long-poll,
    /// <c>?waitFor=leader|standby</c>, <c>minRuns=N</c> and <c>minPassedUp=N</c> (each periodic job of this node ran, or passed up, at
    /// least N ticks) hold the answer until all hold or <c>timeout</c> (milliseconds, at most 60,000; 30,000 unless given) passes: the
    /// node answers the moment its state changes to match, woken by the change itself, and says in <c>reached</c> whether it did.
    /// </summary>
    public static void MapClusterStatus(this WebApplication app) =>
        app.MapGet("/health/cluster", async (PeriodicJobLeadership leadership, PublicRateWindows windows, IEnumerable<IHostedService> services,
                string? waitFor, int? minRuns, int? minPassedUp, int? timeout, CancellationToken ct) =>
            {
                var errors = new List<DomainError>();
                if (waitFor is not (null or "leader" or "standby"))
                    errors.Add(DomainError.Invalid("waitFor", "cluster.wait-for", "'waitFor' is leader or standby."));
                if (minRuns < 0 || minPassedUp < 0)
                    errors.Add(DomainError.Invalid(minRuns < 0 ? "minRuns" : "minPassedUp", "cluster.wait-minimum", "A minimum count is 0 or more."));
                if (timeout is < 0 || timeout > MaxWait.TotalMilliseconds)
                    errors.Add(DomainError.Invalid("timeout", "cluster.wait-timeout", $"'timeout' is 0 to {MaxWait.TotalMilliseconds:0} milliseconds."));
                if (errors.Count > 0) return Results.Problem(ProblemResponses.FromErrors(errors));

                bool? reached = null;
                if (waitFor is not null || minRuns is not null || minPassedUp is not null)
                {
                    var jobs = services.OfType<PeriodicJob>().Select(j => j.GetType().Name).ToList();
                    reached = await leadership.WaitUntilAsync(node =>
                            (waitFor is null || waitFor == (node.IsLeader ? "leader" : "standby"))
                            && jobs.All(job => node.Runs.GetValueOrDefault(job) >= (minRuns ?? 0) && node.PassedUp.GetValueOrDefault(job) >= (minPassedUp ?? 0)),
                        TimeSpan.FromMilliseconds(timeout ?? 30_000), ct);
                }
                return Results.Ok(new ClusterStatus(
                    leadership.IsLeader ? "leader" : "standby",
                    leadership.LeaderSince,
                    leadership.Runs.ToDictionary(),
                    windows.CountingLocally ? "local (PostgreSQL unreachable)" : "shared",
                    leadership.PassedUp.ToDictionary(),
                    reached));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
}
