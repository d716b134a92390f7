namespace Supervision.Api.Directories.Inspectors;

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
