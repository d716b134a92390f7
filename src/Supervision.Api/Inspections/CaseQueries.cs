using Marten.Linq.MatchesSql;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed record CaseSummary(Guid Id, Guid TargetId, Guid PlanId, string TaskNumber, CaseStatus Status, DateOnly? Due, bool DueProvisional, bool Overdue,
    IReadOnlyList<string> Team, IReadOnlyDictionary<Guid, ReviewStatus> Review)
{
    public static CaseSummary From(InspectionCase c) => new(c.Id, c.TargetId, c.PlanId, c.TaskNumber, c.Status, c.Deadline?.Due, c.Deadline?.Provisional ?? false,
        c.Overdue, c.Team.Select(m => m.StaffCode).ToList(), c.Departments.ToDictionary(d => d.DepartmentId, d => d.Review));
}

public static class CaseQueries
{
    /// <summary>Read one inspection case with its team, results and deadline. A case outside the caller's scope (docs/access.md) answers as one that does not exist.</summary>
    [WolverineGet("/api/cases/{caseId}"), Tags("Cases")]
    public static Task<IResult> Get(Guid caseId, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct) =>
        Readers.ReadOneAsync<InspectionCase>(caseId, user, session, "case", MayRead, ct);

    public static bool MayRead(Reader reader, IReadOnlyDictionary<Guid, DepartmentPlace> places, InspectionCase c) =>
        ReadAccess.MayReadCase(reader, c.Departments.Select(d => places.Place(d.DepartmentId)).ToList(), c.Team.Select(m => (m.StaffCode, m.DepartmentId)));

    /// <summary>An inspector's cases: those whose team holds the caller (staff code = user id).</summary>
    [WolverineGet("/api/cases/mine"), Tags("Cases")]
    public static async Task<PagedResult<CaseSummary>> Mine(ClaimsPrincipal user, IQuerySession session, int? page, int? pageSize, CancellationToken ct)
    {
        var staffCode = user.FindFirstValue(AuthSettings.ClaimUserId)!.ToUpperInvariant();
        var department = Guid.TryParse(user.FindFirstValue(AuthSettings.ClaimDepartment), out var d) ? d : Guid.Empty;
        var cases = session.Query<InspectionCase>().Where(c => c.MatchesSql(
            "exists (select 1 from jsonb_array_elements(d.data -> 'Team') m where m ->> 'StaffCode' = ? and (m ->> 'DepartmentId')::uuid = ?)", staffCode, department));
        return await Paging.PageAsync(cases, ByDeadline, CaseSummary.From, page, pageSize, session, ct);
    }

    /// <summary>Earliest result deadline first, cases without one last (NULLs sort last ascending), then by id.</summary>
    private static IQueryable<InspectionCase> ByDeadline(IQueryable<InspectionCase> cases) => cases.OrderBy(c => c.Deadline!.Due).ThenBy(c => c.Id);

    /// <summary>A department's cases with status and deadline; <c>overdue=true</c> gives the overdue list.</summary>
    [WolverineGet("/api/cases"), Tags("Cases")]
    public static async Task<PagedResult<CaseSummary>> List(IQuerySession session, ClaimsPrincipal user, Guid? departmentId, Guid? planId, bool? overdue, CaseStatus? status,
        int? page, int? pageSize, CancellationToken ct)
    {
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        var query = session.Query<InspectionCase>().AsQueryable();
        if (planId is { } plan) query = query.Where(c => c.PlanId == plan);
        if (overdue is { } o) query = query.Where(c => c.Overdue == o);
        if (status is { } s) query = query.Where(c => c.Status == s);
        if (departmentId is { } department) query = query.Where(c => c.Departments.Any(d => d.DepartmentId == department));
        var scope = ReadScopes.Cases(reader, places);
        return await Paging.PageAsync(query.Where(c => c.MatchesSql(scope.Sql, scope.Parameters)), ByDeadline, CaseSummary.From, page, pageSize, session, ct);
    }
}
