using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using NpgsqlTypes;

namespace Supervision.Api.Infrastructure.Rebuild;

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
