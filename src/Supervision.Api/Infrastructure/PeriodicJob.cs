using Supervision.Api.Infrastructure.Cluster;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// Work done on a timer, every <paramref name="interval"/> (a setting of <see cref="Settings.PeriodicJobSettings"/>; zero turns it off), by one node of the
/// cluster at a time: every node keeps the timer, and at each tick only the node holding <see cref="PeriodicJobLeadership"/>
/// runs the work. The work must still be safe to run on two nodes at once (a leader may not yet know it lost the lock); a
/// failure (the database restarting) is logged and the next tick tries again.
/// </summary>
public abstract class PeriodicJob(TimeSpan interval, ILogger logger, PeriodicJobLeadership leadership)
    : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
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
