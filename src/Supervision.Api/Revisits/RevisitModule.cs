using Supervision.Domain.Revisits;

namespace Supervision.Api.Revisits;

public sealed class RevisitModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<RevisitProjection>(ProjectionLifecycle.Inline);
        // Real columns for the summary's filter and grouping (GET /api/revisits/summary counts in SQL), and the case for its history.
        options.Schema.For<Revisit>().Duplicate(r => r.DepartmentId).Duplicate(r => r.VisitedOn).Index(r => r.CaseId);
    }
}
