using System.Diagnostics;
using Supervision.Api.Jobs;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>
/// <c>POST /api/admin/read-models/rebuild-jobs</c> (issue 14): the rebuild of <c>POST /api/admin/read-models/rebuild</c> as a job
/// resource, answered at once with <c>202 Accepted</c> and <c>Location: /api/jobs/{id}</c>, which reports the phase (pass, indexes,
/// swap, done), events done of those in the log at the start, elapsed time and an estimate, and ends with the synchronous
/// endpoint's report. Only system administrators start it and read it (the job belongs to no department). One rebuild at a time:
/// a second job while one is queued or running, or while a synchronous rebuild runs, gets 409.
/// </summary>
public static class ReadModelRebuildJobEndpoint
{
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/admin/read-models/rebuild-jobs"), Tags("Integrity")]
    public static async Task<IResult> Post(string? scope, ClaimsPrincipal user, JobRunner jobs, IDocumentStore store, SupervisionSettings settings, CancellationToken ct)
    {
        if (scope is not (null or "reporting" or "all"))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("scope", "rebuild.scope", "'scope' is reporting (the default) or all.")]));
        var work = new ReadModelRebuildJob(store, settings, scope == "all" ? ReadModelRebuild.Projections : ReadModelRebuild.ReportingProjections);
        // A synchronous rebuild holds the advisory lock, not a job row: ask the lock too, so the client hears 409 now rather than from the job.
        var id = await ReadModelRebuild.IsRunningAsync(store, settings, ct) ? null : await jobs.StartSoleAsync(work, user, null, ct);
        return id is null
            ? Results.Problem(ProblemResponses.FromErrors([DomainError.Conflict("scope", "rebuild.running", "A rebuild is already running; try again when it has finished.")]))
            : Results.Accepted($"/api/jobs/{id}", new { id, state = JobStates.Queued, location = $"/api/jobs/{id}" });
    }
}

/// <summary>
/// The rebuild as <see cref="IJobWork"/>: progress after each batch (at most a few times a second, and at every change of phase), its
/// success recorded inside the swap's own transaction, so a job failed meanwhile by another node (its heartbeat seen stale) cannot also
/// swap; a node that stops cancels the rebuild, which drops its green tables and swaps nothing.
/// </summary>
public sealed class ReadModelRebuildJob(IDocumentStore store, SupervisionSettings settings, IReadOnlyList<Type> projections, OnePassRebuildOptions? options = null) : IJobWork
{
    public const string JobKind = "read-model-rebuild";

    public string Kind => JobKind;

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        var lastPhase = "";
        var lastReport = 0L;
        async ValueTask Progress(ReadModelRebuildProgress p, CancellationToken token)
        {
            var now = Stopwatch.GetTimestamp();
            if (p.Phase == lastPhase && Stopwatch.GetElapsedTime(lastReport, now) < TimeSpan.FromMilliseconds(250)) return;
            (lastPhase, lastReport) = (p.Phase, now);
            await context.ReportAsync(p.EventsDone, p.EventsTotal, token, p.Phase);
        }

        try
        {
            var report = await ReadModelRebuild.RunAsync(store, settings, projections, ct, Progress, options,
                (connection, swapping, token) => context.SucceedWithinAsync(connection, JobOutcome.Success(swapping), swapping.EventsAtStart + swapping.EventsCaughtUp, token));
            return report is null
                ? JobOutcome.Failure(new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "A rebuild is already running; nothing was rebuilt. Try again when it has finished.",
                })
                : JobOutcome.Success(report);
        }
        catch (OnePassRebuild.RebuildNotConfirmedException)
        {
            // Failed by another node meanwhile: that failure stands, and the swap was rolled back.
            return JobOutcome.Failure(new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable, Title = "The job was failed meanwhile; nothing was swapped in." });
        }
    }
}
