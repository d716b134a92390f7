using Marten.Linq.MatchesSql;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Disclosure;

/// <summary>A case whose publication deadline passed (<see cref="PublicationOverdueRaised"/>) and whose result is still neither public nor withheld.</summary>
public sealed record OverduePublication(Guid CaseId, Guid TargetId, Guid PlanId, string TaskNumber, IReadOnlyList<Guid> DepartmentIds, DateOnly ResultsFormedOn,
    DateOnly Due, bool DueProvisional)
{
    public static OverduePublication From(InspectionCase c) => new(c.Id, c.TargetId, c.PlanId, c.TaskNumber, c.Departments.Select(d => d.DepartmentId).ToList(),
        c.PublicationDeadline!.ResultsFormedOn, c.PublicationDeadline.Due, c.PublicationDeadline.Provisional);
}

public static class OverduePublicationQueries
{
    /// <summary>
    /// <c>GET /api/publications/overdue</c>: the overdue publications the caller may read (their cases' scope, docs/access.md, filtered in
    /// PostgreSQL by <see cref="ReadScopes.Cases"/>), earliest deadline first, paged. A case leaves the list once its result is published
    /// or withheld; the overdue flag itself stays in its history.
    /// </summary>
    [WolverineGet("/api/publications/overdue"), Tags("Disclosure")]
    public static async Task<PagedResult<OverduePublication>> List(IQuerySession session, ClaimsPrincipal user, Guid? departmentId, int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var publications = session.DocumentStore.Options.Schema.For<ResultPublication>();
        var query = session.Query<InspectionCase>().Where(c => c.PublicationOverdue && c.Status != CaseStatus.Withdrawn)
            // Any publication document means the result was published or withheld (ResultPublished / ResultWithheld start its stream).
            .Where(c => c.MatchesSql($"not exists (select 1 from {publications} p where CAST(p.data ->> 'CaseId' as uuid) = d.id)"));
        if (departmentId is { } department) query = query.Where(c => c.Departments.Any(d => d.DepartmentId == department));
        var scope = ReadScopes.Cases(reader, places);
        return await Paging.PageAsync(query.Where(c => c.MatchesSql(scope.Sql, scope.Parameters)),
            q => q.OrderBy(c => c.PublicationDeadline!.Due).ThenBy(c => c.Id), OverduePublication.From, page, pageSize, session, ct);
    }
}
