using Supervision.Domain.Calendar;
using Supervision.Domain.Directories;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Inspections;

public enum CaseStatus
{
    Open,
    InProgress,
    Ended,
    Closed,
    Withdrawn,
}

/// <summary>What starts the 20-working-day clock: the end of the inspection, or the day a result was produced (a setting, recorded on the case).</summary>
public enum DeadlineTrigger
{
    InspectionEnded,
    ResultProduced,
}

public enum ReviewStatus
{
    NotSubmitted,
    Submitted,
    Approved,
    Returned,
}

public sealed record TeamMember(Guid InspectorId, string StaffCode, Guid DepartmentId);

/// <summary>One participating department's part of the case: its matters, results and review ("一企一表").</summary>
public sealed record DepartmentRecord(Guid DepartmentId, IReadOnlyList<MatterRef> Matters, IReadOnlyList<MatterResult> Results, ReviewStatus Review,
    IReadOnlyList<string> ReturnReasons, IReadOnlyList<FormAnswerSet> Forms);

/// <summary>A result for one matter. Corrections keep every earlier version in <see cref="History"/>.</summary>
public sealed record MatterResult(Guid MatterId, string Code, string? SubKind, string? Found, string? Handling, string? FollowUpMeasure,
    string CatalogueVersion, DateOnly EnteredOn, string EnteredBy, int Revision, IReadOnlyList<MatterResult> History, string? CorrectionReason);

public sealed record FormAnswer(string ItemCode, string Value);

public sealed record FormAnswerSet(Guid FormId, int FormVersion, IReadOnlyList<FormAnswer> Answers, string AnsweredBy);

public sealed record InspectionNotice(string Number, DateOnly ServedOn, string DeliveredBy);

/// <param name="ProvisionalReason">Why <paramref name="Due"/> is provisional (absent on deadlines recorded before issue 16, and when definite).</param>
public sealed record ResultDeadline(DeadlineTrigger Trigger, DateOnly TriggerDate, DateOnly Due, bool Provisional, IReadOnlyList<string> CalendarVersions, DateOnly RemindOn,
    string? ProvisionalReason = null);

public sealed record InspectionCase(
    Guid Id, Guid DrawId, Guid PlanId, string TaskNumber, Guid TargetId, CaseStatus Status, IReadOnlyList<TeamMember> Team,
    IReadOnlyList<DepartmentRecord> Departments, IReadOnlyList<InspectionNotice> Notices, DateOnly? StartedOn, DateOnly? EndedOn,
    IReadOnlyList<InspectionMethod> Methods, DeadlineTrigger Trigger, ResultDeadline? Deadline, bool Overdue, bool DueReminded) : IFolded<InspectionCase>
{
    public long Version { get; init; }

    public InspectionCase WithVersion(long version) => this with { Version = version };

    public static InspectionCase? StateAfter(InspectionCase? state, object @event) => CaseRules.Evolve(state, @event);

    /// <summary>Results entered by an inspector who recused after entering them, not yet entered again or corrected (<see cref="RecusalAfterResults"/>).</summary>
    public IReadOnlyList<ResultToRecheck> ResultsToRecheck { get; init; } = [];

    /// <summary>The deadline for making the results public, set when every department's results are approved (<see cref="Disclosure.PublicationDeadlines"/>).</summary>
    public Disclosure.PublicationDeadline? PublicationDeadline { get; init; }

    /// <summary>The publication reminder was raised (<see cref="Disclosure.PublicationDueRaised"/>).</summary>
    public bool PublicationDueReminded { get; init; }

    /// <summary>The publication deadline passed with the results not public (<see cref="Disclosure.PublicationOverdueRaised"/>); it stays true once raised.</summary>
    public bool PublicationOverdue { get; init; }

    public static Guid IdFor(Guid drawId, Guid targetId) => DeterministicId.For("case", $"{drawId:N}/{targetId:N}");

    public TeamMember? MemberFor(string userId) => Team.FirstOrDefault(m => string.Equals(m.StaffCode, userId, StringComparison.OrdinalIgnoreCase));

    public bool AllApproved => Departments.All(d => d.Review == ReviewStatus.Approved);
}

