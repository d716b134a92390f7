using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>
/// Before any randomness can exist, an approver voids with a reason. After that the void is only requested: it takes effect with a 纪检's
/// countersignature (docs/draw-algorithm.md, section 11), and the voided record stays public.
/// </summary>
public static class VoidDrawEndpoint
{
    public static async Task<Decision> LoadAsync(RequestVoid command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        if (!draw.IsV2)
            return DrawRules.Decide(new VoidDraw(command.Reason, command.Version), draw, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
        var (files, bytes, _) = await DrawLoading.FrozenAsync(session, store, draw.Id, ct);
        var targets = bytes is null ? Canonical.Lines(files.Targets).Select(l => Guid.Parse(l.Split('|')[2])).ToHashSet() : CanonicalUtf8.TargetIds(bytes);
        var inspectors = Canonical.Lines(files.Inspectors).Select(l => Guid.Parse(l.Split('|')[1])).ToHashSet();
        return DrawRules.DecideV2(command, draw, targets, inspectors, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.Approver, session, secrets, ct));
    }

    [Authorize(Roles = Roles.Approver), WolverinePost("/api/draws/{drawId}/void"), Tags("Draws")]
    public static (DrawView, Events) Post(RequestVoid command, [WriteAggregate("drawId")] Draw draw, Decision decision) => CommandAnswers.StateAfter(draw, decision, DrawView.From);
}
