using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

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
