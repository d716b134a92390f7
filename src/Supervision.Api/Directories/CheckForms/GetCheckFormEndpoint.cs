namespace Supervision.Api.Directories.CheckForms;

public static class GetCheckFormEndpoint
{
    /// <summary>Read one check form with its current version.</summary>
    [WolverineGet("/api/check-forms/{formId}"), Tags("CheckForms")]
    public static CheckFormView Get([ReadAggregate("formId")] CheckFormTemplate form) => CheckFormView.From(form);
}
