using Marten.Linq.MatchesSql;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Api.Draws;

public static class DrawQueries
{
    /// <summary>Read one draw: its status, sources, values, drawn targets and teams. A draw outside the caller's scope (docs/access.md: its plan's readers) answers as one that does not exist.</summary>
    [WolverineGet("/api/draws/{drawId}"), Tags("Draws")]
    public static async Task<IResult> Get(Guid drawId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct) =>
        await ReadableAsync(drawId, user, session, ct) is { } draw ? Results.Ok(DrawView.From(draw)) : Readers.NotFound("draw");

    private static async Task<Draw?> ReadableAsync(Guid drawId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (await session.Events.FetchLatest<Draw>(drawId, ct) is not { } draw) return null;
        var plan = await session.LoadAsync<AnnualPlan>(draw.PlanId, ct);
        return MayRead(reader, places, draw, plan) ? draw : null;
    }

    private static bool MayRead(Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, Draw draw, AnnualPlan? plan) =>
        Supervision.Domain.Access.ReadAccess.MayReadPlanning(reader, places.Place(draw.DepartmentId),
            plan?.Task(draw.TaskNumber)?.Definition.Participants.Select(p => p.DepartmentId) ?? []);

    /// <summary>List the draws the caller may read, optionally of one plan, paged.</summary>
    [WolverineGet("/api/draws"), Tags("Draws")]
    public static async Task<PagedResult<DrawView>> List(IQuerySession session, ClaimsPrincipal user, Guid? planId, int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<Draw>().AsQueryable();
        if (planId is { } id) query = query.Where(d => d.PlanId == id);
        var scope = Infrastructure.Auth.ReadScopes.Draws(reader, places, session.DocumentStore.Options.Schema.For<AnnualPlan>());
        // Plan and task numbers are ASCII, so the database's C collation orders them as the ordinal comparison did.
        return await Paging.PageAsync(query.Where(d => d.MatchesSql(scope.Sql, scope.Parameters)), draws => draws.OrderBy(d => d.PlanNumber).ThenBy(d => d.TaskNumber).ThenBy(d => d.Id),
            DrawView.From, page, pageSize, session, ct);
    }

    /// <summary>Everything needed to replay the draw offline (docs/draw-algorithm.md, section 10); for /2 also who stands behind each act.</summary>
    [WolverineGet("/api/draws/{drawId}/record"), Tags("Draws")]
    public static async Task<IResult> Record(Guid drawId, ClaimsPrincipal user, IDocumentSession session, DrawTargetsStore store, CancellationToken ct)
    {
        if (await ReadableAsync(drawId, user, session, ct) is not { } draw) return Readers.NotFound("draw");
        return draw.IsV2 ? await DrawLoading.RecordResultAsync(session, store, draw, publicRecord: false, ct)
            : Results.Ok(DrawRules.Record(draw, await DrawLoading.FilesAsync(session, store, draw.Id, ct)));
    }

    /// <summary>
    /// The commitment and the record's hash chain, public from the moment each exists: anyone can note them before the randomness,
    /// and check later that the record still ends in the same hash.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/draws/{drawId}/commitment"), Tags("Public")]
    public static async Task<IResult> Commitment(Guid drawId, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { } draw || draw.Status == DrawStatus.Proposed)
            return Results.Problem(statusCode: 404, title: "No committed draw with this id.");
        return Results.Ok(PublicDrawSummary.From(draw, Supervision.Api.Directories.Inspectors.InspectorAccess.Today(clock)));
    }

    /// <summary>
    /// The public record (docs/draw-algorithm.md, section 10): the staff record without the names behind the act fields, verifiable by the
    /// same verifiers against the published hashes. Readable at once or from the inspection window's first day, as the department set.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/draws/{drawId}/record"), Tags("Public")]
    public static async Task<IResult> PublicRecord(Guid drawId, [ReadReplica] IQuerySession session, DrawTargetsStore store, TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<Draw>(drawId, ct) is not { IsV2: true } draw || draw.Status == DrawStatus.Proposed)
            return Results.Problem(statusCode: 404, title: "No committed draw with this id.");
        if (!DrawRules.RecordIsPublic(draw, Supervision.Api.Directories.Inspectors.InspectorAccess.Today(clock)))
            return Results.Problem(statusCode: 404, title: "This draw's record is not public yet.",
                detail: $"The department publishes its draw records when the inspections start ({draw.WindowFrom:yyyy-MM-dd}); the record's hash is public now: {draw.RecordSha256}.");
        return await DrawLoading.RecordResultAsync(session, store, draw, publicRecord: true, ct);
    }
}
