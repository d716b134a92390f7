using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>A declared source's value, entered by two different 纪检 after its moment; the second, agreeing entry records it.</summary>
public static class EnterRandomnessEndpoint
{
    public static async Task<Decision> LoadAsync(EnterRandomness command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct), secrets.ValueDigest);

    [Authorize(Roles = Roles.DisciplineInspector), WolverinePost("/api/draws/{drawId}/randomness"), Tags("Draws")]
    public static (DrawView, Events) Post(EnterRandomness command, [WriteAggregate("drawId")] Draw draw, Decision decision) => CommandAnswers.StateAfter(draw, decision, DrawView.From);
}
