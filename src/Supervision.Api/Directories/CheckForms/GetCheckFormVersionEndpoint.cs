namespace Supervision.Api.Directories.CheckForms;

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
