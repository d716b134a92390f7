namespace Supervision.Api.Directories.Inspectors;

/// <summary>Inline snapshot of each inspector: the write model for commands and the read model for queries.</summary>
public sealed partial class InspectorProjection : SingleStreamProjection<Inspector, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public InspectorProjection()
    {
        foreach (var type in InspectorRules.EventTypes) IncludeType(type);
    }

    public override Inspector? Evolve(Inspector? snapshot, Guid id, IEvent e) => InspectorRules.Evolve(snapshot, e.Data);
}
