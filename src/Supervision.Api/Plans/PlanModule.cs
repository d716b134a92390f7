using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public sealed partial class PlanProjection : SingleStreamProjection<AnnualPlan, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public PlanProjection()
    {
        IncludeType<PlanAdjustmentStarted>();
        IncludeType<PlanApproved>();
        IncludeType<PlanCompleted>();
        IncludeType<PlanDetailsChanged>();
        IncludeType<PlanDrafted>();
        IncludeType<PlanExecutionStarted>();
        IncludeType<PlanFiled>();
        IncludeType<PlanPublished>();
        IncludeType<PlanReturned>();
        IncludeType<PlanSubmitted>();
        IncludeType<PlanVoided>();
        IncludeType<SamplingTaskDrawn>();
        IncludeType<TaskAdded>();
        IncludeType<TaskChanged>();
        IncludeType<TaskRemoved>();
    }

    public override AnnualPlan? Evolve(AnnualPlan? snapshot, Guid id, IEvent e) => PlanRules.Evolve(snapshot, e.Data);
}

public sealed partial class PlanNumberingProjection : SingleStreamProjection<PlanNumbering, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public PlanNumberingProjection()
    {
        IncludeType<PlanNumberAllocated>();
    }

    public override PlanNumbering? Evolve(PlanNumbering? snapshot, Guid id, IEvent e) => PlanRules.EvolveNumbering(snapshot, e.Data);
}

public sealed class PlanModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<PlanProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<PlanNumberingProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<AnnualPlan>().Index(p => p.DepartmentId).Index(p => p.Year);
    }
}
