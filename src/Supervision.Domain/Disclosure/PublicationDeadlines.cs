using Supervision.Domain.Calendar;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Inspections;

namespace Supervision.Domain.Disclosure;

/// <summary>
/// The deadline for making a case's results public: <see cref="DashboardFigures.PublicationWorkingDays"/> (20) working days after the
/// results exist (西华县 2022 (六): 抽查结果…20个工作日内…公示), counted on the State Council calendar in force, with the reminder
/// <see cref="CaseRules.ReminderWorkingDays"/> working days before it, as for result entry.
/// </summary>
/// <param name="ResultsFormedOn">
/// The China calendar day the last participating department's results were approved (检查结果产生之日): the same start the dashboards
/// count from (<see cref="CaseFact.ResultsFormedOn"/>). It is taken from the application's clock when the approval is decided, the dashboards
/// read it from the approval event's timestamp: the same China day, as the event is committed in that request.
/// </param>
/// <param name="ProvisionalReason">Why <paramref name="Due"/> is provisional (counted into a year whose notice is not loaded); null when definite.</param>
public sealed record PublicationDeadline(DateOnly ResultsFormedOn, DateOnly Due, bool Provisional, IReadOnlyList<string> CalendarVersions, DateOnly RemindOn,
    string? ProvisionalReason = null);

/// <summary>The results of the case exist (every department's approved): the 20-working-day publication clock starts. Recorded on the case stream.</summary>
public sealed record PublicationDeadlineSet(Guid CaseId, PublicationDeadline Deadline);

/// <summary>The publication reminder ran a few working days before the deadline and the results were still not public (nor withheld).</summary>
public sealed record PublicationDueRaised(Guid CaseId, DateOnly Due);

/// <summary>
/// The publication deadline passed and the results were not public (nor withheld under 依法依规不适合公开) when the durable deadline
/// message ran on <paramref name="On"/>. Raised by the system on the case stream, so 纪检 see it in the case history, and listed by
/// <c>GET /api/publications/overdue</c> until the result is published or withheld.
/// </summary>
public sealed record PublicationOverdueRaised(Guid CaseId, DateOnly Due, DateOnly On);

/// <summary>
/// Pure rules of the publication deadline (issue 16, "Publication deadlines act"): the clock starts when results are formed, the durable
/// reminder and deadline messages decide against the case and its publication as they are when they run, so a message arriving after
/// the publication (or withholding) was made does nothing, and a repeated one does nothing either.
/// </summary>
/// <remarks>
/// The follow-up outcome disclosure (<see cref="FollowUpOutcomeDisclosed"/>) has no deadline of its own: it is written in the back-fill's
/// own transaction, so it is public on day 0 of its 20 working days and a reminder could never find it missing.
/// </remarks>
public static class PublicationDeadlines
{
    public static PublicationDeadline DeadlineFrom(WorkingDayCalendar calendar, DateOnly resultsFormedOn)
    {
        var due = calendar.AddWorkingDays(resultsFormedOn, DashboardFigures.PublicationWorkingDays);
        var remind = calendar.SubtractWorkingDays(due.Date, CaseRules.ReminderWorkingDays);
        return new PublicationDeadline(resultsFormedOn, due.Date, due.Provisional, due.CalendarVersions, remind.Date, due.ProvisionalReason);
    }

    /// <summary>
    /// The review decision, plus <see cref="PublicationDeadlineSet"/> when its approval is the one that makes every department's results
    /// approved (the first time: approvals are never undone, later corrections do not restart the clock).
    /// </summary>
    /// <param name="today">The China calendar day of the approval.</param>
    public static Decision StartOnResultsFormed(InspectionCase before, Decision review, WorkingDayCalendar calendar, DateOnly today)
    {
        if (review.IsRejected || review.Events.Count == 0 || before.PublicationDeadline is not null || before.AllApproved) return review;
        var after = review.Events.Aggregate(before, (c, e) => CaseRules.Evolve(c, e)!);
        return after.AllApproved
            ? Decision.Accept([.. review.Events, new PublicationDeadlineSet(before.Id, DeadlineFrom(calendar, today))])
            : review;
    }

    /// <summary>Published (a public copy exists) or withheld with its legal basis: the duty to disclose is met either way.</summary>
    public static bool Disclosed(ResultPublication? publication) => publication is { Withheld: true } or { Revisions.Count: > 0 };

    private static bool Pending(InspectionCase c, ResultPublication? publication) =>
        c.PublicationDeadline is not null && c.Status != CaseStatus.Withdrawn && !Disclosed(publication);

    /// <summary>Raised by the scheduled reminder: not yet public on or after the reminder day.</summary>
    public static Decision DecideDue(InspectionCase c, ResultPublication? publication, DateOnly today) =>
        Pending(c, publication) && !c.PublicationDueReminded && today >= c.PublicationDeadline!.RemindOn
            ? Decision.Accept(new PublicationDueRaised(c.Id, c.PublicationDeadline.Due))
            : Decision.Accept();

    /// <summary>Raised by the scheduled deadline: not yet public after the due day.</summary>
    public static Decision DecideOverdue(InspectionCase c, ResultPublication? publication, DateOnly today) =>
        Pending(c, publication) && !c.PublicationOverdue && today > c.PublicationDeadline!.Due
            ? Decision.Accept(new PublicationOverdueRaised(c.Id, c.PublicationDeadline.Due, today))
            : Decision.Accept();

    /// <summary>A reminder that ran before its day (clocks disagree, or the deadline moved later) waits again for it.</summary>
    public static bool RemindAgain(InspectionCase c, ResultPublication? publication, DateOnly today) =>
        Pending(c, publication) && !c.PublicationDueReminded && today < c.PublicationDeadline!.RemindOn;

    /// <summary>A deadline message that ran on or before the due day (clocks disagree, or the deadline moved later) waits again for it.</summary>
    public static bool CheckAgain(InspectionCase c, ResultPublication? publication, DateOnly today) =>
        Pending(c, publication) && !c.PublicationOverdue && today <= c.PublicationDeadline!.Due;

    /// <summary>
    /// As for result entry (<see cref="DeadlineRules.Recompute"/>): a provisional publication deadline is counted again once the calendar
    /// changes; a definite one keeps the calendar versions it was counted with.
    /// </summary>
    public static Decision Recompute(InspectionCase c, WorkingDayCalendar calendar)
    {
        if (c.PublicationDeadline is not { Provisional: true } old) return Decision.Accept();
        var recomputed = DeadlineFrom(calendar, old.ResultsFormedOn);
        return recomputed.Due == old.Due && recomputed.Provisional == old.Provisional && recomputed.CalendarVersions.SequenceEqual(old.CalendarVersions)
            ? Decision.Accept()
            : Decision.Accept(new PublicationDeadlineSet(c.Id, recomputed));
    }
}
