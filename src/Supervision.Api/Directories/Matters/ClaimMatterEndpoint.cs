namespace Supervision.Api.Directories.Matters;

public static class ClaimMatterEndpoint
{
    public static async Task<Decision> LoadAsync(ClaimMatter command, InspectionMatter matter, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var owner = await session.LoadAsync<Department>(matter.OwnerDepartmentId, ct);
        var claimer = command.DepartmentId is { } claimerId ? await session.LoadAsync<Department>(claimerId, ct) : null;
        return MatterRules.Decide(command, matter, owner, claimer, user.As(Roles.DirectoryKeeper));
    }

    /// <summary>Claim (认领) a higher level's matter for the caller's department, so its tasks can name it.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/matters/{matterId}/claims"), Tags("Matters")]
    public static (MatterView, Events) Post(ClaimMatter command, [WriteAggregate("matterId")] InspectionMatter matter, Decision decision) =>
        CommandAnswers.StateAfter(matter, decision, MatterView.From);
}
