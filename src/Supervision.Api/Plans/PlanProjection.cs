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
