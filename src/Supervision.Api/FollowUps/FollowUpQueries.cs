using Marten.Linq.MatchesSql;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public sealed record FollowUpSummary(Guid Id, Guid CaseId, Guid TargetId, Guid DepartmentId, FollowUpStatus Status, DateOnly? ClosedOn, IReadOnlyList<Measure> Measures);

public static class FollowUpQueries
{
    /// <summary>Read one follow-up with its measures and their outcomes. A follow-up outside the caller's scope (docs/access.md) answers as one that does not exist.</summary>
    [WolverineGet("/api/follow-ups/{followUpId}"), Tags("FollowUps")]
    public static Task<IResult> Get(Guid followUpId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct) =>
        Readers.ReadOneAsync<FollowUpCase>(followUpId, user, session, "follow-up", MayRead, ct);

    public static bool MayRead(Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, FollowUpCase f) =>
        Supervision.Domain.Access.ReadAccess.MayReadFollowUp(reader,
            f.Measures.Select(m => m.OwnerDepartmentId).Prepend(f.DepartmentId).Distinct().Select(places.Place).ToList());

    /// <summary>
    /// Follow-ups of a department (<c>departmentId</c>), or those waiting for a department (<c>waitingFor</c>: measures it owns
    /// without an outcome), or those with an overdue measure (<c>overdue=true</c>).
    /// </summary>
    [WolverineGet("/api/follow-ups"), Tags("FollowUps")]
    public static async Task<PagedResult<FollowUpSummary>> List(IQuerySession session, ClaimsPrincipal user, Guid? departmentId, Guid? waitingFor, bool? overdue,
        int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<FollowUpCase>().AsQueryable();
        if (departmentId is { } department) query = query.Where(f => f.DepartmentId == department);
        if (waitingFor is { } owner)
            query = query.Where(f => f.MatchesSql("exists (select 1 from jsonb_array_elements(d.data -> 'Measures') m where (m ->> 'OwnerDepartmentId')::uuid = ? and m ->> 'Outcome' is null)", owner));
        if (overdue is true) query = query.Where(f => f.MatchesSql("exists (select 1 from jsonb_array_elements(d.data -> 'Measures') m where (m ->> 'Overdue')::boolean)"));
        var scope = ReadScopes.FollowUps(reader, places);
        return await Paging.PageAsync(query.Where(f => f.MatchesSql(scope.Sql, scope.Parameters)), followUps => followUps.OrderBy(f => f.Id),
            f => new FollowUpSummary(f.Id, f.CaseId, f.TargetId, f.DepartmentId, f.Status, f.ClosedOn, f.Measures), page, pageSize, session, ct);
    }
}
