using System.Text.Json;

namespace Supervision.Api.Jobs;

/// <summary>Where a job is: <c>queued</c> (accepted, not started), <c>running</c>, and one of the two ends, which are final.</summary>
public static class JobStates
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// How a job ended, as the synchronous request would have answered: the status code and the body (the import's report, or the
/// problem details of a rejection).
/// </summary>
public sealed record JobOutcome(bool Succeeded, int Status, object Body)
{
    public static JobOutcome Success(object body) => new(true, StatusCodes.Status200OK, body);
    public static JobOutcome Failure(Microsoft.AspNetCore.Mvc.ProblemDetails problem) => new(false, problem.Status ?? StatusCodes.Status400BadRequest, problem);
}

/// <summary>
/// <c>GET /api/jobs/{id}</c>: the job as a client follows it. Times are the database's clock (every node agrees on it); the estimate
/// of what remains is the elapsed time scaled by the rows still to do, given only while running with a known total.
/// </summary>
public sealed record JobView(
    Guid Id, string Kind, string State, long RowsDone, long? RowsTotal, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    double ElapsedSeconds, double? EstimatedRemainingSeconds, string StartedBy, Guid? DepartmentId, int? OutcomeStatus, JsonElement? Outcome,
    string? FailureReason, string? Phase = null);

/// <summary>
/// Long work run as a job (the target import, the read-model rebuild). <see cref="RunAsync"/> reports rows through the
/// context and returns the outcome; work that commits a transaction records its success inside that transaction with
/// <see cref="JobContext.SucceedWithinAsync"/>, so that a job declared failed meanwhile (its node seen dead) cannot also commit.
/// </summary>
public interface IJobWork
{
    string Kind { get; }
    Task<JobOutcome> RunAsync(JobContext context, CancellationToken ct);
}

/// <summary>What a running job may tell its record: progress (rows done, rows total when known) and, inside its own transaction, success.</summary>
public sealed class JobContext(Guid jobId, JobStore store, Func<Guid, long, Task> observer)
{
    private long rowsDone;
    private long? rowsTotal;

    public Guid JobId { get; } = jobId;

    /// <summary>True once <see cref="SucceedWithinAsync"/> recorded the outcome in the work's own transaction.</summary>
    internal bool RecordedWithin { get; private set; }

    internal long RowsDone => Interlocked.Read(ref rowsDone);
    internal long? RowsTotal => rowsTotal;

    /// <summary>Records progress at once (also the node's heartbeat); called after each chunk, so a few hundred times for a million rows.</summary>
    public async Task ReportAsync(long done, long? total, CancellationToken ct, string? phase = null)
    {
        Interlocked.Exchange(ref rowsDone, done);
        if (total is not null) rowsTotal = total;
        await store.ProgressAsync(JobId, done, rowsTotal, ct, phase);
        await observer(JobId, done);
    }

    /// <summary>
    /// Marks the job succeeded on <paramref name="connection"/>, inside the transaction that is about to commit the work; false when the
    /// job is no longer running (declared failed by a node that saw its heartbeat stop), and then the caller must not commit.
    /// </summary>
    public async Task<bool> SucceedWithinAsync(NpgsqlConnection connection, JobOutcome outcome, long rows, CancellationToken ct)
    {
        var done = await store.FinishAsync(connection, JobId, outcome, rows, null, ct);
        RecordedWithin = done;
        return done;
    }
}
