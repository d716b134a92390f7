namespace Supervision.Api.Directories.Inspectors;

/// <summary>Inline snapshot of each inspector: the write model for commands and the read model for queries.</summary>
public sealed partial class InspectorProjection : SingleStreamProjection<Inspector, Guid>
{
    // Only these events change the document: Marten then loads it only for streams that received one of them
    // (ProjectionEventTypesTests holds this list to the evolve's switch).
    public InspectorProjection()
    {
        IncludeType<CertificateAdded>();
        IncludeType<CertificateRevoked>();
        IncludeType<ConflictOfInterestDeclared>();
        IncludeType<ConflictOfInterestWithdrawn>();
        IncludeType<InspectorDetailsChanged>();
        IncludeType<InspectorRegistered>();
        IncludeType<InspectorStatusChanged>();
        IncludeType<InspectorTransferred>();
    }

    public override Inspector? Evolve(Inspector? snapshot, Guid id, IEvent e) => InspectorRules.Evolve(snapshot, e.Data);
}

/// <summary>Marten registrations of the inspector directory (执法检查人员名录库).</summary>
public sealed class InspectorModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<InspectorProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Inspector>().UniqueIndex(i => i.StaffCode).Index(i => i.DepartmentId).Index(i => i.RegionCode);
        // Registered up front so as-of folds can filter on them before any has been appended.
        options.Events.AddEventTypes(InspectorRules.EventTypes);
        options.Events.AddEventType<InspectorImportCompleted>();
    }
}
