namespace Supervision.Api.Integrity;

/// <summary>The subject index: its table is part of the schema model, and its projection runs inline.</summary>
public sealed class EventSubjectsModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = IMartenModule.AddTable(options, "event_subjects");
        table.AddColumn<Guid>("subject").AsPrimaryKey();
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<Guid>("stream_id").NotNull();
        options.Projections.Add(new EventSubjectsProjection(options.DatabaseSchemaName), ProjectionLifecycle.Inline);
    }
}
