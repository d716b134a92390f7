namespace Supervision.Api.Directories.CheckForms;

/// <summary>Inline snapshot of each check form template, with every published version.</summary>
public sealed partial class CheckFormProjection : SingleStreamProjection<CheckFormTemplate, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public CheckFormProjection()
    {
        foreach (var type in CheckFormRules.EventTypes) IncludeType(type);
    }

    public override CheckFormTemplate? Evolve(CheckFormTemplate? snapshot, Guid id, IEvent e) => CheckFormRules.Evolve(snapshot, e.Data);
}
