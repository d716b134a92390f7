using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

internal static class CaseAnswer
{
    /// <summary>
    /// The one command answer (<see cref="CommandAnswers.StateAfter{T}"/>) plus the reminders and deadlines for any deadline the accepted
    /// events set, scheduled durably in the same transaction.
    /// </summary>
    public static (InspectionCase, Events, OutgoingMessages) StateAfter(InspectionCase inspectionCase, Decision decision, TimeProvider clock)
    {
        var (after, events) = CommandAnswers.StateAfter(inspectionCase, decision);
        return (after, events, CaseClock.ScheduleFor(decision.Events, inspectionCase.Id, clock));
    }
}
