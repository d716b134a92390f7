namespace Supervision.Api.Integrity;

/// <summary>
/// The integrity slice's tables, part of the schema model so migrations create them and the drift test covers them: the subject
/// index (filled inline by <see cref="EventSubjectsProjection"/>), the event chain and its published checkpoints.
/// </summary>
public sealed class IntegrityModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var subjects = IMartenModule.AddTable(options, "event_subjects");
        subjects.AddColumn<Guid>("subject").AsPrimaryKey();
        subjects.AddColumn<long>("seq_id").AsPrimaryKey();
        subjects.AddColumn<Guid>("stream_id").NotNull();
        options.Projections.Add(new EventSubjectsProjection(options.DatabaseSchemaName), ProjectionLifecycle.Inline);

        var chain = IMartenModule.AddTable(options, "integrity_chain");
        chain.AddColumn<long>("seq_id").AsPrimaryKey();
        chain.AddColumn<string>("hash").NotNull();
        chain.AddColumn<DateTimeOffset>("sealed_at").NotNull().DefaultValueByExpression("now()");

        var checkpoints = IMartenModule.AddTable(options, "integrity_checkpoints");
        checkpoints.AddColumn<long>("seq_id").AsPrimaryKey();
        checkpoints.AddColumn<string>("hash").NotNull();
        checkpoints.AddColumn<int>("linked").NotNull();
        checkpoints.AddColumn<DateTimeOffset>("sealed_at").NotNull().DefaultValueByExpression("now()");
    }
}
