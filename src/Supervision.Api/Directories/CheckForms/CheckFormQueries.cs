namespace Supervision.Api.Directories.CheckForms;

/// <param name="Definition">The latest published version.</param>
/// <param name="Versions">The numbers of every published version, readable at <c>/api/check-forms/{id}/versions/{number}</c>.</param>
/// <param name="Version">The stream version, to send back with a change.</param>
public sealed record CheckFormView(
    Guid Id, string Code, string Name, CheckFormKind Kind, Guid MatterId, Guid OwnerDepartmentId, CheckFormVersion Definition,
    IReadOnlyList<int> Versions, bool Retired, string? RetirementReason, long Version)
{
    public static CheckFormView From(CheckFormTemplate f) =>
        new(f.Id, f.Code, f.Name, f.Kind, f.MatterId, f.OwnerDepartmentId, f.Latest(), f.Versions.Select(v => v.Number).ToList(),
            f.Retired, f.RetirementReason, f.Version);
}

/// <summary>One pinned version of a form, as a task that recorded <c>(formId, version)</c> reads it.</summary>
public sealed record CheckFormVersionView(Guid FormId, string Code, string Name, CheckFormKind Kind, Guid MatterId, CheckFormVersion Definition, bool IsLatest, bool Retired);

public static class GetCheckFormEndpoint
{
    /// <summary>Read one check form with its current version.</summary>
    [WolverineGet("/api/check-forms/{formId}"), Tags("CheckForms")]
    public static CheckFormView Get([ReadAggregate("formId")] CheckFormTemplate form) => CheckFormView.From(form);
}

public static class GetCheckFormVersionEndpoint
{
    public static Task<CheckFormTemplate?> LoadAsync(Guid formId, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<CheckFormTemplate>(formId, ct);

    public static ProblemDetails Validate(CheckFormTemplate? form, Guid formId, int version) =>
        form is null ? ProblemResponses.NotFound("Check form", formId)
        : form.VersionNumbered(version) is null ? ProblemResponses.FromErrors(
            [DomainError.NotFound("version", "form.version.unknown", $"Form {form.Code} has no version {version}; it has 1 to {form.Latest().Number}.")])
        : WolverineContinue.NoProblems;

    /// <summary>A published version of a form, still readable after later versions and after retirement.</summary>
    [WolverineGet("/api/check-forms/{formId}/versions/{version}"), Tags("CheckForms")]
    public static CheckFormVersionView Get(CheckFormTemplate form, int version) =>
        new(form.Id, form.Code, form.Name, form.Kind, form.MatterId, form.VersionNumbered(version)!, version == form.Latest().Number, form.Retired);
}

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
