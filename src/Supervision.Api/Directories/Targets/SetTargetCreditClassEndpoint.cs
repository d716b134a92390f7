namespace Supervision.Api.Directories.Targets;

public static class SetTargetCreditClassEndpoint
{
    public static async Task<Decision> LoadAsync(SetTargetCreditClass command, Target target, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (refs, keeper, _, _) = await TargetReferences.LoadForCommandAsync(session, user, null, null, target.RegionCode, null, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, target, refs.Scheme, user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, target.RegionCode));
    }

    /// <summary>Set a target's credit risk class (企业信用风险分类) under its province's scheme, with the basis.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets/{targetId}/credit-class"), Tags("Targets")]
    public static (Target, Events) Post(SetTargetCreditClass command, [WriteAggregate("targetId")] Target target, Decision decision) =>
        CommandAnswers.StateAfter(target, decision);
}
