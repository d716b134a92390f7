using Supervision.Domain.Inspections;

namespace Supervision.Api.Inspections;

public sealed partial class ProvinceResultCatalogueProjection : SingleStreamProjection<ProvinceResultCatalogue, Guid>
{
    public ProvinceResultCatalogueProjection() => IncludeType<ResultCatalogueVersionLoaded>();

    public override ProvinceResultCatalogue? Evolve(ProvinceResultCatalogue? snapshot, Guid id, IEvent e) => ResultCatalogueRules.Evolve(snapshot, e.Data);
}
