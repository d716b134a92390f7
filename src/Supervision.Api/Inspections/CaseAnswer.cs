using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

internal static class CaseAnswer
{
    public static Actor Inspector(this ClaimsPrincipal user) => user.As(Roles.Inspector);
    public static Actor Reviewer(this ClaimsPrincipal user) => user.As(Roles.Reviewer);

    /// <summary>
    /// For the commands whose events may set a deadline (end, result, review): the one command answer
    /// (<see cref="CommandAnswers.StateAfter{T}"/>) plus the reminders and deadlines of any deadline the accepted events set,
    /// scheduled durably in the same transaction.
    /// </summary>
    public static (InspectionCase, Events, OutgoingMessages) StateAfter(InspectionCase inspectionCase, Decision decision, TimeProvider clock)
    {
        var (after, events) = CommandAnswers.StateAfter(inspectionCase, decision);
        return (after, events, CaseClock.ScheduleFor(decision.Events, inspectionCase.Id, clock));
    }
}
