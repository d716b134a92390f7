using Supervision.Api.Disclosure;
using Supervision.Domain.Disclosure;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The listings as they were computed before issue 14 moved them into SQL: load everything, filter, sort and page in memory. Kept
/// verbatim (plus a tie-break by id where the old order left ties to the heap) as the reference the SQL paths must equal.
/// </summary>
public static class InMemoryReference
{
    public static IEnumerable<T> Page<T>(IEnumerable<T> ordered, int page, int pageSize) => ordered.Skip((page - 1) * pageSize).Take(pageSize);

    /// <summary>
    /// <c>GET /api/public/results</c> before issue 14. Ties in the publication date were in whatever order the rows came back; the
    /// SQL path breaks them by id (uuid order is the order of its hex text).
    /// </summary>
    public static IReadOnlyList<PublicResultEntry> PublicResults(IEnumerable<ResultPublication> all, PublicResultFilter f) =>
        all.Where(p => !p.Withheld).Where(p => p.Current is { } c
                && (f.CreditCode is null || string.Equals(c.CreditCode, f.CreditCode, StringComparison.OrdinalIgnoreCase))
                && (f.Name is null || c.EntityName.Contains(f.Name, StringComparison.Ordinal))
                && (f.PlanNumber is null || c.PlanNumber == f.PlanNumber)
                && (f.Authority is null || c.Authority.Contains(f.Authority, StringComparison.Ordinal))
                && (f.From is null || c.InspectedOn >= f.From) && (f.To is null || c.InspectedOn <= f.To))
            .Select(p => new PublicResultEntry(p.Id, p.Current!, p.Revisions.Reverse().ToList()))
            .OrderByDescending(e => e.Current.PublishedOn).ThenBy(e => e.PublicationId.ToString("N"), StringComparer.Ordinal).ToList();
}

/// <summary>The scoped listings before issue 14: every document loaded, the caller's scope and the filters applied in memory.</summary>
public static class InMemoryScopedLists
{
    public static IEnumerable<Supervision.Domain.Inspections.InspectionCase> Cases(IEnumerable<Supervision.Domain.Inspections.InspectionCase> all,
        Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places,
        Guid? departmentId, Guid? planId, bool? overdue, Supervision.Domain.Inspections.CaseStatus? status) =>
        all.Where(c => (planId is null || c.PlanId == planId) && (overdue is null || c.Overdue == overdue) && (status is null || c.Status == status)
                && (departmentId is null || c.Departments.Any(d => d.DepartmentId == departmentId)))
            .Where(c => Supervision.Api.Inspections.CaseQueries.MayRead(reader, places, c))
            .OrderBy(c => c.Deadline == null ? DateOnly.MaxValue : c.Deadline.Due).ThenBy(c => c.Id);

    public static IEnumerable<Supervision.Domain.Inspections.InspectionCase> MyCases(IEnumerable<Supervision.Domain.Inspections.InspectionCase> all, string userId, Guid? department)
    {
        var staffCode = userId.ToUpperInvariant();
        return all.Where(c => c.Team.Any(m => m.StaffCode == staffCode && m.DepartmentId == (department ?? Guid.Empty)))
            .OrderBy(c => c.Deadline == null ? DateOnly.MaxValue : c.Deadline.Due).ThenBy(c => c.Id);
    }

    /// <summary>Ties in (year, number) came back in heap order; the SQL path breaks them by id.</summary>
    public static IEnumerable<Supervision.Domain.Plans.AnnualPlan> Plans(IEnumerable<Supervision.Domain.Plans.AnnualPlan> all, Supervision.Domain.Access.Reader reader,
        IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, Guid? departmentId, int? year, Supervision.Domain.Plans.PlanStatus? status) =>
        all.Where(p => (departmentId is null || p.DepartmentId == departmentId) && (year is null || p.Year == year) && (status is null || p.Status == status))
            .OrderBy(p => p.Year).ThenBy(p => p.Number, StringComparer.Ordinal).ThenBy(p => p.Id)
            .Where(p => Supervision.Api.Plans.PlanQueries.MayRead(reader, places, p));

    public static IEnumerable<Supervision.Domain.FollowUps.FollowUpCase> FollowUps(IEnumerable<Supervision.Domain.FollowUps.FollowUpCase> all,
        Supervision.Domain.Access.Reader reader, IReadOnlyDictionary<Guid, Supervision.Domain.Access.DepartmentPlace> places, Guid? departmentId, Guid? waitingFor, bool? overdue) =>
        all.Where(f => departmentId is null || f.DepartmentId == departmentId)
            .Where(f => Supervision.Api.FollowUps.FollowUpQueries.MayRead(reader, places, f))
            .Where(f => waitingFor is not { } owner || f.Measures.Any(m => m.OwnerDepartmentId == owner && m.Outcome == null))
            .Where(f => overdue is not true || f.Measures.Any(m => m.Overdue))
            .OrderBy(f => f.Id);
}
