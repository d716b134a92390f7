namespace Supervision.Api.Directories.CheckForms;

public static class ListCheckFormsEndpoint
{
    /// <summary>The forms of a matter (or all), base form first; retired forms only with <c>includeRetired=true</c>.</summary>
    [WolverineGet("/api/check-forms"), Tags("CheckForms")]
    public static async Task<IReadOnlyList<CheckFormView>> List(IQuerySession session, Guid? matterId, Guid? departmentId, bool? includeRetired, CancellationToken ct)
    {
        var query = session.Query<CheckFormTemplate>().AsQueryable();
        if (matterId is { } matter) query = query.Where(f => f.MatterId == matter);
        if (departmentId is { } department) query = query.Where(f => f.OwnerDepartmentId == department);
        if (includeRetired is not true) query = query.Where(f => !f.Retired);
        // Sorted in PostgreSQL (issue 14). Kinds are stored as their names, whose text order (Base, DepartmentSpecific) is their declared
        // order; codes compare in the database's C collation, the ordinal order; the id breaks ties as the SQL lists do.
        var forms = await query.OrderBy(f => f.Kind).ThenBy(f => f.Code).ThenBy(f => f.Id).ToListAsync(ct);
        return forms.Select(CheckFormView.From).ToList();
    }
}
