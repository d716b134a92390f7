using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

public static class PerformDrawEndpoint
{
    public static async Task<Decision> LoadAsync(PerformDraw command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var actor = await DrawLoading.ActorAsync(user, Roles.Planner, session, secrets, ct);
        if (draw.Status != DrawStatus.Scheduled || await session.LoadAsync<SealedContribution>(draw.Id, ct) is not { } sealedContribution)
            return DrawRules.DecideV2(command, draw, new DrawFiles("", "", "", "", "", ""), "", clock.GetUtcNow(), actor);
        var (files, targets, _) = await DrawLoading.FrozenAsync(session, store, draw.Id, ct);
        return DrawRules.DecideV2(command, draw, files, secrets.Unseal(draw.Id, sealedContribution.Sealed), clock.GetUtcNow(), actor, targets);
    }

    /// <summary>Reveals the department's contribution and draws; the plan's task is marked drawn in the same transaction.</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/draws/{drawId}/draw"), Tags("Draws")]
    public static (DrawView, Events) Post(PerformDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision, ClaimsPrincipal user, IDocumentSession session)
    {
        if (DrawEffects.PlanTaskDrawn(draw, decision, user.As(Roles.Planner)) is { } taskDrawn) session.Events.Append(draw.PlanId, taskDrawn);
        return CommandAnswers.StateAfter(draw, decision, DrawView.From);
    }
}
