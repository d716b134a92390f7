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
