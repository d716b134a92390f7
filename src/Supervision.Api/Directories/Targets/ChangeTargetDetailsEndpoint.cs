namespace Supervision.Api.Directories.Targets;

public static class ChangeTargetDetailsEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTargetDetails command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (refs, keeper, places, _) = await TargetReferences.LoadForCommandAsync(session, user, command.SupervisingDepartmentIds, command.Tags,
            command.RegionCode, null, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, target, refs, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, target.RegionCode), WriteAccess.KeeperMayWriteTarget(keeper, command.RegionCode ?? ""),
            WriteAccess.KeeperMayNameSupervisors(keeper, target.SupervisingDepartmentIds, command.SupervisingDepartmentIds?.Where(places.ContainsKey)));
    }

    /// <summary>Change a target's details (name, industry, region, address, scale, supervising departments, tags) with the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets/{targetId}/details"), Tags("Targets")]
    public static (Target, Events) Post(ChangeTargetDetails command, [WriteAggregate("targetId")] Target target, Decision decision) =>
        CommandAnswers.StateAfter(target, decision);
}
