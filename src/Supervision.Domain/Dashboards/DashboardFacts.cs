using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;
using Supervision.Domain.Revisits;

namespace Supervision.Domain.Dashboards;

/// <summary>
/// The facts the dashboards and the monthly report count, one small record per plan, draw, case and follow-up, folded
/// from the events with the instant each was committed (for the facts no event states a date of its own). The same pure
/// fold serves the stored read model, its rebuild and the "as of" replay, so the three cannot disagree.
/// </summary>
public static class ChinaTime
{
    private static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>Business dates are China's (UTC+8).</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);
}

public sealed record PlanTaskFact(string Number, Guid InitiatingDepartmentId, Guid? LeadDepartmentId, IReadOnlyList<Guid> DepartmentIds, bool Joint,
    bool ByCreditClass, int MatterCount, string ScopeDescription);

/// <param name="AdjustedOn">The day of each adjustment (计划调整) started after approval.</param>
public sealed record PlanFact(Guid Id, Guid DepartmentId, int Year, string Number, string Name, string? ImplementingScheme, IReadOnlyList<PlanTaskFact> Tasks,
    DateOnly? ApprovedOn, IReadOnlyList<DateOnly> AdjustedOn, DateOnly? VoidedOn)
{
    public PlanTaskFact? Task(string number) => Tasks.FirstOrDefault(t => t.Number == number);

    public static PlanFact? Evolve(PlanFact? plan, object @event, DateTimeOffset at) => @event switch
    {
        PlanDrafted e => new PlanFact(e.PlanId, e.DepartmentId, e.Year, e.Number, e.Name, e.ImplementingScheme, [], null, [], null),
        PlanDetailsChanged e when plan is not null => plan with { Name = e.Name, ImplementingScheme = e.ImplementingScheme },
        TaskAdded e when plan is not null => plan with { Tasks = [.. plan.Tasks, TaskFact(e.TaskNumber, e.Task)] },
        TaskChanged e when plan is not null => plan with { Tasks = plan.Tasks.Select(t => t.Number == e.TaskNumber ? TaskFact(e.TaskNumber, e.Task) : t).ToList() },
        TaskRemoved e when plan is not null => plan with { Tasks = plan.Tasks.Where(t => t.Number != e.TaskNumber).ToList() },
        PlanApproved when plan is not null => plan with { ApprovedOn = ChinaTime.DateOf(at) },
        PlanAdjustmentStarted when plan is not null => plan with { AdjustedOn = [.. plan.AdjustedOn, ChinaTime.DateOf(at)] },
        PlanVoided when plan is not null => plan with { VoidedOn = ChinaTime.DateOf(at) },
        _ => plan,
    };

    private static PlanTaskFact TaskFact(string number, TaskDefinition task) => new(number, task.InitiatingDepartmentId, task.LeadDepartmentId,
        task.Participants.Select(p => p.DepartmentId).Distinct().ToList(), task.IsJoint, task.Sampling.UsesCreditClasses,
        task.AllMatters.Select(m => m.MatterId).Distinct().Count(), task.ScopeDescription);
}

/// <param name="VoidedAfterRandomnessOn">The day a void took effect that needed a 纪检's countersignature (randomness existed).</param>
/// <param name="ReplacesDrawId">For a redo: the voided draw it replaces.</param>
public sealed record DrawFact(Guid Id, Guid PlanId, Guid DepartmentId, string PlanNumber, string TaskNumber, int Year, DateOnly ScheduledOn, DateOnly? DrawnOn,
    int PoolSize, bool Voided, IReadOnlyList<DateOnly> RecusedOn, IReadOnlyList<DateOnly> ReplacedOn, DateOnly? VoidedAfterRandomnessOn = null, Guid? ReplacesDrawId = null)
{
    public static DrawFact? Evolve(DrawFact? draw, object @event, DateTimeOffset at) => @event switch
    {
        DrawScheduled e => new DrawFact(e.DrawId, e.PlanId, e.DepartmentId, e.PlanNumber, e.TaskNumber, e.Year, ChinaTime.DateOf(at), null, e.PoolSize, false, [], [],
            null, e.ReplacesDrawId),
        TargetsDrawn when draw is not null => draw with { DrawnOn = ChinaTime.DateOf(at) },
        InspectorRecused when draw is not null => draw with { RecusedOn = [.. draw.RecusedOn, ChinaTime.DateOf(at)] },
        ReplacementDrawn when draw is not null => draw with { ReplacedOn = [.. draw.ReplacedOn, ChinaTime.DateOf(at)] },
        DrawVoided e when draw is not null => draw with { Voided = true, VoidedAfterRandomnessOn = e.AfterRandomness ? ChinaTime.DateOf(at) : null },
        _ => draw,
    };
}

