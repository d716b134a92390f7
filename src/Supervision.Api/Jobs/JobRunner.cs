using System.Collections.Concurrent;

namespace Supervision.Api.Jobs;

/// <summary>Told of every progress report of a job; tests hold a job at a known point with it instead of sleeping. None by default.</summary>
public interface IJobObserver
{
    Task ProgressReportedAsync(Guid jobId, long rowsDone);

    /// <summary>After the job's end was recorded (or found already recorded by another node).</summary>
    void JobEnded(Guid jobId);
}

internal sealed class NoJobObserver : IJobObserver
{
    public Task ProgressReportedAsync(Guid jobId, long rowsDone) => Task.CompletedTask;
    public void JobEnded(Guid jobId) { }
}

/// <summary>
/// Runs jobs on this node in the background, beats their heart every <c>Supervision:JobHeartbeatSeconds</c> (5 by default) and ends
/// them: with the work's outcome, with a failure when the work throws, or, when the node stops, with a failure saying so. A node that
/// dies without stopping leaves its jobs' heartbeats to age; <c>GET /api/jobs/{id}</c> on any node then fails them after
/// <c>Supervision:JobStaleSeconds</c> (60 by default).
/// </summary>
public sealed class JobRunner(JobStore store, IJobObserver observer, SupervisionSettings settings, ILogger<JobRunner> logger) : BackgroundService
{
    /// <summary>This process: a restarted node is another node, so its predecessor's jobs age out and fail.</summary>
    public string Node { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private readonly ConcurrentDictionary<Guid, (JobContext Context, Task Run)> running = new();
    private readonly CancellationTokenSource stopping = new();

    public TimeSpan StaleAfter { get; } = settings.Jobs.StaleAfter;

    /// <summary>Records the job as queued (owned by this node, readable by the starter's department) and starts it.</summary>
    public async Task<Guid> StartAsync(IJobWork work, ClaimsPrincipal user, long? rowsTotal, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var department = Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var d) ? d : (Guid?)null;
        await store.CreateAsync(id, work.Kind, Node, user.FindFirstValue(AuthSettings.ClaimUserId) ?? "", department, rowsTotal, ct);
        Run(work, id);
        return id;
    }

    /// <summary>
    /// Starts a job of which one at a time may exist on all nodes (the read-model rebuild): null while another job of its kind is queued or
    /// running. The job belongs to no department, so only system administrators read it (<see cref="Supervision.Domain.Access.ReadAccess.MayReadJob"/>).
    /// </summary>
    public async Task<Guid?> StartSoleAsync(IJobWork work, ClaimsPrincipal user, long? rowsTotal, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        if (!await store.CreateUnlessRunningAsync(id, work.Kind, Node, user.FindFirstValue(AuthSettings.ClaimUserId) ?? "", null, rowsTotal, StaleAfter, ct)) return null;
        Run(work, id);
        return id;
    }

    private void Run(IJobWork work, Guid id)
    {
        var context = new JobContext(id, store, observer.ProgressReportedAsync);
        var run = Task.Run(() => RunAsync(work, context), CancellationToken.None);
        running[id] = (context, run);
        _ = run.ContinueWith(_ => running.TryRemove(id, out var _), TaskScheduler.Default);
    }

    private async Task RunAsync(IJobWork work, JobContext context)
    {
        var ct = stopping.Token;
        try
        {
            if (!await store.StartAsync(context.JobId, ct)) return;
            var outcome = await work.RunAsync(context, ct);
            if (!context.RecordedWithin)
                await store.FinishAsync(null, context.JobId, outcome, outcome.Succeeded ? context.RowsDone : null, null, CancellationToken.None);
        }
        catch (Exception e)
        {
            var nodeStopping = stopping.IsCancellationRequested;
            if (!nodeStopping) logger.LogError(e, "Job {JobId} ({Kind}) failed.", context.JobId, work.Kind);
            var reason = nodeStopping ? $"node {Node} stopped before the job finished" : $"the job failed: {e.GetType().Name}";
            var problem = e is JasperFx.ConcurrencyException
                ? new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Records this job changes were changed by someone else meanwhile; nothing was written. Start it again." }
                : new ProblemDetails
                {
                    Status = nodeStopping ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
                    Title = $"The job did not finish ({reason}); nothing of it was written.",
                };
            try { await store.FinishAsync(null, context.JobId, JobOutcome.Failure(problem), null, reason, CancellationToken.None); }
            catch (Exception recording) { logger.LogWarning(recording, "Job {JobId}: its failure could not be recorded; it will be failed when its heartbeat is seen stale.", context.JobId); }
        }
        finally
        {
            observer.JobEnded(context.JobId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Jobs.Heartbeat);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await store.HeartbeatAsync(running.Keys.ToArray(), stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Job heartbeat failed; retrying."); }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Stopping the node cancels its jobs (their transactions roll back) and records each as failed, naming the node.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The host may stop a service twice (a test host's dispose after its stop); the second time there is nothing left to stop.
        if (disposed) return;
        await stopping.CancelAsync();
        try { await Task.WhenAll(running.Values.Select(r => r.Run)).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken); }
        catch (Exception e) { logger.LogWarning(e, "Jobs still running at shutdown; they will be failed when their heartbeat is seen stale."); }
        await base.StopAsync(cancellationToken);
    }

    private volatile bool disposed;

    public override void Dispose()
    {
        disposed = true;
        stopping.Dispose();
        base.Dispose();
    }
}

public static class JobsSetup
{
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddSingleton<JobStore>();
        services.AddSingleton<IJobObserver, NoJobObserver>();
        services.AddSingleton<JobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        return services;
    }
}
