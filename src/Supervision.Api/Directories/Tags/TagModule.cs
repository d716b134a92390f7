namespace Supervision.Api.Directories.Tags;

/// <summary>Marten registrations of the tag library (标签字库).</summary>
public sealed class TagModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<TagProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<TagDefinition>().UniqueIndex(t => t.Code);
    }
}
