using Supervision.Domain.Directories;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Disclosure;

/// <summary>依法依规不适合公开: why something is not disclosed.</summary>
public enum WithholdingGround
{
    StateSecret,
    CommercialSecret,
    PersonalPrivacy,
    OtherLegalBasis,
}

/// <summary>The fields of a result publication that may be redacted one by one, each with its legal basis.</summary>
public static class RedactableFields
{
    public const string EntityName = "entityName";
    public const string CreditCode = "creditCode";
    public const string Handling = "handling";
    public static readonly IReadOnlySet<string> All = new HashSet<string> { EntityName, CreditCode, Handling };
    public const string Redacted = "依法不予公开";
}

public sealed record Redaction(string Field, WithholdingGround Ground, string LegalBasis);

public sealed record PublicMatterResult(string MatterCode, string MatterName, string Result, string? SubKind);

/// <summary>
/// 后续处理结果 as the public sees it, structured: which measure, its outcome, the day it was completed and the body that decided it
/// (the measure's owner department). Supersedes the free-text <see cref="PublicResult.Handling"/> typed at publishing.
/// </summary>
public sealed record PublicFollowUpOutcome(Guid FollowUpId, int Measure, MeasureKind Kind, string Outcome, DateOnly CompletedOn, string DecidingBody);

/// <summary>
/// What the public sees of an inspection result (一公开), frozen at publication and never edited: plan and task numbers and
/// names, type, inspecting authority, date, entity name and credit code, matters and results, methods, handling of
/// violations. Never inspector data or credit risk classes (西华县 2022 三; 国家企业信用信息公示系统).
/// </summary>
public sealed record PublicResult(
    Guid PublicationId, int Revision, Guid CaseId, string PlanNumber, string TaskNumber, string TaskName, TaskType TaskType, string Authority,
    DateOnly InspectedOn, string EntityName, string? CreditCode, IReadOnlyList<PublicMatterResult> Matters, IReadOnlyList<InspectionMethod> Methods,
    string? Handling, DateOnly PublishedOn, int? Corrects, string? CorrectionReason, IReadOnlyList<string> RedactedFields,
    IReadOnlyList<PublicFollowUpOutcome> FollowUpOutcomes = null!)
{
    /// <summary>Publications frozen before issue 16 carry no list (null in their JSON): read as none.</summary>
    public IReadOnlyList<PublicFollowUpOutcome> FollowUpOutcomes { get; init; } = FollowUpOutcomes ?? [];
}

public sealed record PublishResult(DateOnly? PublishedOn, IReadOnlyList<Redaction>? Redactions, string? Handling);
public sealed record CorrectPublication(DateOnly? PublishedOn, IReadOnlyList<Redaction>? Redactions, string? Handling, string Reason, long Version);
public sealed record WithholdResult(WithholdingGround? Ground, string LegalBasis, string Reason);
public sealed record WithdrawRevision(WithholdingGround? Ground, string LegalBasis, string Reason, long Version);

public sealed record ResultPublished(Guid PublicationId, PublicResult Content, IReadOnlyList<Redaction> Redactions, Actor By);
/// <summary>A correction is a new publication referencing the one it corrects; both stay visible.</summary>
public sealed record PublicationCorrected(Guid PublicationId, PublicResult Content, IReadOnlyList<Redaction> Redactions, string Reason, Actor By);
/// <summary>
/// A follow-up measure's outcome was back-filled on a published case, and a new revision of the public copy carries it
/// (<see cref="PublicResult.FollowUpOutcomes"/>), published the same day by the back-fill itself. Automatic rather than a separate
/// publish act: 西华县 2022 (六) sets 20 working days from the result for disclosure, and 赞皇县 (四) asks outcomes be entered 及时 and
/// never left un-back-filled; disclosing in the back-fill's own transaction meets the 20-working-day deadline on day 0, so no due/overdue
/// reminder can ever fire and none is scheduled. The actor is the back-filling (deciding) department.
/// </summary>
public sealed record FollowUpOutcomeDisclosed(Guid PublicationId, Guid CaseId, Guid FollowUpId, int Measure, PublicResult Content, Actor By);
/// <summary>
/// The publication date a person entered is not the day the publication was committed (China time). Recorded, not refused: a result can
/// truly have been published first elsewhere (e.g. 国家企业信用信息公示系统) and entered here later; but a back-dated
/// <c>publishedOn</c> is also how a late disclosure would be made to look on time (20 working days, 西华县 2022), so 纪检 see the flag in
/// the case history. Issue 16.
/// </summary>
public sealed record PublicationDateFlagged(Guid PublicationId, Guid CaseId, int Revision, DateOnly PublishedOn, DateOnly CommittedOn, Actor By);
/// <summary>
/// An earlier revision of a public copy is withdrawn from public view (e.g. it showed a field a later correction redacted for privacy),
/// with its ground and legal basis, by an approver of the publishing department. The public no longer sees it by any route; the
/// internal history and the 纪检 case history keep it, and this act beside it.
/// </summary>
public sealed record PublicationRevisionWithdrawn(Guid PublicationId, Guid CaseId, int Revision, WithholdingGround Ground, string LegalBasis, string Reason, Actor By);
public sealed record WithdrawnRevision(int Revision, WithholdingGround Ground, string LegalBasis, string Reason, string By);
/// <summary>Not disclosed at all, with the legal basis and the approver (the actor); counted by oversight.</summary>
public sealed record ResultWithheld(Guid PublicationId, Guid CaseId, WithholdingGround Ground, string LegalBasis, string Reason, Actor By);

