namespace Supervision.Api.Directories.Tags;

/// <summary>Inline snapshot of each tag of the tag library.</summary>
public sealed partial class TagProjection : SingleStreamProjection<TagDefinition, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public TagProjection()
    {
        foreach (var type in TagRules.EventTypes) IncludeType(type);
    }

    public override TagDefinition? Evolve(TagDefinition? snapshot, Guid id, IEvent e) => TagRules.Evolve(snapshot, e.Data);
}
