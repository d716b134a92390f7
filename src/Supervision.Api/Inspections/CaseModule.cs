using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed class CaseModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<CaseProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<InspectionCase>().Index(c => c.DrawId).Index(c => c.PlanId).Index(c => c.Overdue).Index(c => c.PublicationOverdue);
    }
}