public sealed record ResultPublication(Guid Id, Guid CaseId, Guid DepartmentId, IReadOnlyList<PublicResult> Revisions, bool Withheld, WithholdingGround? Ground, string? LegalBasis)
    : IFolded<ResultPublication>
{
    public long Version { get; init; }

    public ResultPublication WithVersion(long version) => this with { Version = version };

    public static ResultPublication? StateAfter(ResultPublication? state, object @event) => PublicationRules.Evolve(state, @event);

    public static Guid IdFor(Guid caseId) => DeterministicId.For("result-publication", caseId.ToString("N"));

    public PublicResult? Current => Revisions.Count == 0 ? null : Revisions[^1];

    /// <summary>Revisions withdrawn from public view (<see cref="PublicationRevisionWithdrawn"/>); internally they stay in <see cref="Revisions"/>.</summary>
    public IReadOnlyList<WithdrawnRevision> Withdrawn { get; init; } = [];

    /// <summary>What the public may see of the history: every revision not withdrawn, newest first.</summary>
    public IReadOnlyList<PublicResult> PublicHistory() => Revisions.Where(r => Withdrawn.All(w => w.Revision != r.Revision)).Reverse().ToList();
}

/// <summary>What the shell loaded to build the public copy.</summary>
/// <param name="Catalogues">The result catalogue versions the case's results were entered under: each result is published in its own version's wording.</param>
/// <param name="FollowUpOutcomes">Follow-up outcomes already back-filled on the case: a first publication (or a correction) made after them
/// carries them, so an outcome back-filled before the case was published still reaches the public (后续处理结果).</param>
public sealed record PublicationSources(InspectionCase Case, AnnualPlan Plan, Target Target, string Authority, IReadOnlyDictionary<Guid, InspectionMatter> Matters,
    ResultCatalogues? Catalogues = null, IReadOnlyList<PublicFollowUpOutcome>? FollowUpOutcomes = null);

