using Supervision.Api.Inspections;
using Supervision.Domain.FollowUps;

namespace Supervision.Api.FollowUps;

public static class FollowUpMeasureOverdueHandler
{
    /// <summary>
    /// A measure's deadline passed: the domain decides whether it is overdue now. Wolverine fetches the follow-up for writing
    /// (one that does not exist is logged and nothing is done) and appends the decision's events.
    /// </summary>
    public static Events Handle(FollowUpMeasureOverdue message, [WriteAggregate("FollowUpId")] FollowUpCase followUp, TimeProvider clock) =>
        [.. FollowUpRules.DecideOverdue(followUp, message.Number, CaseClock.Today(clock)).Events];
}
