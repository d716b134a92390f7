using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>A 纪检 adds the discipline office's contribution hash: the commitment is final and public from now on.</summary>
public static class CommitDrawEndpoint
{
    public static async Task<Decision> LoadAsync(CommitDraw command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct));

    [Authorize(Roles = Roles.DisciplineInspector), WolverinePost("/api/draws/{drawId}/commitment"), Tags("Draws")]
    public static (DrawView, Events) Post(CommitDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision) => CommandAnswers.StateAfter(draw, decision, DrawView.From);
}
