using JasperFx.Events;
using Marten.Events.Aggregation;
using Supervision.Domain.Organization;

namespace Supervision.Api.Organization.Regions;

/// <summary>Inline snapshot of each region: the write model for commands and the read model for queries.</summary>
public sealed partial class RegionProjection : SingleStreamProjection<Region, Guid>
{
    public override Region? Evolve(Region? snapshot, Guid id, IEvent e) => RegionRules.Evolve(snapshot, e.Data);
}
