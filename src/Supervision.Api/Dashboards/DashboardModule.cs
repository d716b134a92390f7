using Marten.Events.Projections;
using Marten.Schema;
using Supervision.Api.Infrastructure.Rebuild;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;
using Weasel.Postgresql.Tables;

namespace Supervision.Api.Dashboards;

public sealed partial class PlanFactProjection : SingleStreamProjection<PlanFact, Guid>
{
    public static readonly Type[] EventTypes =
    [
        typeof(PlanDrafted), typeof(PlanDetailsChanged), typeof(TaskAdded), typeof(TaskChanged), typeof(TaskRemoved), typeof(PlanApproved),
        typeof(PlanAdjustmentStarted), typeof(PlanVoided),
    ];

    public PlanFactProjection()
    {
        foreach (var type in EventTypes) IncludeType(type);
    }

    public override PlanFact? Evolve(PlanFact? snapshot, Guid id, IEvent e) => PlanFact.Evolve(snapshot, e.Data, e.Timestamp);
}

public sealed partial class DrawFactProjection : SingleStreamProjection<DrawFact, Guid>
{
    public static readonly Type[] EventTypes =
        [typeof(DrawScheduled), typeof(TargetsDrawn), typeof(InspectorRecused), typeof(ReplacementDrawn), typeof(DrawVoided)];

    public DrawFactProjection()
    {
        foreach (var type in EventTypes) IncludeType(type);
    }

    public override DrawFact? Evolve(DrawFact? snapshot, Guid id, IEvent e) => DrawFact.Evolve(snapshot, e.Data, e.Timestamp);
}

/// <summary>A case's fact, from its own stream; its publication's is <see cref="PublicationFactProjection"/>, joined when read.</summary>
public sealed partial class CaseFactProjection : MultiStreamProjection<CaseFact, Guid>, IMultiStreamIdentity
{
    public CaseFactProjection()
    {
        Identity<CaseOpened>(e => e.CaseId);
        Identity<ResultDeadlineSet>(e => e.CaseId);
        Identity<InspectionEnded>(e => e.CaseId);
        Identity<ResultEntered>(e => e.CaseId);
        Identity<ResultCorrected>(e => e.CaseId);
        Identity<ResultsSubmitted>(e => e.CaseId);
        Identity<ResultsApproved>(e => e.CaseId);
        Identity<ResultsReturned>(e => e.CaseId);
        Identity<ResultEntryOverdueRaised>(e => e.CaseId);
        Identity<CaseWithdrawn>(e => e.CaseId);
    }

    /// <summary>The same identities, for the one-pass rebuild (Marten gives no way to ask its slicer about one event).</summary>
    public Guid? IdentityOf(IEvent e) => e.Data switch
    {
        CaseOpened x => x.CaseId,
        ResultDeadlineSet x => x.CaseId,
        InspectionEnded x => x.CaseId,
        ResultEntered x => x.CaseId,
        ResultCorrected x => x.CaseId,
        ResultsSubmitted x => x.CaseId,
        ResultsApproved x => x.CaseId,
        ResultsReturned x => x.CaseId,
        ResultEntryOverdueRaised x => x.CaseId,
        CaseWithdrawn x => x.CaseId,
        _ => null,
    };

    public override CaseFact? Evolve(CaseFact? snapshot, Guid id, IEvent e) => CaseFact.Evolve(snapshot, e.Data, e.Timestamp);
}

public sealed partial class PublicationFactProjection : SingleStreamProjection<PublicationFact, Guid>
{
    public static readonly Type[] EventTypes = [typeof(ResultPublished), typeof(ResultWithheld)];

    public PublicationFactProjection()
    {
        foreach (var type in EventTypes) IncludeType(type);
    }

    public override PublicationFact? Evolve(PublicationFact? snapshot, Guid id, IEvent e) => PublicationFact.Evolve(snapshot, e.Data, e.Timestamp);
}

public sealed partial class FollowUpFactProjection : SingleStreamProjection<FollowUpFact, Guid>
{
    public static readonly Type[] EventTypes = [typeof(FollowUpOpened), typeof(MeasureBackFilled), typeof(MeasureOverdueRaised)];

    public FollowUpFactProjection()
    {
        foreach (var type in EventTypes) IncludeType(type);
    }

    public override FollowUpFact? Evolve(FollowUpFact? snapshot, Guid id, IEvent e) => FollowUpFact.Evolve(snapshot, e.Data, e.Timestamp);
}

public sealed partial class GoalSettingProjection : SingleStreamProjection<GoalSetting, Guid>
{
    public GoalSettingProjection() => IncludeType<GoalsSet>();

    public override GoalSetting? Evolve(GoalSetting? snapshot, Guid id, IEvent e) => GoalRules.Evolve(snapshot, e.Data);
}

/// <summary>
/// The dashboard facts are inline projections: a dashboard read right after a command sees it, and a second node reads
/// the same rows. Every one can be rebuilt from the event store (<see cref="ReadModelRebuild"/>).
/// </summary>
public sealed class DashboardModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<PlanFactProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<DrawFactProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CaseFactProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<FollowUpFactProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<PublicationFactProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<GoalSettingProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<GoalsSet>();
        options.Schema.For<PlanFact>().Index(p => p.Year).Index(p => p.DepartmentId);
        options.Schema.For<DrawFact>().Index(d => d.Year);
        // Duplicated fields: the columns the dashboards aggregate in SQL (DashboardSql), so a year of a province's cases is counted
        // from plain columns, not by reading each document's JSON. Marten indexes every duplicated column; the dates nothing filters
        // or joins on get a BRIN index, which costs a write almost nothing (the flags stay in the JSON: BRIN has no boolean class).
        static void Brin(DocumentIndex index) => index.Method = IndexMethod.brin;
        options.Schema.For<CaseFact>().Duplicate(c => c.OpenedOn).Duplicate(c => c.TargetId).Duplicate(c => c.EndedOn!)
            .Duplicate(c => c.EntryDue!, configure: Brin).Duplicate(c => c.SubmittedOn!, configure: Brin).Duplicate(c => c.ResultsFormedOn!, configure: Brin);
        options.Schema.For<FollowUpFact>().Duplicate(f => f.CaseId);
        options.Schema.For<PublicationFact>().Duplicate(p => p.CaseId).Duplicate(p => p.PublishedOn!);
        // The rollups the live dashboards sum (issue 14), kept by triggers on the fact tables (DashboardRollup).
        options.Storage.ExtendedSchemaObjects.Add(new DashboardRollupSchema(options.DatabaseSchemaName));
    }
}
