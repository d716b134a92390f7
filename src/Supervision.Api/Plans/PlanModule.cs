using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public sealed class PlanModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<PlanProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<PlanNumberingProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<AnnualPlan>().Index(p => p.DepartmentId).Index(p => p.Year);
    }
}
