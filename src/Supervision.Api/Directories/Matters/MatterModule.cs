namespace Supervision.Api.Directories.Matters;

/// <summary>Marten registrations of the matters list (随机抽查事项清单).</summary>
public sealed class MatterModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<MatterProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<InspectionMatter>().UniqueIndex(m => m.Code).Index(m => m.OwnerDepartmentId);
    }
}
