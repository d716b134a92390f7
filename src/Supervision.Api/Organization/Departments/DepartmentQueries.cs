namespace Supervision.Api.Organization.Departments;

public static class DepartmentQueries
{
    /// <summary>List the departments, filtered by region, parent department or whether active.</summary>
    [WolverineGet("/api/departments"), Tags("Departments")]
    /// <summary>Paged in SQL (issue 14): at most <c>pageSize</c> (default and at most 500) a page, the total in <c>X-Total-Count</c>, the next page in <c>Link</c>.</summary>
    public static async Task<IReadOnlyList<DepartmentView>> List(IQuerySession session, HttpContext http, string? regionCode, Guid? parentDepartmentId, bool? active,
        int? page, int? pageSize, CancellationToken ct)
    {
        var query = session.Query<Department>().AsQueryable();
        if (regionCode is { Length: > 0 }) query = query.Where(d => d.RegionCode == regionCode);
        if (parentDepartmentId is { } parent) query = query.Where(d => d.ParentDepartmentId == parent);
        if (active is { } a) query = query.Where(d => d.Active == a);
        return await Infrastructure.Paging.ArrayPageAsync(query.OrderBy(d => d.RegionCode).ThenBy(d => d.Code).ThenBy(d => d.Id), DepartmentView.From, page, pageSize, http, ct);
    }

    /// <summary>Read one department.</summary>
    [WolverineGet("/api/departments/{departmentId}"), Tags("Departments")]
    public static DepartmentView Get([ReadAggregate] Department department) => DepartmentView.From(department);
}
