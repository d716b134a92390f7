using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public static class CloseFollowUpEndpoint
{
    public static Decision Load(CloseFollowUp command, FollowUpCase followUp, ClaimsPrincipal user, TimeProvider clock) =>
        FollowUpRules.Decide(command, followUp, CaseClock.Today(clock), user.As(Roles.FollowUpHandler));

    /// <summary>Close the loop (监管闭环) of a follow-up once every measure has its outcome.</summary>
    [Authorize(Roles = Roles.FollowUpHandler), WolverinePost("/api/follow-ups/{followUpId}/close"), Tags("FollowUps")]
    public static (FollowUpCase, Events) Post(CloseFollowUp command, [WriteAggregate("followUpId")] FollowUpCase followUp, Decision decision) =>
        CommandAnswers.StateAfter(followUp, decision);
}
