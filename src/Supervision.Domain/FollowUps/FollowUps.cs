using Supervision.Domain.Calendar;
using Supervision.Domain.Inspections;

namespace Supervision.Domain.FollowUps;

/// <summary>后续处理 measures (西华县 2022, 邢台 2022): what is done about a problem an inspection found.</summary>
public enum MeasureKind
{
    /// <summary>责令改正, with a rectification deadline and a re-check.</summary>
    RectificationOrder,
    /// <summary>转办/移送 to the department with jurisdiction ("谁审批谁监管、谁主管谁监管"), which must accept it.</summary>
    HandOver,
    /// <summary>立案查处, with the penalty decision when made.</summary>
    FileCase,
    /// <summary>移送司法机关.</summary>
    JudicialTransfer,
    /// <summary>列入经营异常名录: for an entity unreachable at its registered address, within 10 working days.</summary>
    AbnormalOperationList,
    /// <summary>信用惩戒 / 联合惩戒.</summary>
    CreditPunishment,
    /// <summary>抄告 another department.</summary>
    CopyTo,
}

public sealed record MeasureInput(MeasureKind? Kind, Guid? OwnerDepartmentId, DateOnly? DueOn, string? Details);

public sealed record Measure(int Number, MeasureKind Kind, Guid OwnerDepartmentId, DateOnly DueOn, string? Details, bool Accepted,
    string? Outcome, IReadOnlyList<string> Documents, DateOnly? CompletedOn, bool Overdue)
{
    /// <summary>A hand-over waits for the receiving department to accept it; every other measure belongs to its owner at once.</summary>
    public bool NeedsAcceptance => Kind == MeasureKind.HandOver && !Accepted;
}

public enum FollowUpStatus
{
    Open,
    Closed,
}

public sealed record OpenFollowUp(Guid MatterId, IReadOnlyList<MeasureInput> Measures, string Reason);
public sealed record AcceptMeasure(long Version);
public sealed record BackFillMeasure(string Outcome, IReadOnlyList<string>? Documents, DateOnly? CompletedOn, long Version);
public sealed record CloseFollowUp(long Version);

public sealed record FollowUpOpened(Guid FollowUpId, Guid CaseId, Guid TargetId, Guid MatterId, Guid DepartmentId, string ResultCode,
    IReadOnlyList<Measure> Measures, string Reason, Actor By);
public sealed record MeasureAccepted(Guid FollowUpId, int Number, Actor By);
/// <summary>回填: the outcome of a measure, with its documents (decision numbers, notices), back-filled by its owner.</summary>
public sealed record MeasureBackFilled(Guid FollowUpId, int Number, string Outcome, IReadOnlyList<string> Documents, DateOnly CompletedOn, bool Late, Actor By);
public sealed record MeasureOverdueRaised(Guid FollowUpId, int Number, DateOnly DueOn, DateOnly On);
/// <summary>The loop is closed (监管闭环): every measure has its outcome back-filled.</summary>
public sealed record FollowUpClosed(Guid FollowUpId, DateOnly ClosedOn, Actor By);

public sealed record FollowUpCase(Guid Id, Guid CaseId, Guid TargetId, Guid MatterId, Guid DepartmentId, string ResultCode, IReadOnlyList<Measure> Measures,
    FollowUpStatus Status, DateOnly? ClosedOn) : IFolded<FollowUpCase>
{
    public long Version { get; init; }

    public FollowUpCase WithVersion(long version) => this with { Version = version };

    public static FollowUpCase? StateAfter(FollowUpCase? state, object @event) => FollowUpRules.Evolve(state, @event);

    public static Guid IdFor(Guid caseId, Guid matterId) => DeterministicId.For("follow-up", $"{caseId:N}/{matterId:N}");

    public Measure? MeasureNumbered(int number) => Measures.FirstOrDefault(m => m.Number == number);
}

public static class FollowUpRules
{
    /// <summary>An entity unreachable at its registered address goes on the abnormal operation list within 10 working days.</summary>
    public const int AbnormalListWorkingDays = 10;

