namespace Supervision.Api.Directories.Targets;

public sealed partial class TargetProjection : SingleStreamProjection<Target, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public TargetProjection()
    {
        IncludeType<TargetCreditClassSet>();
        IncludeType<TargetDetailsChanged>();
        IncludeType<TargetRegistered>();
        IncludeType<TargetStatusChanged>();
    }

    public override Target? Evolve(Target? snapshot, Guid id, IEvent e) => TargetRules.Evolve(snapshot, e.Data);
}

public sealed partial class CreditSchemeProjection : SingleStreamProjection<CreditSchemeState, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public CreditSchemeProjection()
    {
        IncludeType<CreditSchemeDefined>();
    }

    public override CreditSchemeState? Evolve(CreditSchemeState? snapshot, Guid id, IEvent e) => CreditSchemeRules.Evolve(snapshot, e.Data);
}

public sealed class TargetModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<TargetProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<CreditSchemeProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Target>()
            .UniqueIndex(t => t.Identifier)
            .Index(t => t.RegionCode)
            .Index(t => t.IndustryCode!)
            .Index(t => t.CreditClass!);
        options.Events.AddEventType<TargetImportCompleted>();
    }
}
