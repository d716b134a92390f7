using Supervision.Api.Directories.Matters;

namespace Supervision.Api.Directories.CheckForms;

public static class DefineCheckFormEndpoint
{
    public static async Task<Decision> LoadAsync(DefineCheckForm command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = CheckFormRules.IsValidCode(command.Code)
            ? await session.LoadAsync<CheckFormTemplate>(CheckFormTemplate.IdFor(command.Code), ct)
            : null;
        var matter = command.MatterId is { } matterId ? await session.LoadAsync<InspectionMatter>(matterId, ct) : null;
        var owner = command.OwnerDepartmentId is { } ownerId ? await session.LoadAsync<Department>(ownerId, ct) : null;
        var existingBase = command is { Kind: CheckFormKind.Base, MatterId: { } id }
            ? await session.Query<CheckFormTemplate>()
                .Where(f => f.MatterId == id && f.Kind == CheckFormKind.Base && !f.Retired)
                .FirstOrDefaultAsync(ct)
            : null;
        return CheckFormRules.Decide(command, existing, matter, owner, existingBase, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>
    /// The form's department (the matter's owner for a base form, the named department for a department-specific one)
    /// is known once the decision is made: its own keeper alone may add the form.
    /// </summary>
    public static ProblemDetails Validate(ClaimsPrincipal user, Decision decision) =>
        decision.IsRejected
            ? decision.ToProblem()
            : DepartmentAccess.Require(user, ((CheckFormDefined)decision.Events[0]).OwnerDepartmentId, "ownerDepartmentId").Then(decision);

    /// <summary>Create a check form (检查表单) for a matter: the base form or a department's own.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/check-forms"), Tags("CheckForms")]
    public static (CreationResponse<CheckFormView>, IStartStream) Post(DefineCheckForm command, Decision decision)
    {
        var defined = (CheckFormDefined)decision.Events[0];
        var view = CheckFormView.From(CheckFormRules.Evolve(null, defined)! with { Version = 1 });
        return (new CreationResponse<CheckFormView>($"/api/check-forms/{defined.FormId}", view),
            MartenOps.StartStream<CheckFormTemplate>(defined.FormId, decision.Events.ToArray()));
    }
}

public static class PublishCheckFormVersionEndpoint
{
    public static async Task<Decision> LoadAsync(PublishCheckFormVersion command, CheckFormTemplate form, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var matter = await session.LoadAsync<InspectionMatter>(form.MatterId, ct);
        return CheckFormRules.Decide(command, form, matter, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Only a keeper of the form's department publishes its versions.</summary>
    public static ProblemDetails Validate(CheckFormTemplate form, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, form.OwnerDepartmentId, "ownerDepartmentId").Then(decision);

    /// <summary>Publish a new version of a check form's items; cases keep the version they started with.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/check-forms/{formId}/versions"), Tags("CheckForms")]
    public static (CheckFormView, Events) Post(PublishCheckFormVersion command, [WriteAggregate("formId")] CheckFormTemplate form, Decision decision) =>
        CheckFormView.After(form, decision);
}

public static class RetireCheckFormEndpoint
{
    public static Decision Load(RetireCheckForm command, CheckFormTemplate form, ClaimsPrincipal user) =>
        CheckFormRules.Decide(command, form, user.As(Roles.DirectoryKeeper));

    /// <summary>Only a keeper of the form's department retires it.</summary>
    public static ProblemDetails Validate(CheckFormTemplate form, ClaimsPrincipal user, Decision decision) =>
        DepartmentAccess.Require(user, form.OwnerDepartmentId, "ownerDepartmentId").Then(decision);

    /// <summary>Retire a check form; new cases no longer use it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper)]
    [WolverinePost("/api/check-forms/{formId}/retire"), Tags("CheckForms")]
    public static (CheckFormView, Events) Post(RetireCheckForm command, [WriteAggregate("formId")] CheckFormTemplate form, Decision decision) =>
        CheckFormView.After(form, decision);
}
