using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using Marten.Events.Projections;
using NpgsqlTypes;
using Supervision.Api.Integrity;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>
/// A multi-stream projection tells the one-pass rebuild which document an event belongs to. Marten keeps the identities a
/// projection registers (<c>Identity&lt;TEvent&gt;</c>) inside its own slicer, with no public way to ask it for one event.
/// </summary>
public interface IMultiStreamIdentity
{
    Guid? IdentityOf(IEvent e);
}

/// <summary>
/// A projection whose <c>Evolve</c> reads an event's correlation id, causation id, headers or user name. The one-pass rebuild reads
/// those columns of the log only when a projection it rebuilds says so (issue 14: the headers' JSON was most of the reader's cost
/// above the bare scan). <c>ProjectionEventTypesTests</c> fails for a projection that reads them without saying so.
/// </summary>
public interface IReadsEventMetadata;

/// <summary>One read model the one-pass rebuild fills: a table in the green schema, fed every event of the pass in order.</summary>
internal abstract class RebuildTarget
{
    public abstract string Name { get; }

    /// <summary>The live table's name (in the store's schema); the green copy has the same name in the green schema.</summary>
    public abstract string Table { get; }

    public long Rows { get; protected set; }

    /// <summary>Where this target's time goes (evolve, loads, serialise, COPY), shared by all targets of one rebuild.</summary>
    public RebuildTimings Timings { get; set; } = new();

    /// <summary>Rows or documents held in memory, counted against the pass's budget.</summary>
    public abstract int Held { get; }

    /// <summary>Whether the target reads the events' correlation, causation, headers or user name (<see cref="IReadsEventMetadata"/>).</summary>
    public virtual bool ReadsMetadata => false;

    /// <summary>Whether events of this type are fed to this target (asked once per type, on the reading thread).</summary>
    public abstract bool Takes(Type eventType);

    /// <summary>What can be computed from the target's events alone, on the reading thread, ahead of <see cref="ApplyAsync"/>.</summary>
    public virtual object? Prepare(IReadOnlyList<IEvent> events) => null;

    /// <summary>
    /// Folds the events of one batch it takes (<paramref name="index"/> is its place among the targets) into the held state, first
    /// loading from the green table what it needs.
    /// </summary>
    public abstract Task ApplyAsync(EventBatch batch, int index, NpgsqlConnection green, string greenSchema, CancellationToken ct);

    /// <summary>Writes what changed to the green table; with <paramref name="evict"/> the held state is dropped (it is reloaded when needed).</summary>
    public abstract Task FlushAsync(NpgsqlConnection green, string greenSchema, bool evict, CancellationToken ct);

    /// <summary>
    /// Writes and forgets what was last changed more than <paramref name="coldAfter"/> batches ago (after every batch of the pass): the
    /// writes are spread over the pass, where they overlap the reading thread, instead of coming in bursts when memory is full and at
    /// the end (issue 14, measured: the folding thread waited for the reader most of the pass, then wrote everything at once).
    /// </summary>
    public virtual Task WriteColdAsync(NpgsqlConnection green, string greenSchema, int coldAfter, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Forgets held state without writing it (after a rolled-back swap, whose writes to the green tables are undone too).</summary>
    public abstract void Discard();

    /// <summary>
    /// Whether the green table needs its primary key during the pass (documents are reloaded by id after an eviction); without, the
    /// key is built with the other indexes once the table is full, one sorted build instead of a b-tree insert per copied row.
    /// </summary>
    public virtual bool KeyedDuringPass => true;

    /// <summary>Creates the green table before the pass: the live table's columns and defaults, its primary key if <see cref="KeyedDuringPass"/>.</summary>
    public virtual async Task CreateGreenAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, CancellationToken ct)
    {
        await Sql.ExecuteAsync(connection, $"create table {greenSchema}.{Table} (like {liveSchema}.{Table} including all excluding indexes)", ct);
        if (KeyedDuringPass) await Sql.CopyPrimaryKeyAsync(connection, liveSchema, greenSchema, Table, ct);
    }
}

