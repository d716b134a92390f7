namespace Supervision.Api.Directories.Targets;

/// <summary>Marten registrations of the target directory (检查对象名录库) and the credit risk schemes.</summary>
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
