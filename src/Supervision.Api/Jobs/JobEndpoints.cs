namespace Supervision.Api.Jobs;

/// <summary>
/// <c>GET /api/jobs/{id}</c>: a job's state, progress and outcome, for the department that started it and those above it
/// (<see cref="ReadAccess.MayReadJob"/>); anyone else gets the 404 of a missing job. A job still marked running whose node stopped
/// beating is failed here, by whichever node is asked first.
/// </summary>
public static class JobEndpoints
{
    [Authorize]
    [WolverineGet("/api/jobs/{jobId}"), Tags("Jobs")]
    public static async Task<IResult> Get(Guid jobId, ClaimsPrincipal user, JobStore store, JobRunner runner, IQuerySession session, CancellationToken ct)
    {
        var job = await store.GetAsync(jobId, ct);
        if (job is null) return Readers.NotFound("job");
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (!ReadAccess.MayReadJob(reader, job.DepartmentId is { } department ? places.Place(department) : null)) return Readers.NotFound("job");
        if (job.State is JobStates.Queued or JobStates.Running && await store.FailIfStaleAsync(jobId, runner.StaleAfter, ct))
            job = (await store.GetAsync(jobId, ct))!;
        return Results.Ok(job);
    }
}
