using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>The discipline office reveals its 32 bytes once every declared value is recorded.</summary>
public static class RevealContributionEndpoint
{
    public static async Task<Decision> LoadAsync(RevealContribution command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct) =>
        DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct));

    [Authorize(Roles = Roles.DisciplineInspector), WolverinePost("/api/draws/{drawId}/contribution"), Tags("Draws")]
    public static (DrawView, Events) Post(RevealContribution command, [WriteAggregate("drawId")] Draw draw, Decision decision) => CommandAnswers.StateAfter(draw, decision, DrawView.From);
}
