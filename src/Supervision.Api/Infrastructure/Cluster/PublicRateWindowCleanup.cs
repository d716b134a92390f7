namespace Supervision.Api.Infrastructure.Cluster;

/// <summary>Removes ended windows every <c>Supervision:RateWindowCleanupIntervalMinutes</c> (10 by default), on one node.</summary>
public sealed class PublicRateWindowCleanup(PublicRateWindows windows, SupervisionSettings settings, ILogger<PublicRateWindowCleanup> logger, PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.RateWindowCleanup, logger, leadership)
{
    protected override Task RunOnceAsync(CancellationToken ct) => windows.DeleteEndedAsync(ct);
}