/// <summary>
/// The documents of one single- or multi-stream projection, folded by the projection's own <c>Evolve</c> (so there is one
/// definition of each read model), written as the inline projection writes them: the JSON, <c>mt_version</c> and the
/// aggregate's <c>Version</c> = the stream version of the last event of the last transaction the projection took an event from
/// (single stream) or the number of transactions that wrote the document (multi stream), <c>mt_dotnet_type</c> = the type's full name.
/// </summary>
internal sealed class DocumentTarget<TDoc> : RebuildTarget where TDoc : class
{
    private sealed class Held_
    {
        public TDoc? State;
        public long Version;
        /// <summary>When the last event this projection took was committed: its transaction's other events share the stamp.</summary>
        public DateTimeOffset Committed;
        public bool Dirty;
        /// <summary>A row for this id is in the green table.</summary>
        public bool Stored;
        /// <summary>The last batch (this target's count) that changed it.</summary>
        public long Touched;
    }

    private readonly Func<TDoc?, Guid, IEvent, TDoc?> evolve;
    private readonly Func<IEvent, Guid?> identity;
    private readonly bool singleStream;
    private readonly Type[] included;
    private readonly ISerializer serializer;
    private readonly PropertyInfo? versionProperty;
    private readonly Dictionary<Guid, Held_> held = [];
    /// <summary>The ids with a row in the green table: only those are loaded when an event needs them and they are not held.</summary>
    private readonly HashSet<Guid> inGreen = [];
    /// <summary>Held documents in the order they were last changed (an id again each batch it changes; stale pairs are skipped).</summary>
    private readonly Queue<(Guid Id, long Batch)> touches = new();
    /// <summary>Batches applied so far (including those with no event for this target): the clock of <see cref="WriteColdAsync"/>.</summary>
    private long applied;

    /// <summary>
    /// The duplicated columns (<c>Duplicate(...)</c> in the modules: the dashboards' dates and ids, the revisits' department), written
    /// in the same COPY row from the document's members, as Marten's upsert passes them (no update of every row afterwards).
    /// </summary>
    private readonly IReadOnlyList<DuplicatedColumn> duplicated;

    /// <summary>One document's JSON at a time, serialised straight to UTF-8 and copied from there (no string between).</summary>
    private readonly ArrayBufferWriter<byte> json = new(16 * 1024);

    private readonly bool readsMetadata;

    public DocumentTarget(object projection, string table, ISerializer serializer, IReadOnlyList<DuplicatedColumn> duplicated)
    {
        Name = projection.GetType().Name;
        Table = table;
        this.serializer = serializer;
        this.duplicated = duplicated;
        readsMetadata = projection is IReadsEventMetadata;
        var evolveMethod = projection.GetType().GetMethod("Evolve", BindingFlags.Public | BindingFlags.Instance, [typeof(TDoc), typeof(Guid), typeof(IEvent)])
                           ?? throw new NotSupportedException($"{Name} has no Evolve(snapshot, id, event): the one-pass rebuild folds with it.");
        evolve = evolveMethod.CreateDelegate<Func<TDoc?, Guid, IEvent, TDoc?>>(projection);
        singleStream = projection is SingleStreamProjection<TDoc, Guid>;
        if (singleStream) identity = e => e.StreamId;
        else if (projection is IMultiStreamIdentity multi) identity = multi.IdentityOf;
        else throw new NotSupportedException($"{Name} is a multi-stream projection without {nameof(IMultiStreamIdentity)}.");
        // The projection's allow list (IncludeType); none means every event, as Marten feeds it.
        included = ((EventFilterable)projection).IncludedEventTypes.Where(t => t.Namespace?.StartsWith("JasperFx", StringComparison.Ordinal) != true).ToArray();
        versionProperty = typeof(TDoc).GetProperty("Version", BindingFlags.Public | BindingFlags.Instance) is { CanWrite: true } p
                          && (p.PropertyType == typeof(long) || p.PropertyType == typeof(int)) ? p : null;
    }

    public override string Name { get; }
    public override string Table { get; }
    public override int Held => held.Count;
    public override bool ReadsMetadata => readsMetadata;

    public override bool Takes(Type eventType) => included.Length == 0 || included.Any(t => t.IsAssignableFrom(eventType));

