namespace Supervision.Api.Integrity;

/// <summary>The chain's table is part of the schema model, so migrations create it and the drift test covers it.</summary>
public sealed class IntegrityModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = IMartenModule.AddTable(options, "integrity_chain");
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<string>("hash").NotNull();
        table.AddColumn<DateTimeOffset>("sealed_at").NotNull().DefaultValueByExpression("now()");
        var checkpoints = IMartenModule.AddTable(options, "integrity_checkpoints");
        checkpoints.AddColumn<long>("seq_id").AsPrimaryKey();
        checkpoints.AddColumn<string>("hash").NotNull();
        checkpoints.AddColumn<int>("linked").NotNull();
        checkpoints.AddColumn<DateTimeOffset>("sealed_at").NotNull().DefaultValueByExpression("now()");
    }
}
