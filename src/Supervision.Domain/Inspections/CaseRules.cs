using Supervision.Domain.Calendar;
using Supervision.Domain.Directories;

namespace Supervision.Domain.Inspections;

/// <summary>
/// An inspection case per drawn target: notices, the visit, check forms, results per matter entered by the team
/// ("谁检查、谁录入、谁公开"), review, corrections, and the statutory result-entry deadline.
/// </summary>
public static class CaseRules
{
    /// <summary>西华县 2022: results are entered and published within 20 working days.</summary>
    public const int ResultEntryWorkingDays = 20;

    /// <summary>The reminder (ResultEntryDue) comes this many working days before the deadline.</summary>
    public const int ReminderWorkingDays = 3;

    public static Decision Decide(OpenCase command, InspectionCase? existing, Actor by) =>
        existing is not null ? Decision.Accept()
        : Decision.Accept(new CaseOpened(command.CaseId, command.DrawId, command.PlanId, command.TaskNumber, command.TargetId, command.Participants,
            command.Team, command.Trigger, by));

    public static Decision Decide(RecordNotice command, InspectionCase c, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireName(errors, "number", command.Number, 100);
        if (command.ServedOn is null) errors.Add(DomainError.Invalid("servedOn", "servedOn.required", "'servedOn' is the day the notice (检查通知书) was served."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (RequireMember(c, by) is { } notMember) return Decision.Reject(notMember);
        if (c.Status is CaseStatus.Withdrawn or CaseStatus.Closed) return Decision.Reject(Status(c, "given notices"));
        if (c.Notices.Any(n => n.Number == command.Number.Trim())) return Decision.Accept();
        return Decision.Accept(new InspectionNoticeRecorded(c.Id, new InspectionNotice(command.Number.Trim(), command.ServedOn!.Value, by.UserId), by));
    }

    public static Decision Decide(StartInspection command, InspectionCase c, DateOnly today, Actor by)
    {
        if (command.StartedOn is null) return Decision.Reject(DomainError.Invalid("startedOn", "startedOn.required", "'startedOn' is required."));
        if (command.StartedOn > today) return Decision.Reject(DomainError.Invalid("startedOn", "date.future", "An inspection cannot be recorded as started in the future."));
        if (RequireMember(c, by) is { } notMember) return Decision.Reject(notMember);
        if (c.Status != CaseStatus.Open) return Decision.Reject(Status(c, "started"));
        return Decision.Accept(new InspectionStarted(c.Id, command.StartedOn.Value, by));
    }

    /// <param name="today">The end date may not lie in the future: the deadline is counted from it, so a later date would postpone it.</param>
    public static Decision Decide(EndInspection command, InspectionCase c, WorkingDayCalendar calendar, DateOnly today, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.EndedOn is null) errors.Add(DomainError.Invalid("endedOn", "endedOn.required", "'endedOn' is required."));
        if (command.Methods is not { Count: > 0 }) errors.Add(DomainError.Invalid("methods", "methods.required", "Name the inspection methods used."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (RequireMember(c, by) is { } notMember) return Decision.Reject(notMember);
        if (c.Status != CaseStatus.InProgress) return Decision.Reject(Status(c, "ended"));
        if (command.EndedOn < c.StartedOn) return Decision.Reject(DomainError.Invalid("endedOn", "endedOn.before-start", "An inspection ends on or after the day it started."));
        if (command.EndedOn > today) return Decision.Reject(DomainError.Invalid("endedOn", "date.future", "An inspection cannot be recorded as ended in the future."));
        var ended = new InspectionEnded(c.Id, command.EndedOn!.Value, command.Methods!.Distinct().ToList(), by);
        return c.Trigger == DeadlineTrigger.InspectionEnded
            ? Decision.Accept(ended, new ResultDeadlineSet(c.Id, DeadlineFrom(calendar, c.Trigger, ended.EndedOn)))
            : Decision.Accept(ended);
    }

    public static ResultDeadline DeadlineFrom(WorkingDayCalendar calendar, DeadlineTrigger trigger, DateOnly triggerDate)
    {
        var due = calendar.AddWorkingDays(triggerDate, ResultEntryWorkingDays);
        var remind = calendar.SubtractWorkingDays(due.Date, ReminderWorkingDays);
        return new ResultDeadline(trigger, triggerDate, due.Date, due.Provisional, due.CalendarVersions, remind.Date, due.ProvisionalReason);
    }

    /// <summary>Check form answers: every item answered is on the pinned version, required items are answered, choices are among the options.</summary>
    public static Decision Decide(AnswerCheckForm command, InspectionCase c, CheckFormTemplate? form, Actor by)
    {
        if (RequireMember(c, by, command.DepartmentId) is { } notMember) return Decision.Reject(notMember);
        if (c.Status is not (CaseStatus.InProgress or CaseStatus.Ended)) return Decision.Reject(Status(c, "given check form answers"));
        if (c.Departments.FirstOrDefault(d => d.DepartmentId == command.DepartmentId) is { Review: ReviewStatus.Submitted or ReviewStatus.Approved })
            return Decision.Reject(DomainError.Conflict("departmentId", "result.locked", "Submitted or approved answers change only by a correction with a reason."));
        if (form?.Versions.FirstOrDefault(v => v.Number == command.FormVersion) is not { } version)
            return Decision.Reject(DomainError.Invalid("formVersion", "form.version.unknown", $"Form {command.FormId} has no version {command.FormVersion}."));
        var errors = new List<DomainError>();
        var answers = (command.Answers ?? []).ToList();
        foreach (var answer in answers)
        {
            var item = version.Items.FirstOrDefault(i => i.Code == answer.ItemCode?.ToUpperInvariant());
            if (item is null) errors.Add(DomainError.Invalid("answers", "form.item.unknown", $"Item {answer.ItemCode} is not on version {version.Number} of the form."));
            else if (item.AnswerType == AnswerType.Choice && !item.Options.Contains(answer.Value))
                errors.Add(DomainError.Invalid("answers", "form.answer.option", $"'{answer.Value}' is not an option of item {item.Code}."));
            else if (item.AnswerType == AnswerType.YesNo && answer.Value is not ("yes" or "no"))
                errors.Add(DomainError.Invalid("answers", "form.answer.yes-no", $"Item {item.Code} is answered 'yes' or 'no'."));
        }
        foreach (var missing in version.Items.Where(i => i.Required && answers.All(a => a.ItemCode?.ToUpperInvariant() != i.Code)))
            errors.Add(DomainError.Invalid("answers", "form.answer.required", $"Item {missing.Code} is required."));
        if (errors.Count > 0) return Decision.Reject(errors);
        var set = new FormAnswerSet(command.FormId, command.FormVersion,
            answers.Select(a => a with { ItemCode = a.ItemCode.ToUpperInvariant() }).ToList(), by.UserId);
        return Decision.Accept(new CheckFormAnswered(c.Id, command.DepartmentId, set, by));
    }

    /// <summary>Only a member of the team enters results, and only for the matters of the member's own department.</summary>
    public static Decision Decide(EnterResult command, InspectionCase c, ResultCatalogue catalogue, DateOnly today, WorkingDayCalendar calendar, Actor by)
    {
        if (c.MemberFor(by.UserId) is not { } member) return Decision.Reject(NotMember(by));
        var record = c.Departments.FirstOrDefault(d => d.DepartmentId == member.DepartmentId && d.Matters.Any(m => m.MatterId == command.MatterId));
        if (record is null)
            return Decision.Reject(DomainError.Forbidden("matterId", "result.matter.not-yours", "Results are entered for the matters of the inspector's own department only."));
        if (CheckResult(command.Code, command.SubKind, command.Found, catalogue) is { Count: > 0 } invalid) return Decision.Reject(invalid);
        if (c.Status is not (CaseStatus.InProgress or CaseStatus.Ended)) return Decision.Reject(Status(c, "given results"));
        if (record.Review is ReviewStatus.Submitted or ReviewStatus.Approved)
            return Decision.Reject(DomainError.Conflict("matterId", "result.locked", "Submitted or approved results change only by a correction with a reason."));
        var previous = record.Results.FirstOrDefault(r => r.MatterId == command.MatterId);
        var result = new MatterResult(command.MatterId, command.Code, command.SubKind, command.Found?.Trim(), command.Handling?.Trim(), command.FollowUpMeasure?.Trim(),
            catalogue.Version, today, by.UserId, (previous?.Revision ?? 0) + 1, [], null);
        var events = new List<object> { new ResultEntered(c.Id, record.DepartmentId, result, by) };
        if (c.Trigger == DeadlineTrigger.ResultProduced && c.Deadline is null)
            events.Add(new ResultDeadlineSet(c.Id, DeadlineFrom(calendar, DeadlineTrigger.ResultProduced, today)));
        return Decision.Accept(events.ToArray());
    }

    public static Decision Decide(SubmitResults command, InspectionCase c, Actor by)
    {
        if (RequireMember(c, by, command.DepartmentId) is { } notMember) return Decision.Reject(notMember);
        if (c.Status is not (CaseStatus.InProgress or CaseStatus.Ended)) return Decision.Reject(Status(c, "submitted"));
        if (c.Departments.FirstOrDefault(d => d.DepartmentId == command.DepartmentId) is not { } record)
            return Decision.Reject(DomainError.Forbidden("departmentId", "result.matter.not-yours", "The department takes no part in this case."));
        if (record.Review is ReviewStatus.Submitted or ReviewStatus.Approved) return Decision.Accept();
        if (RecusalAfterResults.PendingRecheck(c, command.DepartmentId) is { } recheck) return Decision.Reject(recheck);
        var missing = record.Matters.Where(m => record.Results.All(r => r.MatterId != m.MatterId)).ToList();
        if (missing.Count > 0)
            return Decision.Reject(DomainError.Invalid("departmentId", "results.incomplete", $"{missing.Count} matter(s) of the department have no result yet."));
        return Decision.Accept(new ResultsSubmitted(c.Id, command.DepartmentId, by));
    }

    /// <summary>审核: a reviewer of the department, not on the team, approves or returns with reasons.</summary>
    public static Decision Decide(ReviewResults command, InspectionCase c, Actor by)
    {
        if (by.DepartmentId != command.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "review.department", "A reviewer reviews the results of their own department."));
        if (c.MemberFor(by.UserId) is not null || c.Departments.SelectMany(d => d.Results).SelectMany(r => r.History.Append(r))
                .Any(r => Identity.Same(r.EnteredBy, by.UserId)))
            return Decision.Reject(DomainError.Forbidden("reviewer", "review.self", "A member of the inspection team, or anyone who entered its results, cannot review them."));
        if (c.Status is CaseStatus.Withdrawn or CaseStatus.Closed) return Decision.Reject(Status(c, "reviewed"));
        if (c.Departments.FirstOrDefault(d => d.DepartmentId == command.DepartmentId) is not { Review: ReviewStatus.Submitted })
            return Decision.Reject(DomainError.Conflict("departmentId", "review.not-submitted", "Only submitted results are reviewed."));
        if (command.Approve)
            return RecusalAfterResults.PendingRecheck(c, command.DepartmentId) is { } recheck
                ? Decision.Reject(recheck)
                : Decision.Accept(new ResultsApproved(c.Id, command.DepartmentId, by));
        var reasons = (command.Reasons ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        return reasons.Count == 0
            ? Decision.Reject(DomainError.Invalid("reasons", "reasons.required", "Returned results carry at least one reason."))
            : Decision.Accept(new ResultsReturned(c.Id, command.DepartmentId, reasons, by));
    }

    /// <summary>A correction after approval: a new version with a reason; nothing is overwritten.</summary>
    public static Decision Decide(CorrectResult command, InspectionCase c, ResultCatalogue catalogue, DateOnly today, Actor by)
    {
        if (c.MemberFor(by.UserId) is not { } member) return Decision.Reject(NotMember(by));
        if (c.Status is CaseStatus.Withdrawn) return Decision.Reject(Status(c, "corrected"));
        var errors = CheckResult(command.Code, command.SubKind, command.Found, catalogue);
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);
        var record = c.Departments.FirstOrDefault(d => d.DepartmentId == member.DepartmentId);
        var current = record?.Results.FirstOrDefault(r => r.MatterId == command.MatterId);
        if (record is not { Review: ReviewStatus.Approved } || current is null)
            return Decision.Reject(DomainError.Conflict("matterId", "correction.not-approved", "Only an approved result is corrected; before approval, enter it again."));
        var corrected = new MatterResult(command.MatterId, command.Code, command.SubKind, command.Found?.Trim(), command.Handling?.Trim(),
            command.FollowUpMeasure?.Trim(), catalogue.Version, today, by.UserId, current.Revision + 1, [], command.Reason.Trim());
        return Decision.Accept(new ResultCorrected(c.Id, record.DepartmentId, corrected, command.Reason.Trim(), by));
    }

    /// <summary>Raised by the scheduled reminder: results not yet submitted by everyone a few working days before the deadline.</summary>
    public static Decision DecideDue(InspectionCase c, DateOnly today) =>
        c.Deadline is { } d && c.Status != CaseStatus.Withdrawn && !c.DueReminded && !AllSubmitted(c) && today >= d.RemindOn ? Decision.Accept(new ResultEntryDueRaised(c.Id, d.Due)) : Decision.Accept();

    /// <summary>Raised by the scheduled deadline: results not submitted by every department after the due day.</summary>
    public static Decision DecideOverdue(InspectionCase c, DateOnly today) =>
        c.Deadline is { } d && c.Status != CaseStatus.Withdrawn && !c.Overdue && !AllSubmitted(c) && today > d.Due ? Decision.Accept(new ResultEntryOverdueRaised(c.Id, d.Due, today)) : Decision.Accept();

    /// <summary>A reminder that ran before its day (clocks disagree, or the deadline moved later) waits again for it.</summary>
    public static bool RemindAgain(InspectionCase c, DateOnly today) => c.Deadline is { } d && !c.DueReminded && !AllSubmitted(c) && today < d.RemindOn;

    /// <summary>A deadline check that ran on or before the due day waits again for it.</summary>
    public static bool CheckAgain(InspectionCase c, DateOnly today) => c.Deadline is { } d && !c.Overdue && !AllSubmitted(c) && today <= d.Due;

    public static bool AllSubmitted(InspectionCase c) => c.Departments.All(d => d.Review is ReviewStatus.Submitted or ReviewStatus.Approved);

    public static InspectionCase? Evolve(InspectionCase? c, object @event) => @event switch
    {
        CaseOpened e => new InspectionCase(e.CaseId, e.DrawId, e.PlanId, e.TaskNumber, e.TargetId, CaseStatus.Open, e.Team,
            e.Participants.Select(p => new DepartmentRecord(p.DepartmentId, p.Matters, [], ReviewStatus.NotSubmitted, [], [])).ToList(),
            [], null, null, [], e.Trigger, null, false, false),
        CaseTeamChanged e when c is not null => c with
        {
            Team = [.. c.Team.Where(m => m.InspectorId != e.OutgoingInspectorId), .. e.Incoming is null ? [] : new[] { e.Incoming }],
            ResultsToRecheck = [.. c.ResultsToRecheck, .. (e.ResultsToRecheck ?? []).Where(r => !c.ResultsToRecheck.Contains(r))],
        },
        InspectionNoticeRecorded e when c is not null => c with { Notices = [.. c.Notices, e.Notice] },
        InspectionStarted e when c is not null => c with { Status = CaseStatus.InProgress, StartedOn = e.StartedOn },
        InspectionEnded e when c is not null => c with { Status = CaseStatus.Ended, EndedOn = e.EndedOn, Methods = e.Methods },
        ResultDeadlineSet e when c is not null => c with { Deadline = e.Deadline },
        CheckFormAnswered e when c is not null => Department(c, e.DepartmentId, d => d with { Forms = [.. d.Forms.Where(f => f.FormId != e.Answers.FormId), e.Answers] }),
        ResultEntered e when c is not null => Rechecked(Department(c, e.DepartmentId, d => d with
        {
            Results = [.. d.Results.Where(r => r.MatterId != e.Result.MatterId), e.Result],
            Review = d.Review == ReviewStatus.Returned ? ReviewStatus.NotSubmitted : d.Review,
        }), e.DepartmentId, e.Result),
        ResultsSubmitted e when c is not null => Department(c, e.DepartmentId, d => d with { Review = ReviewStatus.Submitted }),
        ResultsApproved e when c is not null => Department(c, e.DepartmentId, d => d with { Review = ReviewStatus.Approved, ReturnReasons = [] }),
        ResultsReturned e when c is not null => Department(c, e.DepartmentId, d => d with { Review = ReviewStatus.Returned, ReturnReasons = e.Reasons }),
        ResultCorrected e when c is not null => Rechecked(Department(c, e.DepartmentId, d => d with
        {
            Results = d.Results.Select(r => r.MatterId == e.Result.MatterId ? e.Result with { History = [.. r.History, r with { History = [] }] } : r).ToList(),
        }), e.DepartmentId, e.Result),
        ResultEntryDueRaised when c is not null => c with { DueReminded = true },
        ResultEntryOverdueRaised when c is not null => c with { Overdue = true },
        Disclosure.PublicationDeadlineSet e when c is not null => c with { PublicationDeadline = e.Deadline },
        Disclosure.PublicationDueRaised when c is not null => c with { PublicationDueReminded = true },
        Disclosure.PublicationOverdueRaised when c is not null => c with { PublicationOverdue = true },
        CaseClosed when c is not null => c with { Status = CaseStatus.Closed },
        CaseWithdrawn when c is not null => c with { Status = CaseStatus.Withdrawn },
        _ => c,
    };

    /// <summary>A flagged result entered again or corrected by someone other than the inspector who recused is checked again.</summary>
    private static InspectionCase Rechecked(InspectionCase c, Guid departmentId, MatterResult result) =>
        c.ResultsToRecheck.Count == 0 ? c : c with
        {
            ResultsToRecheck = c.ResultsToRecheck.Where(r => !(r.DepartmentId == departmentId && r.MatterId == result.MatterId && !Identity.Same(r.EnteredBy, result.EnteredBy))).ToList(),
        };

    private static InspectionCase Department(InspectionCase c, Guid departmentId, Func<DepartmentRecord, DepartmentRecord> change) =>
        c with { Departments = c.Departments.Select(d => d.DepartmentId == departmentId ? change(d) : d).ToList() };

    /// <summary>
    /// A result is one of the catalogue's results; a result with details needs one of its most specific details (e.g.
    /// 发现问题待后续处理 → 未按规定公示应当公示的信息, not the heading 违反工商行政管理相关规定 above it). The catalogue is the version in
    /// force for the inspector's province at entry: a code only an older or another province's version has is refused.
    /// </summary>
    private static List<DomainError> CheckResult(string? code, string? subKind, string? found, ResultCatalogue catalogue)
    {
        var errors = new List<DomainError>();
        var versionName = catalogue.Scope == ResultCatalogue.NationalScope ? $"the national result catalogue {catalogue.Version}" : $"result catalogue {catalogue.Version} of province {catalogue.Scope}";
        if (catalogue.Find(code) is not { } entry)
        {
            errors.Add(DomainError.Invalid("code", "result.code.unknown",
                $"'{code}' is not a result of {versionName}, the version in force: one of {string.Join(", ", catalogue.Results.Select(c => c.Code))}."));
            return errors;
        }
        var choices = catalogue.ChoicesUnder(entry.Code);
        if (choices.Count > 0 && choices.All(s => s.Code != subKind))
            errors.Add(DomainError.Invalid("subKind", "result.subkind.unknown",
                $"'{entry.Wording}' needs a sub-kind of {versionName}: one of {string.Join(", ", choices.Select(s => s.Code))}."));
        if (choices.Count == 0 && subKind is not null)
            errors.Add(DomainError.Invalid("subKind", "result.subkind.unexpected", $"'{entry.Wording}' has no sub-kinds."));
        if (entry.NeedsFollowUp && string.IsNullOrWhiteSpace(found))
            errors.Add(DomainError.Invalid("found", "result.found.required", "Describe what was found (发现问题情况)."));
        return errors;
    }

    /// <summary>On the team as the same person in the same department: a token naming another department does not act for the member.</summary>
    private static DomainError? RequireMember(InspectionCase c, Actor by, Guid? departmentId = null) =>
        c.MemberFor(by.UserId) is { } member && member.DepartmentId == by.DepartmentId && (departmentId is null || member.DepartmentId == departmentId) ? null : NotMember(by);

    private static DomainError NotMember(Actor by) =>
        DomainError.Forbidden("inspector", "case.not-on-team", $"{by.UserId} is not on this case's team (谁检查、谁录入): only the drawn team acts on the case.");

    private static DomainError Status(InspectionCase c, string verb) =>
        DomainError.Conflict("status", "case.status", $"A case that is {c.Status} cannot be {verb}.");
}

public static class DeadlineRules
{
    /// <summary>
    /// A provisional deadline (counted into a year whose calendar was not loaded) is counted again once the calendar
    /// changes; a definite one keeps the calendar version it was counted with.
    /// </summary>
    public static Decision Recompute(InspectionCase c, WorkingDayCalendar calendar)
    {
        if (c.Deadline is not { Provisional: true } old) return Decision.Accept();
        var recomputed = CaseRules.DeadlineFrom(calendar, old.Trigger, old.TriggerDate);
        return recomputed.Due == old.Due && recomputed.Provisional == old.Provisional && recomputed.CalendarVersions.SequenceEqual(old.CalendarVersions)
            ? Decision.Accept()
            : Decision.Accept(new ResultDeadlineSet(c.Id, recomputed));
    }
}
