namespace Supervision.Api.Directories.CheckForms;

public static class RetireCheckFormEndpoint
{
    /// <summary>Retire a check form; new cases no longer use it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/check-forms/{formId}/retire"), Tags("CheckForms")]
    public static (CheckFormView, Events) Post(RetireCheckForm command, [WriteAggregate("formId")] CheckFormTemplate form, Decision decision) =>
        CommandAnswers.StateAfter(form, decision, CheckFormView.From);
}