    public override async Task ApplyAsync(EventBatch batch, int index, NpgsqlConnection green, string greenSchema, CancellationToken ct)
    {
        applied++;
        var events = batch.ForTarget[index];
        if (events.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        long loadTicks = 0;
        List<Guid>? load = null;
        foreach (var e in events)
        {
            if (identity(e) is not { } id || held.ContainsKey(id)) continue;
            // Written and forgotten before: read it back; otherwise nothing came before this event.
            if (inGreen.Contains(id)) (load ??= []).Add(id);
            else held[id] = new Held_();
        }
        if (load is not null)
        {
            var loading = Stopwatch.GetTimestamp();
            await LoadAsync(load.Distinct().ToArray(), green, greenSchema, ct);
            loadTicks = Stopwatch.GetTimestamp() - loading;
            Timings.Add("load after eviction", loadTicks);
        }

        foreach (var e in events)
        {
            if (identity(e) is not { } id) continue;
            var entry = held[id];
            entry.State = evolve(entry.State, id, e);
            if (singleStream)
            {
                // Inline, Marten versions a single-stream document by the last event its transaction appended to the stream, taken by
                // the projection or not: a later event of the same transaction (same commit stamp, same batch) moves the version on.
                entry.Version = entry.State is not null && batch.LastVersionOfTransaction.TryGetValue((e.StreamId, e.Timestamp), out var last) && last > e.Version
                    ? last
                    : e.Version;
            }
            else
            {
                // A multi-stream document's revision counts the transactions that wrote it (Marten's upsert adds one each time).
                entry.Version = entry.Committed == e.Timestamp ? entry.Version : entry.Version + 1;
            }
            entry.Committed = e.Timestamp;
            entry.Dirty = true;
            if (entry.Touched != applied)
            {
                entry.Touched = applied;
                touches.Enqueue((id, applied));
            }
        }
        Timings.Add("evolve " + Name, Stopwatch.GetTimestamp() - started - loadTicks);
    }

    private async Task LoadAsync(Guid[] ids, NpgsqlConnection green, string greenSchema, CancellationToken ct)
    {
        await using (var command = new NpgsqlCommand($"select id, data, mt_version from {greenSchema}.{Table} where id = any($1)", green))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                held[reader.GetGuid(0)] = new Held_ { State = serializer.FromJson<TDoc>(reader, 1), Version = reader.GetInt64(2), Stored = true };
        }
        foreach (var id in ids) held.TryAdd(id, new Held_());
    }

    public override void Discard()
    {
        // inGreen may now name rows the rolled-back attempt wrote: loading them finds nothing, which is right.
        held.Clear();
        touches.Clear();
    }

    public override async Task FlushAsync(NpgsqlConnection green, string greenSchema, bool evict, CancellationToken ct)
    {
        await WriteAsync(held, green, greenSchema, ct);
        if (!evict) return;
        held.Clear();
        touches.Clear();
    }

    public override async Task WriteColdAsync(NpgsqlConnection green, string greenSchema, int coldAfter, CancellationToken ct)
    {
        List<KeyValuePair<Guid, Held_>>? cold = null;
        while (touches.TryPeek(out var touch) && touch.Batch <= applied - coldAfter)
        {
            touches.Dequeue();
            if (held.TryGetValue(touch.Id, out var entry) && entry.Touched == touch.Batch) (cold ??= []).Add(new(touch.Id, entry));
        }
        if (cold is null) return;
        await WriteAsync(cold, green, greenSchema, ct);
        foreach (var (id, _) in cold) held.Remove(id);
    }

