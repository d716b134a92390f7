using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Supervision.Api.Infrastructure.Observability;

public static class HealthChecks
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddSupervisionHealthChecks(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseReadiness>();
        services.AddHealthChecks().AddCheck<PostgresReadiness>("postgresql", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and PostgreSQL answers too.</summary>
    public static void MapSupervisionHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
    }

    private sealed class PostgresReadiness(DatabaseReadiness readiness) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await readiness.ProbeAsync(cancellationToken) is { } failure
                ? HealthCheckResult.Unhealthy("PostgreSQL does not answer.", failure)
                : HealthCheckResult.Healthy();
    }
}

/// <summary>
/// Whether PostgreSQL answers this node, as <c>/health/ready</c> reports it, and a way to wait until it does again
/// (<see cref="WaitForReadyAsync"/>) without asking in a loop: every probe, whoever asked for it, completes the waiters.
/// </summary>
public sealed class DatabaseReadiness(SupervisionSettings settings, ILogger<DatabaseReadiness> logger)
{
    private readonly object gate = new();
    private TaskCompletionSource readyAgain = NewSignal();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The outcome of the last probe (null before the first).</summary>
    public bool? Ready { get; private set; }

    /// <summary>Connects and runs <c>select 1</c> within 3 s; the failure, or null when PostgreSQL answered.</summary>
    public async Task<Exception?> ProbeAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The pooled connections opened before the outage are dead: dropped now, so the first probe after PostgreSQL is back
            // opens a new one and says "ready" at once, instead of failing once more on a stale socket.
            NpgsqlConnection.ClearPool(connection);
            Report(false);
            return e;
        }
        Report(true);
        return null;
    }

    private void Report(bool ready)
    {
        TaskCompletionSource? toComplete = null;
        lock (gate)
        {
            if (Ready == ready) return;
            Ready = ready;
            if (ready)
            {
                toComplete = readyAgain;
                readyAgain = NewSignal();
            }
        }
        if (ready) logger.LogInformation("PostgreSQL answers again; the node is ready.");
        toComplete?.TrySetResult();
    }

    /// <summary>
    /// Returns once PostgreSQL answers this node: at once when a probe now succeeds, otherwise when the next successful probe (by
    /// <c>/health/ready</c> or by this call, which probes again after each of <see cref="DatabaseResilience"/>'s backoff delays)
    /// reports it; <see cref="TimeoutException"/> after <paramref name="timeout"/>.
    /// </summary>
    public async Task WaitForReadyAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var delay = DatabaseResilience.FirstDelay;
        try
        {
            while (true)
            {
                Task signal;
                lock (gate) signal = readyAgain.Task;
                if (await ProbeAsync(deadline.Token) is null) return;
                // Someone else's probe may succeed first; otherwise this one tries again after the retry policy's delay.
                await Task.WhenAny(signal, Task.Delay(delay, deadline.Token));
                if (signal.IsCompleted) return;
                deadline.Token.ThrowIfCancellationRequested();
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, DatabaseResilience.MaxDelay.Ticks));
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"PostgreSQL did not answer this node within {timeout.TotalSeconds:0} s.");
        }
    }
}
