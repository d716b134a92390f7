namespace Supervision.Api.Directories.CheckForms;

public static class RetireCheckFormEndpoint
{
    public static Decision Load(RetireCheckForm command, CheckFormTemplate form, ClaimsPrincipal user) =>
        CheckFormRules.Decide(command, form, user.As(Roles.DirectoryKeeper));

    public static ProblemDetails Validate(Decision decision) => decision.ToProblem();

    /// <summary>Retire a check form; new cases no longer use it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/check-forms/{formId}/retire"), Tags("CheckForms")]
    public static (CheckFormView, Events) Post(RetireCheckForm command, [WriteAggregate("formId")] CheckFormTemplate form, Decision decision) =>
        CommandAnswers.StateAfter(form, decision, CheckFormView.From);
}
