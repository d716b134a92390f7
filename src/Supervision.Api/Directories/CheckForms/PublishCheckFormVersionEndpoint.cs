namespace Supervision.Api.Directories.CheckForms;

public static class PublishCheckFormVersionEndpoint
{
    public static async Task<Decision> LoadAsync(PublishCheckFormVersion command, CheckFormTemplate form, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var matter = await session.LoadAsync<InspectionMatter>(form.MatterId, ct);
        return CheckFormRules.Decide(command, form, matter, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Publish a new version of a check form's items; cases keep the version they started with.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/check-forms/{formId}/versions"), Tags("CheckForms")]
    public static (CheckFormView, Events) Post(PublishCheckFormVersion command, [WriteAggregate("formId")] CheckFormTemplate form, Decision decision) =>
        CommandAnswers.StateAfter(form, decision, CheckFormView.From);
}
