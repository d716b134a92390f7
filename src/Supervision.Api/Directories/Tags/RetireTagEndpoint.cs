namespace Supervision.Api.Directories.Tags;

public static class RetireTagEndpoint
{
    public static async Task<Decision> LoadAsync(RetireTag command, TagDefinition tag, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        WriteAccess.Guard(TagRules.Decide(command, tag, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayOwnTag((await Readers.LoadAsync(user, session, ct)).Reader, tag.OwnerDepartmentId));

    /// <summary>Retire a tag; it can no longer be given, and stays on what already carries it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/tags/{tagId}/retire"), Tags("Tags")]
    public static (TagDefinition, Events) Post(RetireTag command, [WriteAggregate("tagId")] TagDefinition tag, Decision decision) =>
        CommandAnswers.StateAfter(tag, decision);
}
