using Marten.Linq.MatchesSql;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public sealed record PlanSummary(Guid Id, string Number, string Name, Guid DepartmentId, int Year, PlanStatus Status, int Revision, int Tasks, bool AdHoc, long Version);

/// <summary>What the public may see of a plan: every publication (公示), newest first, and nothing that was never published.</summary>
public sealed record PublicPlan(Guid Id, string Number, string Name, string Department, int Year, bool Voided, bool AdHoc,
    PlanPublication Current, IReadOnlyList<PlanPublication> History);

public static class PlanQueries
{
    /// <summary>List the annual plans the caller may read, filtered by department, year or status, paged.</summary>
    [WolverineGet("/api/plans"), Tags("Plans")]
    public static async Task<PagedResult<PlanSummary>> List(IQuerySession session, ClaimsPrincipal user, Guid? departmentId, int? year, PlanStatus? status, int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<AnnualPlan>().AsQueryable();
        if (departmentId is { } department) query = query.Where(p => p.DepartmentId == department);
        if (year is { } y) query = query.Where(p => p.Year == y);
        if (status is { } s) query = query.Where(p => p.Status == s);
        var scope = ReadScopes.Plans(reader, places);
        // Plan numbers are unique per department and year; the id breaks the remaining ties, so pages never overlap.
        return await Paging.PageAsync(query.Where(p => p.MatchesSql(scope.Sql, scope.Parameters)), plans => plans.OrderBy(p => p.Year).ThenBy(p => p.Number).ThenBy(p => p.Id),
            p => new PlanSummary(p.Id, p.Number, p.Name, p.DepartmentId, p.Year, p.Status, p.Revision, p.Tasks.Count, p.AdHoc, p.Version), page, pageSize, session, ct);
    }

    /// <summary>Read one annual plan with its status and tasks. A plan outside the caller's scope (docs/access.md) answers as one that does not exist.</summary>
    [WolverineGet("/api/plans/{planId}"), Tags("Plans")]
    public static Task<IResult> Get(Guid planId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct) =>
        Readers.ReadOneAsync<AnnualPlan>(planId, user, session, "plan", MayRead, ct);

    public static bool MayRead(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places, AnnualPlan plan) =>
        ReadAccess.MayReadPlanning(reader, places.Place(plan.DepartmentId), plan.Tasks.SelectMany(t => t.Definition.Participants.Select(p => p.DepartmentId)));

    /// <summary>Published plans, anonymously: numbers, names, types, ratios, matters, scope in words, departments, windows, adjustments.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/plans"), Tags("Public")]
    /// <remarks>Paged in SQL (issue 14): at most <c>pageSize</c> (default and at most 500) a page, the total in <c>X-Total-Count</c>, the next page in <c>Link</c>.</remarks>
    public static async Task<IReadOnlyList<PublicPlan>> PublicList([ReadReplica] IQuerySession session, HttpContext http, Guid? departmentId, int? year,
        int? page, int? pageSize, CancellationToken ct)
    {
        var query = session.Query<AnnualPlan>().Where(p => p.Publications.Any());
        if (departmentId is { } department) query = query.Where(p => p.DepartmentId == department);
        if (year is { } y) query = query.Where(p => p.Year == y);
        return await Paging.ArrayPageAsync(query.OrderBy(p => p.Year).ThenBy(p => p.Number).ThenBy(p => p.Id), ToPublic, page, pageSize, http, ct);
    }

    /// <summary>Read one published plan's frozen public copy, with its tasks and every adjustment.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/plans/{planId}"), Tags("Public")]
    public static async Task<IResult> PublicGet(Guid planId, [ReadReplica] IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<AnnualPlan>(planId, ct) is { Publications.Count: > 0 } plan
            ? Results.Ok(ToPublic(plan))
            : Results.Problem(statusCode: 404, title: "No published plan with this id.");

    private static PublicPlan ToPublic(AnnualPlan plan) =>
        new(plan.Id, plan.Number, plan.Publications[^1].Name, plan.Publications[^1].Department, plan.Year, plan.Status == PlanStatus.Voided, plan.AdHoc,
            plan.Publications[^1], plan.Publications.Reverse().ToList());
}