public sealed record CaseParticipant(Guid DepartmentId, IReadOnlyList<Guid> MatterIds);

/// <param name="CatalogueVersion">The result catalogue version the result was recorded under (null: stored before versions, read as cn-2024.1).</param>
public sealed record MatterOutcome(Guid DepartmentId, Guid MatterId, string Code, string? CatalogueVersion = null);

/// <summary>One inspection case as the dashboards count it, with what its publication stream adds (published, withheld).</summary>
/// <param name="EntryDue">The current deadline for entering the results (20 working days).</param>
/// <param name="EntryOverdue">The deadline passed before every department had submitted its results.</param>
/// <param name="SubmittedOn">The day the last participating department submitted its results.</param>
/// <param name="ResultsFormedOn">The day the last department's results were approved: the day the result exists (检查结果产生之日).</param>
public sealed record CaseFact(Guid Id, Guid PlanId, Guid DrawId, string TaskNumber, Guid TargetId, IReadOnlyList<Guid> DepartmentIds, IReadOnlyList<CaseParticipant> Participants,
    DateOnly OpenedOn, DateOnly? EndedOn, DateOnly? EntryDue, bool EntryOverdue, IReadOnlyList<Guid> Submitted, IReadOnlyList<Guid> Approved,
    DateOnly? SubmittedOn, DateOnly? ResultsFormedOn, IReadOnlyList<MatterOutcome> Outcomes, DateOnly? PublishedOn, bool Withheld, bool Withdrawn)
{
    public bool Joint => DepartmentIds.Count > 1;

    /// <summary>
    /// Whether a result of the case records a problem (发现问题的检查主体): the <c>problemFound</c> flag of its code in the catalogue version
    /// it was recorded under (issue 16: a province's own version decides for its results, not a fixed list of codes).
    /// </summary>
    public bool ProblemFoundIn(ResultCatalogues catalogues) => Outcomes.Any(o => catalogues.For(o.CatalogueVersion).Entry(o.Code)?.ProblemFound == true);

    /// <summary>The case id its events name, wherever they are stored (the case's own stream or its publication's).</summary>
    public static Guid? IdOf(object @event) => @event switch
    {
        CaseOpened e => e.CaseId,
        ResultDeadlineSet e => e.CaseId,
        InspectionEnded e => e.CaseId,
        ResultEntered e => e.CaseId,
        ResultCorrected e => e.CaseId,
        ResultsSubmitted e => e.CaseId,
        ResultsApproved e => e.CaseId,
        ResultsReturned e => e.CaseId,
        ResultEntryOverdueRaised e => e.CaseId,
        CaseWithdrawn e => e.CaseId,
        ResultPublished e => e.Content.CaseId,
        ResultWithheld e => e.CaseId,
        _ => null,
    };

    public static readonly Type[] EventTypes =
    [
        typeof(CaseOpened), typeof(ResultDeadlineSet), typeof(InspectionEnded), typeof(ResultEntered), typeof(ResultCorrected), typeof(ResultsSubmitted),
        typeof(ResultsApproved), typeof(ResultsReturned), typeof(ResultEntryOverdueRaised), typeof(CaseWithdrawn), typeof(ResultPublished), typeof(ResultWithheld),
    ];

    public static CaseFact? Evolve(CaseFact? c, object @event, DateTimeOffset at)
    {
        if (@event is CaseOpened opened)
            return new CaseFact(opened.CaseId, opened.PlanId, opened.DrawId, opened.TaskNumber, opened.TargetId,
                opened.Participants.Select(p => p.DepartmentId).Distinct().ToList(), opened.Participants.Select(p => new CaseParticipant(p.DepartmentId, p.Matters.Select(m => m.MatterId).Distinct().ToList())).ToList(),
                ChinaTime.DateOf(at), null, null, false, [], [], null, null, [], null, false, false);
        if (c is null) return null;
        return @event switch
        {
            ResultDeadlineSet e => c with { EntryDue = e.Deadline.Due },
            InspectionEnded e => c with { EndedOn = e.EndedOn },
            ResultEntered e => c with { Outcomes = Outcome(c, e.DepartmentId, e.Result) },
            ResultCorrected e => c with { Outcomes = Outcome(c, e.DepartmentId, e.Result) },
            ResultsSubmitted e => WhenAllSubmitted(c with { Submitted = [.. c.Submitted.Where(d => d != e.DepartmentId), e.DepartmentId] }, at),
            // A return reopens the entry: the resubmission dates it, and a deadline passing meanwhile makes it late.
            ResultsReturned e => c with
            {
                Submitted = c.Submitted.Where(d => d != e.DepartmentId).ToList(),
                Approved = c.Approved.Where(d => d != e.DepartmentId).ToList(),
                SubmittedOn = null,
            },
            ResultsApproved e => WhenAllApproved(c with { Approved = [.. c.Approved.Where(d => d != e.DepartmentId), e.DepartmentId] }, at),
            ResultEntryOverdueRaised => c.SubmittedOn is null ? c with { EntryOverdue = true } : c,
            CaseWithdrawn => c with { Withdrawn = true },
            ResultPublished e => c with { PublishedOn = c.PublishedOn ?? e.Content.PublishedOn },
            ResultWithheld => c with { Withheld = true },
            _ => c,
        };
    }

    private static IReadOnlyList<MatterOutcome> Outcome(CaseFact c, Guid departmentId, MatterResult result) =>
        [.. c.Outcomes.Where(o => o.MatterId != result.MatterId), new MatterOutcome(departmentId, result.MatterId, result.Code, result.CatalogueVersion)];

    private static CaseFact WhenAllSubmitted(CaseFact c, DateTimeOffset at) =>
        c.SubmittedOn is null && c.DepartmentIds.All(c.Submitted.Contains) ? c with { SubmittedOn = ChinaTime.DateOf(at) } : c;

    private static CaseFact WhenAllApproved(CaseFact c, DateTimeOffset at) =>
        c.ResultsFormedOn is null && c.DepartmentIds.All(c.Approved.Contains) ? c with { ResultsFormedOn = ChinaTime.DateOf(at) } : c;
}

