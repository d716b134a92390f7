namespace Supervision.Api.Directories.Targets;

public static class ChangeTargetStatusEndpoint
{
    public static async Task<Decision> LoadAsync(ChangeTargetStatus command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        WriteAccess.Guard(TargetRules.Decide(command, target, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget((await Readers.LoadAsync(user, session, ct)).Reader, target.RegionCode));

    /// <summary>Change a target's operating status (e.g. revoked 吊销, deregistered 注销) with the effective date and the reason.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets/{targetId}/status"), Tags("Targets")]
    public static (Target, Events) Post(ChangeTargetStatus command, [WriteAggregate("targetId")] Target target, Decision decision) =>
        CommandAnswers.StateAfter(target, decision);
}
