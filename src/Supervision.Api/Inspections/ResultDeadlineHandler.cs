using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

/// <summary>
/// The scheduled reminder and deadline. Durable: they wait in PostgreSQL, so a restart between scheduling and the
/// deadline loses nothing. The decision is taken against the application's clock when they run; one that runs
/// early (clocks disagree) schedules itself again.
/// </summary>
public static class ResultDeadlineHandler
{
    public static async Task<OutgoingMessages> Handle(ResultEntryDue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<InspectionCase>(message.CaseId, ct);
        if (stream.Aggregate is not { Deadline: { } deadline } inspectionCase) return [];
        var decision = CaseRules.DecideDue(inspectionCase, CaseClock.Today(clock));
        stream.AppendMany(decision.Events);
        return decision.Events.Count == 0 && !inspectionCase.DueReminded && !CaseRules.AllSubmitted(inspectionCase) && CaseClock.Today(clock) < deadline.RemindOn
            ? [CaseClock.Schedule(deadline, inspectionCase.Id, clock)[0]]
            : [];
    }

    public static async Task<OutgoingMessages> Handle(ResultEntryOverdue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<InspectionCase>(message.CaseId, ct);
        if (stream.Aggregate is not { Deadline: { } deadline } inspectionCase) return [];
        var decision = CaseRules.DecideOverdue(inspectionCase, CaseClock.Today(clock));
        stream.AppendMany(decision.Events);
        return decision.Events.Count == 0 && !inspectionCase.Overdue && !CaseRules.AllSubmitted(inspectionCase) && CaseClock.Today(clock) <= deadline.Due
            ? [CaseClock.Schedule(deadline, inspectionCase.Id, clock)[1]]
            : [];
    }
}
