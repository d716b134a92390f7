namespace Supervision.Api.Directories.Targets;

/// <summary>Inline snapshot of each target: the write model for commands and the read model for queries.</summary>
public sealed partial class TargetProjection : SingleStreamProjection<Target, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public TargetProjection()
    {
        foreach (var type in TargetRules.EventTypes) IncludeType(type);
    }

    public override Target? Evolve(Target? snapshot, Guid id, IEvent e) => TargetRules.Evolve(snapshot, e.Data);
}
