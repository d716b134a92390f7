namespace Supervision.Api.Organization.Departments;

public sealed record DepartmentView(
    Guid Id, string Code, string Name, DepartmentKind Kind, string RegionCode, Guid? ParentDepartmentId, bool Active, long Version)
{
    public static DepartmentView From(Department d) =>
        new(d.Id, d.Code, d.Name, d.Kind, d.RegionCode, d.ParentDepartmentId, d.Active, d.Version);

    /// <summary>The view after a command's events, computed from the pure evolve so the answer needs no second read.</summary>
    public static (DepartmentView, Events) After(Department department, Decision decision)
    {
        var next = decision.Events.Aggregate(department, (state, e) => DepartmentRules.Evolve(state, e)!) with
        {
            Version = department.Version + decision.Events.Count,
        };
        return (From(next), new Events(decision.Events));
    }
}

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