/// <summary>
/// A case's publication as the dashboards count it. Kept apart from <see cref="CaseFact"/> (the case and its publication
/// are different streams, written by different people at any moment) and joined to it when the facts are read.
/// </summary>
public sealed record PublicationFact(Guid Id, Guid CaseId, DateOnly? PublishedOn, bool Withheld)
{
    public static PublicationFact? Evolve(PublicationFact? p, object @event, DateTimeOffset at) => @event switch
    {
        ResultPublished e => (p ?? new PublicationFact(e.PublicationId, e.Content.CaseId, null, false)) with { PublishedOn = p?.PublishedOn ?? e.Content.PublishedOn },
        ResultWithheld e => (p ?? new PublicationFact(e.PublicationId, e.CaseId, null, false)) with { Withheld = true },
        _ => p,
    };

    /// <summary>The case fact with what its publication adds, as <see cref="CaseFact.Evolve"/> would have folded it.</summary>
    public static CaseFact Join(CaseFact c, PublicationFact? p) =>
        p is null ? c : c with { PublishedOn = c.PublishedOn ?? p.PublishedOn, Withheld = c.Withheld || p.Withheld };
}

public sealed record MeasureFact(int Number, MeasureKind Kind, Guid OwnerDepartmentId, DateOnly DueOn, DateOnly? BackFilledOn, bool Late, bool OverdueRaised);

public sealed record FollowUpFact(Guid Id, Guid CaseId, Guid DepartmentId, IReadOnlyList<MeasureFact> Measures)
{
    public static FollowUpFact? Evolve(FollowUpFact? f, object @event, DateTimeOffset at) => @event switch
    {
        FollowUpOpened e => new FollowUpFact(e.FollowUpId, e.CaseId, e.DepartmentId,
            e.Measures.Select(m => new MeasureFact(m.Number, m.Kind, m.OwnerDepartmentId, m.DueOn, null, false, false)).ToList()),
        MeasureBackFilled e when f is not null => Change(f, e.Number, m => m with { BackFilledOn = e.CompletedOn, Late = e.Late }),
        MeasureOverdueRaised e when f is not null => Change(f, e.Number, m => m with { OverdueRaised = true }),
        _ => f,
    };

    private static FollowUpFact Change(FollowUpFact f, int number, Func<MeasureFact, MeasureFact> change) =>
        f with { Measures = f.Measures.Select(m => m.Number == number ? change(m) : m).ToList() };
}