    public static Decision Decide(OpenFollowUp command, InspectionCase inspectionCase, FollowUpCase? existing, ResultCatalogue catalogue,
        WorkingDayCalendar calendar, DateOnly today, Actor by)
    {
        var record = inspectionCase.Departments.FirstOrDefault(d => d.Matters.Any(m => m.MatterId == command.MatterId));
        if (record is null) return Decision.Reject(DomainError.NotFound("matterId", "matter.unknown", "The case has no such matter."));
        if (by.DepartmentId != record.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "follow-up.department", "The department whose matter it is handles the follow-up."));
        var result = record.Results.FirstOrDefault(r => r.MatterId == command.MatterId);
        if (record.Review != ReviewStatus.Approved || result is null || catalogue.Find(result.Code) is not { NeedsFollowUp: true })
            return Decision.Reject(DomainError.Conflict("matterId", "follow-up.not-needed", "Follow-up opens for an approved result that needs it (发现问题待后续处理, 不配合检查)."));
        if (existing is not null) return Decision.Accept();

        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, 1000);
        var inputs = command.Measures ?? [];
        if (inputs.Count == 0) errors.Add(DomainError.Invalid("measures", "measures.required", "Choose at least one measure."));
        var measures = new List<Measure>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            if (input.Kind is null || input.OwnerDepartmentId is null)
            {
                errors.Add(DomainError.Invalid($"measures[{i}]", "measure.incomplete", "A measure names its kind and the department that owns it."));
                continue;
            }
            var due = input.DueOn ?? (input.Kind == MeasureKind.AbnormalOperationList ? calendar.AddWorkingDays(today, AbnormalListWorkingDays).Date : (DateOnly?)null);
            if (due is null)
            {
                errors.Add(DomainError.Invalid($"measures[{i}].dueOn", "measure.due.required", "A measure has a deadline for its outcome."));
                continue;
            }
            if (due < today) errors.Add(DomainError.Invalid($"measures[{i}].dueOn", "measure.due.past", "A measure's deadline cannot lie in the past."));
            measures.Add(new Measure(i + 1, input.Kind.Value, input.OwnerDepartmentId.Value, due.Value, input.Details?.Trim(),
                Accepted: input.Kind != MeasureKind.HandOver, null, [], null, false));
        }
        if (errors.Count > 0) return Decision.Reject(errors);
        return Decision.Accept(new FollowUpOpened(FollowUpCase.IdFor(inspectionCase.Id, command.MatterId), inspectionCase.Id, inspectionCase.TargetId,
            command.MatterId, record.DepartmentId, result.Code, measures, command.Reason.Trim(), by));
    }

    public static Decision Decide(AcceptMeasure command, int number, FollowUpCase followUp, Actor by)
    {
        if (followUp.MeasureNumbered(number) is not { } measure) return Decision.Reject(DomainError.NotFound("number", "measure.unknown", $"No measure {number}."));
        if (by.DepartmentId != measure.OwnerDepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "measure.not-yours", "Only the department a measure is handed to accepts it."));
        return measure.Accepted ? Decision.Accept() : Decision.Accept(new MeasureAccepted(followUp.Id, number, by));
    }

    public static Decision Decide(BackFillMeasure command, int number, FollowUpCase followUp, DateOnly today, Actor by)
    {
        if (followUp.MeasureNumbered(number) is not { } measure) return Decision.Reject(DomainError.NotFound("number", "measure.unknown", $"No measure {number}."));
        if (by.DepartmentId != measure.OwnerDepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "measure.not-yours", "Only the department that owns a measure back-fills its outcome."));
        var errors = new List<DomainError>();
        Text.RequireName(errors, "outcome", command.Outcome, 2000);
        if (command.CompletedOn is null) errors.Add(DomainError.Invalid("completedOn", "completedOn.required", "'completedOn' is the day the measure was completed."));
        else if (command.CompletedOn > today) errors.Add(DomainError.Invalid("completedOn", "date.future", "A measure cannot be completed in the future."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (measure.NeedsAcceptance) return Decision.Reject(DomainError.Conflict("number", "measure.not-accepted", "The receiving department accepts a hand-over before back-filling it."));
        if (measure.Outcome is not null) return Decision.Reject(DomainError.Conflict("number", "measure.back-filled", "The outcome is on record; a correction is a new event."));
        return Decision.Accept(new MeasureBackFilled(followUp.Id, number, command.Outcome.Trim(), (command.Documents ?? []).Select(d => d.Trim()).ToList(),
            command.CompletedOn!.Value, Late: today > measure.DueOn, by));
    }

    /// <summary>The case closes only when every measure has its outcome back-filled (监管闭环).</summary>
    public static Decision Decide(CloseFollowUp command, FollowUpCase followUp, DateOnly today, Actor by)
    {
        if (by.DepartmentId != followUp.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "follow-up.department", "The department that opened the follow-up closes it."));
        if (followUp.Status == FollowUpStatus.Closed) return Decision.Accept();
        var missing = followUp.Measures.Where(m => m.Outcome is null).Select(m => m.Number).ToList();
        if (missing.Count > 0)
            return Decision.Reject(DomainError.Conflict("measures", "follow-up.outcomes.missing", $"Measure(s) {string.Join(", ", missing)} have no outcome back-filled."));
        return Decision.Accept(new FollowUpClosed(followUp.Id, today, by));
    }

    public static Decision DecideOverdue(FollowUpCase followUp, int number, DateOnly today) =>
        followUp.MeasureNumbered(number) is { Outcome: null, Overdue: false } m && today > m.DueOn
            ? Decision.Accept(new MeasureOverdueRaised(followUp.Id, number, m.DueOn, today))
            : Decision.Accept();

    public static FollowUpCase? Evolve(FollowUpCase? f, object @event) => @event switch
    {
        FollowUpOpened e => new FollowUpCase(e.FollowUpId, e.CaseId, e.TargetId, e.MatterId, e.DepartmentId, e.ResultCode, e.Measures, FollowUpStatus.Open, null),
        MeasureAccepted e when f is not null => Change(f, e.Number, m => m with { Accepted = true }),
        MeasureBackFilled e when f is not null => Change(f, e.Number, m => m with { Outcome = e.Outcome, Documents = e.Documents, CompletedOn = e.CompletedOn }),
        MeasureOverdueRaised e when f is not null => Change(f, e.Number, m => m with { Overdue = true }),
        FollowUpClosed e when f is not null => f with { Status = FollowUpStatus.Closed, ClosedOn = e.ClosedOn },
        _ => f,
    };

    private static FollowUpCase Change(FollowUpCase f, int number, Func<Measure, Measure> change) =>
        f with { Measures = f.Measures.Select(m => m.Number == number ? change(m) : m).ToList() };
}