public static class PublicationRules
{
    /// <param name="committedOn">The China calendar day the publication is committed; a different <c>publishedOn</c> is flagged (<see cref="PublicationDateFlagged"/>).</param>
    public static Decision Decide(PublishResult command, ResultPublication? existing, PublicationSources sources, Actor by, DateOnly? committedOn = null)
    {
        var errors = CheckRedactions(command.Redactions).ToList();
        if (command.PublishedOn is null) errors.Add(DomainError.Invalid("publishedOn", "publishedOn.required", "'publishedOn' is the date of publication."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (CheckPublishable(sources, by) is { } refused) return Decision.Reject(refused);
        if (existing is { Withheld: true }) return Decision.Reject(DomainError.Conflict("caseId", "publication.withheld", "This result is withheld from disclosure."));
        if (existing is { Revisions.Count: > 0 }) return Decision.Accept();
        var id = ResultPublication.IdFor(sources.Case.Id);
        var redactions = command.Redactions ?? [];
        var first = Content(id, 1, sources, command.Handling, command.PublishedOn!.Value, null, null, redactions);
        var content = first with { FollowUpOutcomes = WithKnownOutcomes([], sources) };
        var published = new ResultPublished(id, content, redactions, by);
        return Decision.Accept([published, .. DateFlag(published.Content, committedOn, by)]);
    }

    public static Decision Decide(CorrectPublication command, ResultPublication publication, PublicationSources sources, Actor by, DateOnly? committedOn = null)
    {
        var errors = CheckRedactions(command.Redactions).ToList();
        Text.RequireReason(errors, command.Reason, 1000);
        if (command.PublishedOn is null) errors.Add(DomainError.Invalid("publishedOn", "publishedOn.required", "'publishedOn' is the date of publication."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (CheckPublishable(sources, by) is { } refused) return Decision.Reject(refused);
        if (publication.Current is not { } current) return Decision.Reject(DomainError.Conflict("caseId", "publication.none", "Nothing is published yet to correct."));
        var redactions = command.Redactions ?? [];
        var revised = Content(publication.Id, current.Revision + 1, sources, command.Handling, command.PublishedOn!.Value, current.Revision,
            command.Reason.Trim(), redactions);
        var content = revised with { FollowUpOutcomes = WithKnownOutcomes(current.FollowUpOutcomes, sources) };
        return Decision.Accept([new PublicationCorrected(publication.Id, content, redactions, command.Reason.Trim(), by), .. DateFlag(content, committedOn, by)]);
    }

    public const string FollowUpRevisionReason = "公示后续处理结果";

    /// <summary>The outcomes already public, then those back-filled and not public yet (in the order they were completed).</summary>
    private static IReadOnlyList<PublicFollowUpOutcome> WithKnownOutcomes(IReadOnlyList<PublicFollowUpOutcome> already, PublicationSources sources) =>
        [.. already, .. (sources.FollowUpOutcomes ?? [])
            .Where(o => !already.Any(a => a.FollowUpId == o.FollowUpId && a.Measure == o.Measure))
            .OrderBy(o => o.CompletedOn).ThenBy(o => o.FollowUpId).ThenBy(o => o.Measure)];

    /// <summary>
    /// The new public revision a back-filled outcome makes (see <see cref="FollowUpOutcomeDisclosed"/>): nothing when the case is not
    /// published (the outcome waits for the first publication's correction) or withheld, or when this measure's outcome is already public.
    /// The revision keeps everything else of the current one, redactions included; it is published on <paramref name="today"/>.
    /// </summary>
    public static Decision DecideFollowUpOutcome(ResultPublication? publication, FollowUpCase followUp, MeasureBackFilled backFilled, string decidingBody, DateOnly today)
    {
        if (publication is not { Withheld: false, Current: { } current }) return Decision.Accept();
        if (current.FollowUpOutcomes.Any(o => o.FollowUpId == followUp.Id && o.Measure == backFilled.Number)) return Decision.Accept();
        if (followUp.MeasureNumbered(backFilled.Number) is not { } measure) return Decision.Accept();
        var outcome = new PublicFollowUpOutcome(followUp.Id, measure.Number, measure.Kind, backFilled.Outcome, backFilled.CompletedOn, decidingBody);
        var content = current with
        {
            Revision = current.Revision + 1,
            PublishedOn = today,
            Corrects = current.Revision,
            CorrectionReason = FollowUpRevisionReason,
            FollowUpOutcomes = [.. current.FollowUpOutcomes, outcome],
        };
        return Decision.Accept(new FollowUpOutcomeDisclosed(publication.Id, publication.CaseId, followUp.Id, measure.Number, content, backFilled.By));
    }

    private static IEnumerable<object> DateFlag(PublicResult content, DateOnly? committedOn, Actor by) =>
        committedOn is { } day && day != content.PublishedOn
            ? [new PublicationDateFlagged(content.PublicationId, content.CaseId, content.Revision, content.PublishedOn, day, by)]
            : [];

    public static Decision Decide(WithholdResult command, ResultPublication? existing, InspectionCase inspectionCase, Guid departmentId, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Ground is null) errors.Add(DomainError.Invalid("ground", "ground.required", "Name the ground: StateSecret, CommercialSecret, PersonalPrivacy or OtherLegalBasis."));
        Text.RequireName(errors, "legalBasis", command.LegalBasis, 500);
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (by.DepartmentId != departmentId) return Decision.Reject(DomainError.Forbidden("departmentId", "publication.department", "The inspecting department decides on disclosure."));
        if (existing is { Revisions.Count: > 0 }) return Decision.Reject(DomainError.Conflict("caseId", "publication.published", "Already published: correct the publication (with redactions) instead."));
        if (existing is { Withheld: true }) return Decision.Accept();
        return Decision.Accept(new ResultWithheld(ResultPublication.IdFor(inspectionCase.Id), inspectionCase.Id, command.Ground!.Value, command.LegalBasis.Trim(), command.Reason.Trim(), by));
    }

    /// <summary>
    /// Only a superseded revision is withdrawn: the current one is what the public copy is, so it is corrected (with redactions) or, before
    /// publication, withheld; withdrawing it would leave the result with no public copy without the 依法依规不适合公开 decision.
    /// 谁检查、谁公开 (西华县 2022 (六)): the publishing department's approver decides.
    /// </summary>
    public static Decision Decide(WithdrawRevision command, int revision, ResultPublication publication, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.Ground is null) errors.Add(DomainError.Invalid("ground", "ground.required", "Name the ground: StateSecret, CommercialSecret, PersonalPrivacy or OtherLegalBasis."));
        Text.RequireName(errors, "legalBasis", command.LegalBasis, 500);
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (by.DepartmentId != publication.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "publication.department", "The publishing department withdraws a revision (谁检查、谁公开)."));
        if (publication.Revisions.All(r => r.Revision != revision))
            return Decision.Reject(DomainError.NotFound("revision", "revision.unknown", $"The publication has no revision {revision}."));
        if (publication.Current!.Revision == revision)
            return Decision.Reject(DomainError.Conflict("revision", "revision.current", "The current revision is not withdrawn: correct the publication (with redactions) first."));
        if (publication.Withdrawn.Any(w => w.Revision == revision)) return Decision.Accept();
        return Decision.Accept(new PublicationRevisionWithdrawn(publication.Id, publication.CaseId, revision, command.Ground!.Value, command.LegalBasis.Trim(), command.Reason.Trim(), by));
    }

    public static ResultPublication? Evolve(ResultPublication? p, object @event) => @event switch
    {
        ResultPublished e => new ResultPublication(e.PublicationId, e.Content.CaseId, e.By.DepartmentId ?? Guid.Empty, [e.Content], false, null, null),
        PublicationCorrected e when p is not null => p with { Revisions = [.. p.Revisions, e.Content] },
        FollowUpOutcomeDisclosed e when p is not null => p with { Revisions = [.. p.Revisions, e.Content] },
        PublicationRevisionWithdrawn e when p is not null => p with { Withdrawn = [.. p.Withdrawn, new WithdrawnRevision(e.Revision, e.Ground, e.LegalBasis, e.Reason, e.By.UserId)] },
        ResultWithheld e => new ResultPublication(e.PublicationId, e.CaseId, e.By.DepartmentId ?? Guid.Empty, [], true, e.Ground, e.LegalBasis),
        _ => p,
    };

    private static DomainError? CheckPublishable(PublicationSources sources, Actor by)
    {
        var lead = sources.Case.Departments[0].DepartmentId;
        if (by.DepartmentId is not { } department || sources.Case.Departments.All(d => d.DepartmentId != department))
            return DomainError.Forbidden("departmentId", "publication.department", "A department that inspected publishes the result (谁检查、谁公开).");
        if (!sources.Case.AllApproved)
            return DomainError.Conflict("caseId", "publication.not-approved", "Only reviewed and approved results are published.");
        return lead == Guid.Empty ? DomainError.Invalid("caseId", "case.invalid", "The case has no department.") : null;
    }

    private static IEnumerable<DomainError> CheckRedactions(IReadOnlyList<Redaction>? redactions)
    {
        foreach (var r in redactions ?? [])
        {
            if (!RedactableFields.All.Contains(r.Field))
                yield return DomainError.Invalid("redactions", "redaction.field", $"'{r.Field}' cannot be redacted; redactable: {string.Join(", ", RedactableFields.All)}.");
            if (string.IsNullOrWhiteSpace(r.LegalBasis))
                yield return DomainError.Invalid("redactions", "redaction.basis", $"Redacting '{r.Field}' needs its legal basis.");
        }
    }

    private static PublicResult Content(Guid id, int revision, PublicationSources s, string? handling, DateOnly publishedOn, int? corrects, string? reason, IReadOnlyList<Redaction> redactions)
    {
        bool Redacted(string field) => redactions.Any(r => r.Field == field);
        var task = s.Plan.Task(s.Case.TaskNumber)!.Definition;
        var catalogues = s.Catalogues ?? ResultCatalogues.ShippedOnly;
        var matters = s.Case.Departments.SelectMany(d => d.Results).Select(r =>
        {
            var matter = s.Matters.GetValueOrDefault(r.MatterId);
            var catalogue = catalogues.For(r.CatalogueVersion);
            return new PublicMatterResult(matter?.Code ?? "", matter?.Latest().Name ?? "", catalogue.Entry(r.Code)?.Wording ?? r.Code, catalogue.DetailWording(r.SubKind));
        }).ToList();
        return new PublicResult(id, revision, s.Case.Id, s.Plan.Number, s.Case.TaskNumber, task.Name, task.Type, s.Authority, s.Case.EndedOn ?? publishedOn,
            Redacted(RedactableFields.EntityName) ? RedactableFields.Redacted : s.Target.Name,
            Redacted(RedactableFields.CreditCode) ? RedactableFields.Redacted : s.Target.CreditCode,
            matters, s.Case.Methods, Redacted(RedactableFields.Handling) ? RedactableFields.Redacted : handling?.Trim(), publishedOn, corrects, reason,
            redactions.Select(r => r.Field).Distinct().ToList());
    }
}
