using JasperFx;
using NpgsqlTypes;
using Supervision.Api.Integrity;

namespace Supervision.Api.Directories.Targets;

/// <summary>
/// Writes an import's decided target streams with binary COPY, chunk by chunk, on the session's own connection and inside its
/// transaction: the import stays all-or-nothing (the session commits with the completion event, or nothing is kept) while
/// nothing accumulates in memory. Writes what the row-by-row append and its inline projections would have written: the
/// events with the request's metadata (user, headers, correlation, causation) and sequence numbers from the event sequence,
/// the stream rows and versions, the targets read model (<see cref="TargetProjection"/>) and the subject index
/// (<see cref="EventSubjectsProjection"/>). The import test compares both paths row for row.
/// </summary>
public sealed class BulkTargetWriter
{
    private readonly IDocumentSession session;
    private readonly string schema;
    private readonly ISerializer serializer;
    private readonly string? headersJson;
    private bool started;
    private bool skipsForeignKeyChecks;

    // Where the writing time goes (logged with the import's phases): numbering, stream rows, events (with their serialisation and
    // subjects), subject rows, documents.
    private readonly System.Diagnostics.Stopwatch numbering = new(), streamRows = new(), eventRows = new(), subjectRows = new(), documentRows = new();

    public string Timings =>
        $"sequence {numbering.ElapsedMilliseconds} ms, streams {streamRows.ElapsedMilliseconds} ms, events {eventRows.ElapsedMilliseconds} ms, " +
        $"subjects {subjectRows.ElapsedMilliseconds} ms, documents {documentRows.ElapsedMilliseconds} ms";

    private BulkTargetWriter(IDocumentSession session)
    {
        this.session = session;
        schema = session.DocumentStore.Options.DatabaseSchemaName;
        serializer = session.DocumentStore.Options.Serializer();
        var headers = new Dictionary<string, object>();
        foreach (var name in new[] { ActorMetadata.UserIdHeader, ActorMetadata.UserRolesHeader, ActorMetadata.DepartmentHeader })
            if (session.GetHeader(name) is { } value) headers[name] = value;
        headersJson = headers.Count == 0 ? null : serializer.ToJson(headers);
    }

    /// <summary>A writer on the session's transaction (opened here if it is not yet).</summary>
    public static async Task<BulkTargetWriter> OpenAsync(IDocumentSession session, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        return new BulkTargetWriter(session);
    }

    private NpgsqlConnection Connection => (NpgsqlConnection)session.Connection!;

    private static readonly Dictionary<Type, string> EventTypeNames = TargetRules.EventTypes.ToDictionary(t => t, EventTypeName);

    /// <summary>Marten's default event type name: the class name in snake case (TargetRegistered → target_registered).</summary>
    private static string EventTypeName(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static string DotNetTypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private static readonly Dictionary<Type, string> DotNetTypeNames = TargetRules.EventTypes.ToDictionary(t => t, DotNetTypeName);

    /// <summary>
    /// Writes one chunk: new streams and appends to existing ones (whose current state is <paramref name="existing"/>, as loaded in
    /// this transaction). An existing stream whose version moved meanwhile fails the whole import as a concurrency conflict.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<(Guid TargetId, bool IsNew, IReadOnlyList<object> Events)> streams,
        IReadOnlyDictionary<Guid, Target> existing, CancellationToken ct)
    {
        if (streams.Count == 0) return;
        if (!started)
        {
            // The sealer links events by sequence and takes a long-open gap for a rolled-back transaction; this import takes its
            // numbers chunk by chunk over its whole run, so the sealer waits for it instead of sealing past numbers still to commit.
            await ExecuteAsync($"lock table {schema}.integrity_chain in share mode", ct);
            skipsForeignKeyChecks = await MaySkipForeignKeyChecksAsync(ct);
            started = true;
        }
        // The foreign key mt_events.stream_id → mt_streams.id is checked row by row by a trigger, which took ~60 % of the events' COPY
        // (measured: 100,000 rows 24 s with it, 9 s without). Every stream row this chunk's events name is written just below in this
        // transaction (new streams) or was just found at its expected version by the conditional update (appends, else the import fails),
        // so the check cannot fail here: it is switched off for this writer's own statements only (SET LOCAL, back to origin after them),
        // where the role may (a superuser, or GRANT SET ON PARAMETER session_replication_role). Nothing else on these tables has a trigger.
        if (skipsForeignKeyChecks) await ExecuteAsync("set local session_replication_role = replica", ct);
        await WriteChunkAsync(streams, existing, ct);
        // Not in a finally: after a failure the transaction is rolled back (the import fails), which ends the SET LOCAL, and a statement
        // in an aborted transaction would only replace the failure (a 409 for a concurrent change) with "transaction aborted".
        if (skipsForeignKeyChecks) await ExecuteAsync("set local session_replication_role = origin", ct);
    }

    /// <summary>Whether this role may switch the foreign key triggers off for its own statements (setting <c>Supervision:ImportForeignKeyChecks=always</c> keeps them).</summary>
    private async Task<bool> MaySkipForeignKeyChecksAsync(CancellationToken ct)
    {
        if (!SkipForeignKeyChecksWhenAllowed) return false;
        await using var command = new NpgsqlCommand(
            "select current_setting('is_superuser') = 'on' or has_parameter_privilege(current_user, 'session_replication_role', 'SET')", Connection);
        return await command.ExecuteScalarAsync(ct) is true;
    }

    /// <summary>False keeps PostgreSQL's row-by-row foreign key check on the events (for a comparison, or a role that must not set it).</summary>
    public static bool SkipForeignKeyChecksWhenAllowed { get; set; } = true;

