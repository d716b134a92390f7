using Supervision.Api.Infrastructure.Cluster;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// Work done on a timer, set by <c>Supervision:{setting}</c> in minutes (fractions allowed; 0 turns it off), by one node of the
/// cluster at a time: every node keeps the timer, and at each tick only the node holding <see cref="PeriodicJobLeadership"/>
/// runs the work. The work must still be safe to run on two nodes at once (a leader may not yet know it lost the lock); a
/// failure (the database restarting) is logged and the next tick tries again.
/// </summary>
public abstract class PeriodicJob(IConfiguration configuration, ILogger logger, PeriodicJobLeadership leadership, string setting, int defaultMinutes)
    : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = double.TryParse(configuration[$"Supervision:{setting}"], NumberStyles.Float, CultureInfo.InvariantCulture, out var m) ? m : defaultMinutes;
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!leadership.IsLeader) { leadership.RecordPassedUp(GetType().Name); continue; }
            try
            {
                leadership.RecordRun(GetType().Name);
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Job} failed; retrying at the next interval.", GetType().Name);
            }
        }
    }
}
