using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Supervision.Api.Infrastructure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed partial class CaseProjection : SingleStreamProjection<InspectionCase, Guid>
{
    public override InspectionCase? Evolve(InspectionCase? snapshot, Guid id, IEvent e) => CaseRules.Evolve(snapshot, e.Data);
}

public sealed class CaseModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<InspectionCase>().Index(c => c.DrawId).Index(c => c.PlanId).Index(c => c.Overdue);
    }
}
