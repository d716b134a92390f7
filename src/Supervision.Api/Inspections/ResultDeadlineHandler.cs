using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>
/// The scheduled reminder and deadline. Durable: they wait in PostgreSQL, so a restart between scheduling and the
/// deadline loses nothing. Written like the endpoints: Wolverine fetches the case for writing (a case that does not exist is
/// logged and nothing is done), the pure decision is taken against the application's clock when they run, and its events are
/// returned; one that runs early (clocks disagree) schedules itself again.
/// </summary>
public static class ResultDeadlineHandler
{
    public static (Events, OutgoingMessages) Handle(ResultEntryDue message, [WriteAggregate("CaseId")] InspectionCase inspectionCase, TimeProvider clock) =>
        Run(inspectionCase, CaseRules.DecideDue, CaseRules.RemindAgain, reminder: 0, clock);

    public static (Events, OutgoingMessages) Handle(ResultEntryOverdue message, [WriteAggregate("CaseId")] InspectionCase inspectionCase, TimeProvider clock) =>
        Run(inspectionCase, CaseRules.DecideOverdue, CaseRules.CheckAgain, reminder: 1, clock);

    /// <param name="reminder">Which of <see cref="CaseClock.Schedule"/>'s two messages to schedule again when the decision came early.</param>
    private static (Events, OutgoingMessages) Run(InspectionCase inspectionCase, Func<InspectionCase, DateOnly, Decision> decide,
        Func<InspectionCase, DateOnly, bool> again, int reminder, TimeProvider clock)
    {
        if (inspectionCase.Deadline is not { } deadline) return ([], []);
        var today = CaseClock.Today(clock);
        return ([.. decide(inspectionCase, today).Events],
            again(inspectionCase, today) ? [CaseClock.Schedule(deadline, inspectionCase.Id, clock)[reminder]] : []);
    }
}
