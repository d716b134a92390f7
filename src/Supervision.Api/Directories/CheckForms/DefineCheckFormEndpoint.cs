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

    /// <summary>Create a check form (检查表单) for a matter: the base form or a department's own.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/check-forms"), Tags("CheckForms")]
    public static (CreationResponse<CheckFormView>, IStartStream) Post(DefineCheckForm command, Decision decision)
    {
        var id = ((CheckFormDefined)decision.Events[0]).FormId;
        return CreationAnswers.Started<CheckFormTemplate, CheckFormView>(id, $"/api/check-forms/{id}", decision, CheckFormView.From);
    }
}
