namespace Supervision.Api.Jobs;

/// <summary>The jobs table is part of the schema model, so a migration creates it and the drift test covers it.</summary>
public sealed class JobsModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = IMartenModule.AddTable(options, "jobs");
        table.AddColumn<Guid>("id").AsPrimaryKey();
        table.AddColumn<string>("kind").NotNull();
        table.AddColumn<string>("state").NotNull();
        table.AddColumn<string>("node").NotNull();
        table.AddColumn<string>("started_by").NotNull();
        table.AddColumn<Guid>("department_id");
        table.AddColumn<long>("rows_done").NotNull();
        table.AddColumn<long>("rows_total");
        table.AddColumn<DateTimeOffset>("created_at").NotNull();
        table.AddColumn<DateTimeOffset>("started_at");
        table.AddColumn<DateTimeOffset>("finished_at");
        table.AddColumn<DateTimeOffset>("heartbeat_at").NotNull();
        table.AddColumn<int>("outcome_status");
        table.AddColumn("outcome", "jsonb");
        table.AddColumn<string>("failure_reason");
        // What a job with phases (the read-model rebuild: pass, indexes, swap, done) is doing now; null for jobs without.
        table.AddColumn<string>("phase");
    }
}
