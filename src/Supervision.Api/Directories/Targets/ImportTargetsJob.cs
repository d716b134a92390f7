using Supervision.Api.Jobs;

namespace Supervision.Api.Directories.Targets;

/// <summary>
/// <c>POST /api/targets/import-jobs</c>: the same import as <c>POST /api/targets/import</c>, answered at once with <c>202 Accepted</c>
/// and <c>Location: /api/jobs/{id}</c> once the body is received; the job then reports rows read and ends with the report the
/// synchronous import gives, or with its problem details (and then nothing of the file was written). A separate route rather than
/// <c>Prefer: respond-async</c>, so that a client and the OpenAPI document see which answer they get.
/// </summary>
public static class ImportTargetsJobEndpoint
{
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets/import-jobs"), Tags("Targets")]
    public static async Task<IResult> Post(HttpRequest request, ClaimsPrincipal user, JobRunner jobs, IDocumentStore store, SupervisionSettings settings,
        CancellationToken ct)
    {
        var (path, sha, lines) = await ImportTargetsEndpoint.SpoolAsync(request, settings.ImportMaxBytes, ct);
        try
        {
            var correlation = request.Headers[ActorMetadata.CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 200 } given ? given : null;
            var work = new TargetImportJob(path, sha, user, correlation, store, settings.TargetImportWrites == SupervisionSettings.RowByRowImportWrites,
                request.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<TargetImportJob>());
            var id = await jobs.StartAsync(work, user, Math.Max(0, lines - 1), ct);
            return Results.Accepted($"/api/jobs/{id}", new { id, state = JobStates.Queued, location = $"/api/jobs/{id}" });
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }
}

/// <summary>
/// A spooled target file imported as a job: one session and one transaction for the whole file, as the synchronous import; the job's
/// success is recorded inside that transaction, so the file's rows and "succeeded" commit together or not at all.
/// </summary>
public sealed class TargetImportJob(string path, string sha, ClaimsPrincipal user, string? correlation, IDocumentStore store, bool rowByRow, ILogger logger) : IJobWork
{
    public string Kind => "target-import";

    public async Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            session.CorrelationId = correlation ?? $"job:{context.JobId}";
            session.CausationId = $"job:{context.JobId}";
            ActorMetadata.Stamp(session, user);
            var outcome = await ImportTargetsEndpoint.LoadFileAsync(path, sha, user, session, rowByRow, rows => context.ReportAsync(rows, null, ct), ct, logger);
            if (outcome.Errors.Count > 0) return JobOutcome.Failure(ProblemResponses.ImportRows(outcome.Errors));
            var report = ImportTargetsEndpoint.Complete(outcome, session);
            var success = JobOutcome.Success(report);
            if (!await context.SucceedWithinAsync((Npgsql.NpgsqlConnection)session.Connection!, success, outcome.Rows, ct))
                return success; // already failed by another node; disposing the session rolls the file back
            await session.SaveChangesAsync(ct);
            return success;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
