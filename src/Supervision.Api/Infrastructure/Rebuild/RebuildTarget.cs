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
