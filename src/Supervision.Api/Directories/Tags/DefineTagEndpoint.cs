namespace Supervision.Api.Directories.Tags;

public static class DefineTagEndpoint
{
    public static async Task<Decision> LoadAsync(DefineTag command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var existing = TagRules.IsValidCode(command.Code) ? await session.LoadAsync<TagDefinition>(TagDefinition.IdFor(command.Code), ct) : null;
        var owner = command.OwnerDepartmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        var (keeper, _) = await Readers.LoadAsync(user, session, ct);
        return WriteAccess.Guard(TagRules.Decide(command, existing, owner is { Active: true }, user.As(Roles.DirectoryKeeper)),
            owner is null ? null : WriteAccess.KeeperMayOwnTag(keeper, owner.Id));   // an unknown owner is a 400 of the decision
    }

    /// <summary>Define a classification tag (标签) for targets, inspectors or both, owned by the caller's department.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/tags"), Tags("Tags")]
    public static (CreationResponse<TagDefinition>, IStartStream) Post(DefineTag command, Decision decision)
    {
        var id = ((TagDefined)decision.Events[0]).TagId;
        return CreationAnswers.Started<TagDefinition>(id, $"/api/tags/{id}", decision);
    }
}
