namespace Supervision.Api.Directories.Targets;

/// <summary>Inline snapshot of each province's credit risk classification scheme; the latest definition is in force.</summary>
public sealed partial class CreditSchemeProjection : SingleStreamProjection<CreditSchemeState, Guid>
{
    /// <summary>Declares the domain's event list, so Marten loads the document only for streams that received one of them.</summary>
    public CreditSchemeProjection()
    {
        foreach (var type in CreditSchemeRules.EventTypes) IncludeType(type);
    }

    public override CreditSchemeState? Evolve(CreditSchemeState? snapshot, Guid id, IEvent e) => CreditSchemeRules.Evolve(snapshot, e.Data);
}
