namespace Supervision.Api.Directories.Matters;

/// <summary>Inline snapshot of each matter: the write model for commands and the read model for queries.</summary>
public sealed partial class MatterProjection : SingleStreamProjection<InspectionMatter, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public MatterProjection()
    {
        foreach (var type in MatterRules.EventTypes) IncludeType(type);
    }

    public override InspectionMatter? Evolve(InspectionMatter? snapshot, Guid id, IEvent e) => MatterRules.Evolve(snapshot, e.Data);
}