    private async Task WriteChunkAsync(IReadOnlyList<(Guid TargetId, bool IsNew, IReadOnlyList<object> Events)> streams,
        IReadOnlyDictionary<Guid, Target> existing, CancellationToken ct)
    {

        numbering.Start();
        var eventCount = streams.Sum(s => s.Events.Count);
        var sequences = new long[eventCount];
        await using (var next = new NpgsqlCommand($"select nextval('{schema}.mt_events_sequence') from generate_series(1, $1)", Connection))
        {
            next.Parameters.Add(new NpgsqlParameter { Value = eventCount });
            await using var reader = await next.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++) sequences[i] = reader.GetInt64(0);
        }
        Array.Sort(sequences);
        numbering.Stop();
        streamRows.Start();

        // Stream rows: new ones copied in, existing ones moved to their new version only if still at the version decided from.
        await using (var copy = await Connection.BeginBinaryImportAsync(
                         $"copy {schema}.mt_streams (id, type, version, tenant_id) from stdin (format binary)", ct))
        {
            foreach (var (id, isNew, events) in streams.Where(s => s.IsNew))
            {
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                copy.Write("target", NpgsqlDbType.Varchar);
                copy.Write((long)events.Count, NpgsqlDbType.Bigint);
                copy.Write(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar);
            }
            await copy.CompleteAsync(ct);
        }
        var appended = streams.Where(s => !s.IsNew).ToList();
        if (appended.Count > 0)
        {
            await using var move = new NpgsqlCommand(
                $"update {schema}.mt_streams s set version = u.next, timestamp = now() from unnest($1, $2, $3) u(id, expected, next) " +
                "where s.id = u.id and s.version = u.expected", Connection);
            move.Parameters.Add(new NpgsqlParameter { Value = appended.Select(s => s.TargetId).ToArray() });
            move.Parameters.Add(new NpgsqlParameter { Value = appended.Select(s => existing[s.TargetId].Version).ToArray() });
            move.Parameters.Add(new NpgsqlParameter { Value = appended.Select(s => existing[s.TargetId].Version + s.Events.Count).ToArray() });
            var moved = await move.ExecuteNonQueryAsync(ct);
            if (moved != appended.Count)
                throw new ConcurrencyException($"{appended.Count - moved} of the targets this import changes were changed by someone else meanwhile.", typeof(Target), appended[0].TargetId);
        }

        streamRows.Stop();
        eventRows.Start();
        // Events, their subjects and the resulting documents, in one pass over the chunk.
        var subjects = new List<(Guid Subject, long Sequence, Guid Stream)>();
        var documents = new List<Target>(streams.Count);
        await using (var copy = await Connection.BeginBinaryImportAsync(
                         $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, " +
                         "correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)", ct))
        {
            var n = 0;
            foreach (var (id, isNew, events) in streams)
            {
                var current = isNew ? null : existing[id];
                var version = current?.Version ?? 0;
                var state = current;
                foreach (var data in events)
                {
                    var sequence = sequences[n++];
                    version++;
                    state = TargetRules.Evolve(state, data);
                    copy.StartRow();
                    copy.Write(sequence, NpgsqlDbType.Bigint);
                    copy.Write(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    copy.Write(id, NpgsqlDbType.Uuid);
                    copy.Write(version, NpgsqlDbType.Bigint);
                    copy.Write(serializer.ToJson(data), NpgsqlDbType.Jsonb);
                    copy.Write(EventTypeNames[data.GetType()], NpgsqlDbType.Varchar);
                    copy.Write(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
                    copy.Write(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar);
                    copy.Write(DotNetTypeNames[data.GetType()], NpgsqlDbType.Varchar);
                    WriteNullable(copy, session.CorrelationId, NpgsqlDbType.Varchar);
                    WriteNullable(copy, session.CausationId, NpgsqlDbType.Varchar);
                    WriteNullable(copy, headersJson, NpgsqlDbType.Jsonb);
                    WriteNullable(copy, session.LastModifiedBy, NpgsqlDbType.Varchar);
                    copy.Write(false, NpgsqlDbType.Boolean);
                    foreach (var subject in EventSubjectsProjection.SubjectsOf(data)) subjects.Add((subject, sequence, id));
                }
                documents.Add(state! with { Version = version });
            }
            await copy.CompleteAsync(ct);
        }

        eventRows.Stop();
        subjectRows.Start();
        await Integrity.EventSubjectRows.CopyAsync(Connection, schema, subjects, ct);

        subjectRows.Stop();
        documentRows.Start();
        // The read model: changed targets are replaced, as the inline projection's upsert would.
        if (appended.Count > 0)
        {
            await using var remove = new NpgsqlCommand($"delete from {schema}.mt_doc_target where id = any($1)", Connection);
            remove.Parameters.Add(new NpgsqlParameter { Value = appended.Select(s => s.TargetId).ToArray() });
            await remove.ExecuteNonQueryAsync(ct);
        }
        await using (var copy = await Connection.BeginBinaryImportAsync(
                         $"copy {schema}.mt_doc_target (id, data, mt_dotnet_type, mt_version) from stdin (format binary)", ct))
        {
            foreach (var target in documents)
            {
                copy.StartRow();
                copy.Write(target.Id, NpgsqlDbType.Uuid);
                copy.Write(serializer.ToJson(target), NpgsqlDbType.Jsonb);
                copy.Write(typeof(Target).FullName!, NpgsqlDbType.Varchar);
                copy.Write(target.Version, NpgsqlDbType.Bigint);
            }
            await copy.CompleteAsync(ct);
        }
        documentRows.Stop();
    }

    private static void WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type)
    {
        if (value is null) copy.WriteNull();
        else copy.Write(value, type);
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, Connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