    /// <summary>Writes the changed ones of <paramref name="entries"/> (a row written before is deleted and copied again).</summary>
    private async Task WriteAsync(IEnumerable<KeyValuePair<Guid, Held_>> entries, NpgsqlConnection green, string greenSchema, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        long serialiseTicks = 0;
        var replaced = entries.Where(h => h.Value is { Dirty: true, Stored: true }).Select(h => h.Key).ToArray();
        if (replaced.Length > 0)
        {
            await using var remove = new NpgsqlCommand($"delete from {greenSchema}.{Table} where id = any($1)", green);
            remove.Parameters.Add(new NpgsqlParameter { Value = replaced });
            Rows -= await remove.ExecuteNonQueryAsync(ct);
            inGreen.ExceptWith(replaced);
            started = Timings.Since("delete replaced rows", started);
        }
        var written = 0;
        var typeName = typeof(TDoc).FullName!;
        var columns = "id, data, mt_dotnet_type, mt_version" + string.Concat(duplicated.Select(c => ", " + c.Name));
        await using (var copy = await green.BeginBinaryImportAsync($"copy {greenSchema}.{Table} ({columns}) from stdin (format binary)", ct))
        {
            foreach (var (id, entry) in entries)
            {
                if (!entry.Dirty) continue;
                entry.Dirty = false;
                entry.Stored = entry.State is not null;
                if (entry.State is null) continue;
                if (versionProperty is not null)
                    versionProperty.SetValue(entry.State, versionProperty.PropertyType == typeof(int) ? (object)(int)entry.Version : entry.Version);
                // Synchronous writes into the importer's buffer (it flushes when full): an async call per column cost more than the column.
                copy.StartRow();
                copy.Write(id, NpgsqlDbType.Uuid);
                var serialising = Stopwatch.GetTimestamp();
                json.ResetWrittenCount();
                serializer.WriteTo(json, entry.State);
                serialiseTicks += Stopwatch.GetTimestamp() - serialising;
                copy.Write(json.WrittenMemory, NpgsqlDbType.Jsonb);
                copy.Write(typeName, NpgsqlDbType.Varchar);
                copy.Write(entry.Version, NpgsqlDbType.Bigint);
                foreach (var column in duplicated) column.Write(copy, entry.State);
                inGreen.Add(id);
                written++;
            }
            await copy.CompleteAsync(ct);
        }
        Timings.Add("serialise documents", serialiseTicks);
        Timings.Since("copy documents", started + serialiseTicks);
        Rows += written;
    }
}

/// <summary>The subject index (<see cref="EventSubjectsProjection"/>): every id each event names, copied in.</summary>
internal sealed class SubjectIndexTarget : RebuildTarget
{
    private readonly List<(Guid Subject, long Sequence, Guid Stream)> rows = [];

    public override string Name => nameof(EventSubjectsProjection);
    public override string Table => "event_subjects";

    /// <summary>Never read back during the pass: its (subject, sequence) key on random ids was the costliest part of its COPY (issue 14, measured).</summary>
    public override bool KeyedDuringPass => false;
    public override int Held => rows.Count / 4; // a row is about a quarter of a held document

    public override bool Takes(Type eventType) => true;

    /// <summary>The rows of the batch, found on the reading thread (the subject scan is the costliest part of this target).</summary>
    public override object? Prepare(IReadOnlyList<IEvent> events)
    {
        var found = new List<(Guid, long, Guid)>(events.Count * 2);
        foreach (var e in events)
            foreach (var subject in EventSubjectsProjection.SubjectsOf(e.Data))
                found.Add((subject, e.Sequence, e.StreamId));
        return found;
    }

    public override Task ApplyAsync(EventBatch batch, int index, NpgsqlConnection green, string greenSchema, CancellationToken ct)
    {
        rows.AddRange((List<(Guid, long, Guid)>)batch.Prepared[index]!);
        return Task.CompletedTask;
    }

    public override void Discard() => rows.Clear();

    /// <summary>Never read back: written whenever enough rows are held for one COPY to be worth its round trip.</summary>
    public override Task WriteColdAsync(NpgsqlConnection green, string greenSchema, int coldAfter, CancellationToken ct) =>
        rows.Count >= 20_000 ? FlushAsync(green, greenSchema, evict: true, ct) : Task.CompletedTask;

    public override async Task FlushAsync(NpgsqlConnection green, string greenSchema, bool evict, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        await using (var copy = await green.BeginBinaryImportAsync($"copy {greenSchema}.{Table} (subject, seq_id, stream_id) from stdin (format binary)", ct))
        {
            foreach (var (subject, sequence, stream) in rows)
            {
                copy.StartRow();
                copy.Write(subject, NpgsqlDbType.Uuid);
                copy.Write(sequence, NpgsqlDbType.Bigint);
                copy.Write(stream, NpgsqlDbType.Uuid);
            }
            await copy.CompleteAsync(ct);
        }
        Rows += rows.Count;
        rows.Clear();
        Timings.Since("copy subject rows", started);
    }
}

/// <summary>
/// A duplicated column of a document table (<c>Duplicate(...)</c>), written in the rebuild's COPY from the document's member path as
/// Marten's own upsert passes it; enums as the field's column type stores them.
/// </summary>
internal sealed class DuplicatedColumn(string name, MemberInfo[] path, NpgsqlDbType type)
{
    public string Name { get; } = name;

    public static DuplicatedColumn Of(Marten.Linq.Members.DuplicatedField field) => new(field.ColumnName, field.Members, field.DbType);

