namespace Supervision.Api.Infrastructure;

/// <summary>
/// Work every node repeats on a timer, set by <c>Supervision:{setting}</c> in minutes (0 turns it off). The work must be
/// safe to run on several nodes at once; a failure (the database restarting) is logged and the next tick tries again.
/// </summary>
public abstract class PeriodicJob(IConfiguration configuration, ILogger logger, string setting, int defaultMinutes) : BackgroundService
{
    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = int.TryParse(configuration[$"Supervision:{setting}"], out var m) ? m : defaultMinutes;
        if (minutes <= 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Job} failed; retrying at the next interval.", GetType().Name);
            }
        }
    }
}
