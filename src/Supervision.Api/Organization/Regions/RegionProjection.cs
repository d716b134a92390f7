namespace Supervision.Api.Organization.Regions;

/// <summary>Inline snapshot of each region: the write model for commands and the read model for queries.</summary>
public sealed partial class RegionProjection : SingleStreamProjection<Region, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public RegionProjection()
    {
        IncludeType<RegionDeactivated>();
        IncludeType<RegionRegistered>();
        IncludeType<RegionRenamed>();
    }

    public override Region? Evolve(Region? snapshot, Guid id, IEvent e) => RegionRules.Evolve(snapshot, e.Data);
}