    public void Write(NpgsqlBinaryImporter copy, object document)
    {
        object? value = document;
        foreach (var member in path)
        {
            if (value is null) break;
            value = member is PropertyInfo property ? property.GetValue(value) : ((FieldInfo)member).GetValue(value);
        }
        switch (value)
        {
            case null:
                copy.WriteNull();
                break;
            case Enum e:
                if (type is NpgsqlDbType.Integer or NpgsqlDbType.Bigint or NpgsqlDbType.Smallint) copy.Write(Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture), type);
                else copy.Write(e.ToString(), type);
                break;
            default:
                copy.Write(value, type);
                break;
        }
    }
}

internal static class Sql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<(string Name, string Definition)>> QueryPairsAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        var pairs = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) pairs.Add((reader.GetString(0), reader.GetString(1)));
        return pairs;
    }

    /// <summary>The live table's primary key, same constraint name (names are per schema, so it is free in the green one).</summary>
    public static async Task CopyPrimaryKeyAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        foreach (var statement in await PrimaryKeyStatementsAsync(connection, liveSchema, greenSchema, table, ct)) await ExecuteAsync(connection, statement, ct);
    }

    /// <summary>The statements that add the live table's primary key to the green table (same constraint name).</summary>
    public static async Task<List<string>> PrimaryKeyStatementsAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        var keys = await QueryPairsAsync(connection,
            "select c.conname, pg_get_constraintdef(c.oid) from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace " +
            "where n.nspname = $1 and t.relname = $2 and c.contype = 'p'", ct, liveSchema, table);
        return keys.Select(k => $"alter table {greenSchema}.{table} add constraint {k.Name} {k.Definition}").ToList();
    }

    /// <summary>The statements that build the live table's other indexes on the green table, same names and definitions.</summary>
    public static async Task<List<string>> SecondaryIndexStatementsAsync(NpgsqlConnection connection, string liveSchema, string greenSchema, string table, CancellationToken ct)
    {
        var indexes = await QueryPairsAsync(connection,
            "select i.indexname, i.indexdef from pg_indexes i where i.schemaname = $1 and i.tablename = $2 " +
            "and not exists (select 1 from pg_constraint c join pg_class x on x.oid = c.conindid where x.relname = i.indexname and c.contype = 'p' " +
            "and c.connamespace = (select oid from pg_namespace where nspname = $1))", ct, liveSchema, table);
        var statements = new List<string>();
        foreach (var (_, definition) in indexes)
        {
            var on = $" ON {liveSchema}.{table} ";
            if (!definition.Contains(on, StringComparison.Ordinal)) throw new InvalidOperationException($"Cannot re-target index '{definition}'.");
            statements.Add(definition.Replace(on, $" ON {greenSchema}.{table} ", StringComparison.Ordinal));
        }
        return statements;
    }

    public static async Task<string?> TableCommentAsync(NpgsqlConnection connection, string schema, string table, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select obj_description(($1 || '.' || $2)::regclass, 'pg_class')", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        return await command.ExecuteScalarAsync(ct) as string;
    }
}

internal static class RebuildTargets
{
    /// <summary>The targets for the given projection types, in the order given; <see cref="EventSubjectsProjection"/> is the subject index.</summary>
    public static List<RebuildTarget> For(IDocumentStore store, IEnumerable<Type> projections)
    {
        var serializer = store.Options.Serializer();
        var targets = new List<RebuildTarget>();
        foreach (var type in projections)
        {
            if (type == typeof(EventSubjectsProjection)) { targets.Add(new SubjectIndexTarget()); continue; }
            var projection = Activator.CreateInstance(type)!;
            var documentType = DocumentTypeOf(type);
            var mapping = store.Options.FindOrResolveDocumentType(documentType);
            var duplicated = mapping.DuplicatedFields.Select(DuplicatedColumn.Of).ToList();
            targets.Add((RebuildTarget)Activator.CreateInstance(typeof(DocumentTarget<>).MakeGenericType(documentType), projection, mapping.TableName.Name,
                serializer, duplicated)!);
        }
        return targets;
    }

    private static Type DocumentTypeOf(Type projection)
    {
        for (var t = projection.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) || t.GetGenericTypeDefinition() == typeof(MultiStreamProjection<,>)))
                return t.GetGenericArguments()[0];
        throw new NotSupportedException($"{projection.Name} is neither a single- nor a multi-stream projection.");
    }
}
