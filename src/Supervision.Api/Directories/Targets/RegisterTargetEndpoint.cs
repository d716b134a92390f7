namespace Supervision.Api.Directories.Targets;

public static class RegisterTargetEndpoint
{
    public static async Task<Decision> LoadAsync(RegisterTarget command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        Guid? existingId = command.Kind is { } kind && (Target.IsEntity(kind) ? command.CreditCode : command.Code) is { Length: > 0 }
            ? Target.IdFor(Target.IdentifierFor(kind, command.CreditCode, command.Code))
            : null;
        var (refs, keeper, places, existing) = await TargetReferences.LoadForCommandAsync(session, user, command.SupervisingDepartmentIds, command.Tags,
            command.RegionCode, existingId, ct);
        return WriteAccess.Guard(TargetRules.Decide(command, existing, refs, "manual", user.As(Roles.DirectoryKeeper)),
            WriteAccess.KeeperMayWriteTarget(keeper, command.RegionCode ?? ""),
            WriteAccess.KeeperMayNameSupervisors(keeper, existing?.SupervisingDepartmentIds ?? [], command.SupervisingDepartmentIds?.Where(places.ContainsKey)));
    }

    /// <summary>Register a target in the directory (检查对象名录库): enterprise, sole trader, cooperative or a non-entity target.</summary>
    [Authorize(Roles = Roles.DirectoryKeeper), WolverinePost("/api/targets"), Tags("Targets")]
    public static (CreationResponse<Target>, IStartStream) Post(RegisterTarget command, Decision decision)
    {
        var id = ((TargetRegistered)decision.Events[0]).TargetId;
        return CreationAnswers.Started<Target>(id, $"/api/targets/{id}", decision);
    }
}
