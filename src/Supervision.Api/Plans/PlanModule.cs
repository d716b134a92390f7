using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Supervision.Api.Infrastructure;
using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public sealed partial class PlanProjection : SingleStreamProjection<AnnualPlan, Guid>
{
    public override AnnualPlan? Evolve(AnnualPlan? snapshot, Guid id, IEvent e) => PlanRules.Evolve(snapshot, e.Data);
}

public sealed partial class PlanNumberingProjection : SingleStreamProjection<PlanNumbering, Guid>
{
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
