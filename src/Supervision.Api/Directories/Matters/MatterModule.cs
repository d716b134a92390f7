namespace Supervision.Api.Directories.Matters;

/// <summary>Inline snapshot of each matter: the write model for commands and the read model for queries.</summary>
public sealed partial class MatterProjection : SingleStreamProjection<InspectionMatter, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public MatterProjection()
    {
        IncludeType<MatterClaimed>();
        IncludeType<MatterClaimReleased>();
        IncludeType<MatterDefined>();
        IncludeType<MatterRevised>();
        IncludeType<MatterWithdrawn>();
    }

    public override InspectionMatter? Evolve(InspectionMatter? snapshot, Guid id, IEvent e) => MatterRules.Evolve(snapshot, e.Data);
}

/// <summary>Marten registrations of the matters list (随机抽查事项清单).</summary>
public sealed class MatterModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<MatterProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<InspectionMatter>().UniqueIndex(m => m.Code).Index(m => m.OwnerDepartmentId);
    }
}
