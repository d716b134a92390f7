using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public static class AcceptMeasureEndpoint
{
    public static Decision Load(AcceptMeasure command, int number, FollowUpCase followUp, ClaimsPrincipal user) =>
        FollowUpRules.Decide(command, number, followUp, user.As(Roles.FollowUpHandler));

    /// <summary>Accept a measure handed over to the caller's department (转办、移送).</summary>
    [Authorize(Roles = Roles.FollowUpHandler), WolverinePost("/api/follow-ups/{followUpId}/measures/{number}/accept"), Tags("FollowUps")]
    public static (FollowUpCase, Events) Post(AcceptMeasure command, int number, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision) =>
        CommandAnswers.StateAfter(followUp, decision);
}
