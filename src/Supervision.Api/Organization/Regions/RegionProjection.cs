namespace Supervision.Api.Organization.Regions;

/// <summary>Inline snapshot of each region: the write model for commands and the read model for queries.</summary>
public sealed partial class RegionProjection : SingleStreamProjection<Region, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public RegionProjection()
    {
        foreach (var type in RegionRules.EventTypes) IncludeType(type);
    }

    public override Region? Evolve(Region? snapshot, Guid id, IEvent e) => RegionRules.Evolve(snapshot, e.Data);
}
