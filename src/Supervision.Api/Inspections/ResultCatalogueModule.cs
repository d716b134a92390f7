using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed class ResultCatalogueModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<ProvinceResultCatalogueProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<ResultCatalogueVersionLoaded>();
    }
}