public sealed record OpenCase(Guid CaseId, Guid DrawId, Guid PlanId, string TaskNumber, Guid TargetId, IReadOnlyList<Participant> Participants, IReadOnlyList<TeamMember> Team, DeadlineTrigger Trigger);
public sealed record RecordNotice(string Number, DateOnly? ServedOn, long Version);
public sealed record StartInspection(DateOnly? StartedOn, long Version);
public sealed record EndInspection(DateOnly? EndedOn, IReadOnlyList<InspectionMethod>? Methods, long Version);
public sealed record AnswerCheckForm(Guid DepartmentId, Guid FormId, int FormVersion, IReadOnlyList<FormAnswer> Answers, long Version);
public sealed record EnterResult(Guid MatterId, string Code, string? SubKind, string? Found, string? Handling, string? FollowUpMeasure, long Version);
public sealed record SubmitResults(Guid DepartmentId, long Version);
public sealed record ReviewResults(Guid DepartmentId, bool Approve, IReadOnlyList<string>? Reasons, long Version);
public sealed record CorrectResult(Guid MatterId, string Code, string? SubKind, string? Found, string? Handling, string? FollowUpMeasure, string Reason, long Version);

public sealed record CaseOpened(Guid CaseId, Guid DrawId, Guid PlanId, string TaskNumber, Guid TargetId, IReadOnlyList<Participant> Participants,
    IReadOnlyList<TeamMember> Team, DeadlineTrigger Trigger, Actor By);
/// <param name="ResultsDisposition">For a recusal after results (<see cref="RecusalAfterResults"/>): the approver's decision on the entered results.</param>
/// <param name="ResultsToRecheck">For a recusal after results: the outgoing inspector's results, flagged for re-check.</param>
public sealed record CaseTeamChanged(Guid CaseId, Guid OutgoingInspectorId, TeamMember? Incoming, string Reason, Actor By,
    string? ResultsDisposition = null, IReadOnlyList<ResultToRecheck>? ResultsToRecheck = null);
public sealed record InspectionNoticeRecorded(Guid CaseId, InspectionNotice Notice, Actor By);
public sealed record InspectionStarted(Guid CaseId, DateOnly StartedOn, Actor By);
public sealed record InspectionEnded(Guid CaseId, DateOnly EndedOn, IReadOnlyList<InspectionMethod> Methods, Actor By);
public sealed record CheckFormAnswered(Guid CaseId, Guid DepartmentId, FormAnswerSet Answers, Actor By);
/// <summary>The 20-working-day deadline (西华县 2022: 抽查结果在检查结束后20个工作日内录入并公示), with the calendar versions it used.</summary>
public sealed record ResultDeadlineSet(Guid CaseId, ResultDeadline Deadline);
public sealed record ResultEntered(Guid CaseId, Guid DepartmentId, MatterResult Result, Actor By);
public sealed record ResultsSubmitted(Guid CaseId, Guid DepartmentId, Actor By);
public sealed record ResultsApproved(Guid CaseId, Guid DepartmentId, Actor By);
public sealed record ResultsReturned(Guid CaseId, Guid DepartmentId, IReadOnlyList<string> Reasons, Actor By);
/// <summary>A correction after approval: a new version of the result with a reason; the approved one stays in the history.</summary>
public sealed record ResultCorrected(Guid CaseId, Guid DepartmentId, MatterResult Result, string Reason, Actor By);
public sealed record ResultEntryDueRaised(Guid CaseId, DateOnly Due);
public sealed record ResultEntryOverdueRaised(Guid CaseId, DateOnly Due, DateOnly On);
public sealed record CaseClosed(Guid CaseId, Actor By);
/// <summary>The target left the draw (e.g. found 注销 or unreachable) and the next in the ranking replaced it: this case ends here.</summary>
public sealed record CaseWithdrawn(Guid CaseId, string Reason, Actor By);
