using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

public static class CountersignVoidEndpoint
{
    public static async Task<Decision> LoadAsync(CountersignVoid command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, TimeProvider clock, CancellationToken ct)
    {
        var sealedContribution = draw.DisciplineContribution is not null && draw.Outputs is null ? await session.LoadAsync<SealedContribution>(draw.Id, ct) : null;
        return DrawRules.Decide(command, draw, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.DisciplineInspector, session, secrets, ct),
            sealedContribution is null ? null : secrets.Unseal(draw.Id, sealedContribution.Sealed));
    }

    /// <summary>Countersign (纪检) a requested void, which makes it effective; the voided record stays public.</summary>
    [Authorize(Roles = Roles.DisciplineInspector), WolverinePost("/api/draws/{drawId}/void/countersignature"), Tags("Draws")]
    public static (DrawView, Events) Post(CountersignVoid command, [WriteAggregate("drawId")] Draw draw, Decision decision) => CommandAnswers.StateAfter(draw, decision, DrawView.From);
}
