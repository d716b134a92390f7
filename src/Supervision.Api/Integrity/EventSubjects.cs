using System.Text.Json;
using System.Text.RegularExpressions;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Projections;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Integrity;

/// <summary>
/// The index the case history reads instead of scanning every event: for each event, every id its content names (target,
/// inspector, plan, draw, case, publication, follow-up …), written in the same transaction as the event. Existing events
/// are indexed by the migration that creates the table.
/// </summary>
public sealed partial class EventSubjectsProjection : IProjection
{
    private readonly string _table;

    public EventSubjectsProjection(string schema) => _table = $"{schema}.event_subjects";

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();

    /// <summary>Every id the event's content names, as the history looks them up (including ids inside text such as a draw's output files).</summary>
    public static Guid[] SubjectsOf(object data) =>
        GuidPattern().Matches(JsonSerializer.Serialize(data, data.GetType())).Select(m => Guid.Parse(m.Value)).Distinct().ToArray();

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        foreach (var e in events)
        {
            var subjects = SubjectsOf(e.Data);
            if (subjects.Length == 0) continue;
            operations.QueueSqlCommand($"insert into {_table} (subject, seq_id, stream_id) select unnest(?::uuid[]), ?, ? on conflict do nothing",
                subjects, e.Sequence, e.StreamId);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The same extraction in SQL, for events stored before the index existed; the migration that creates the table runs it
    /// (and it may be run again: rows already there are kept).
    /// </summary>
    public static string BackfillSql(string schema) =>
        $$"""
        insert into {{schema}}.event_subjects (subject, seq_id, stream_id)
        select distinct m[1]::uuid, e.seq_id, e.stream_id
        from {{schema}}.mt_events e, regexp_matches(e.data::text, '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})', 'g') as m
        on conflict do nothing;
        """;
}

public sealed class EventSubjectsModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(options.DatabaseSchemaName, "event_subjects",
            Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<Guid>("subject").AsPrimaryKey();
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<Guid>("stream_id").NotNull();
        options.Storage.ExtendedSchemaObjects.Add(table);
        options.Projections.Add(new EventSubjectsProjection(options.DatabaseSchemaName), ProjectionLifecycle.Inline);
    }
}
