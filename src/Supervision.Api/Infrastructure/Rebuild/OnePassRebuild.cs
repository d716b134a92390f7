using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>Where a rebuild is: the phase, events folded of those in the log when it started, and time so far.</summary>
public sealed record ReadModelRebuildProgress(string Phase, long EventsDone, long EventsTotal, TimeSpan Elapsed);

/// <param name="BatchSize">Events folded between loads and writes.</param>
/// <param name="HeldDocuments">
/// The memory bound: documents (and subject rows / 4) held across all read models; past it everything is written to the green
/// tables and dropped from memory, and reloaded by id when a later event needs it.
/// </param>
/// <param name="BatchesAhead">Batches the reading thread may read ahead of the folding one (each holds its events in memory).</param>
/// <param name="ColdAfterBatches">
/// A document not changed for this many batches is written to the green table and forgotten (reloaded if a later event needs it):
/// writes spread over the pass instead of bursts at the memory bound and at the end. 0 keeps everything until the memory bound.
/// </param>
/// <param name="IndexBuilders">Connections building the green tables' indexes at once after the pass.</param>
/// <param name="ReadWithMarten">
/// Read the pass with Marten's <c>QueryAllRawEvents</c> instead of <see cref="EventLogReader"/> (same events, slower); for comparison.
/// </param>
public sealed record OnePassRebuildOptions(int BatchSize = 4_000, int HeldDocuments = 200_000, int BatchesAhead = 4, bool ReadWithMarten = false,
    int IndexBuilders = 2, int ColdAfterBatches = 4);

/// <summary>
/// Rebuilds read models by reading the event log once (issue 14): every event, in sequence order, is folded by every chosen
/// projection's own <c>Evolve</c> into documents held in memory up to a bound, written by binary COPY into "green" copies of
/// the tables in a schema of their own (<c>&lt;schema&gt;_rebuild</c>), never loading what was just cleared. Commands keep
/// running meanwhile and their inline projections keep the live ("blue") tables current. Then:
/// <list type="number">
/// <item>the green tables get the live tables' indexes;</item>
/// <item>events appended meanwhile are folded in: those past the high-water mark read at the start, and those inside the gaps of
/// the pass (a transaction that took its sequence numbers before the start and committed after it);</item>
/// <item>in one transaction that blocks appends (<c>lock table mt_events in exclusive mode</c>; reads go on) the last appends are
/// folded in the same way, each live table is dropped and its green copy moved into the store's schema under the same table,
/// index and constraint names. Commands wait for that transaction only (milliseconds to a few seconds), then go on against the
/// rebuilt tables.</item>
/// </list>
/// A swap that meets a deadlock or a lock timeout (a command holding a read model table while waiting to append) is rolled back
/// and tried again, up to three times; nothing live changes until it commits.
/// </summary>
public static class OnePassRebuild
{
    /// <summary>The swap was not confirmed (a rebuild job found itself failed meanwhile): it was rolled back, nothing live changed.</summary>
    public sealed class RebuildNotConfirmedException() : Exception("The rebuild was not confirmed before its swap; nothing live changed.");

    public static string GreenSchemaFor(string schema) => schema + "_rebuild";

    internal sealed record Outcome(IReadOnlyList<(string Name, long Rows)> ReadModels, long EventsAtStart, long EventsCaughtUp, TimeSpan Elapsed,
        IReadOnlyDictionary<string, double> PhaseSeconds);

    /// <param name="confirmSwap">
    /// Asked inside the swap's transaction, just before it commits, with the outcome it is about to commit: false rolls the swap back
    /// (nothing live changes) and the rebuild fails. A job records its success there, so a job failed meanwhile (its node seen dead)
    /// cannot also swap.
    /// </param>
    internal static async Task<Outcome> RunAsync(IDocumentStore store, string connectionString, IReadOnlyList<RebuildTarget> targets, OnePassRebuildOptions options,
        Func<ReadModelRebuildProgress, CancellationToken, ValueTask>? progress, CancellationToken ct,
        Func<NpgsqlConnection, Outcome, CancellationToken, Task<bool>>? confirmSwap = null)
    {
        var clock = Stopwatch.StartNew();
        var timings = new RebuildTimings();
        var live = store.Options.DatabaseSchemaName;
        var green = GreenSchemaFor(live);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await Sql.ExecuteAsync(connection, $"drop schema if exists {green} cascade; create schema {green}", ct);
        try
        {
            foreach (var target in targets) await target.CreateGreenAsync(connection, live, green, ct);

            long high, total;
            await using (var command = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {live}.mt_events", connection))
                high = (long)(await command.ExecuteScalarAsync(ct))!;
            await using (var command = new NpgsqlCommand($"select count(*) from {live}.mt_events where seq_id <= $1", connection))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = high });
                total = (long)(await command.ExecuteScalarAsync(ct))!;
            }
            var log = new LogPosition(high);
            foreach (var target in targets) target.Timings = timings;

            // The pass: one streamed read of the log up to the high-water mark, on a thread of its own, handing whole batches over a
            // short bounded channel to this one, which folds and writes them; reading and deserialising (Marten's event reader) then
            // overlaps folding and COPY instead of adding to it, on a machine of two cores and a database server.
            long done = 0;
            var batches = Channel.CreateBounded<EventBatch>(new BoundedChannelOptions(options.BatchesAhead) { SingleReader = true, SingleWriter = true });
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reading = Task.Run(() => ReadPassAsync(store, connectionString, high, log, batches.Writer, new EventRouter(targets), options, timings, stopReading.Token), CancellationToken.None);
            try
            {
                var waiting = Stopwatch.GetTimestamp();
                await foreach (var batch in batches.Reader.ReadAllAsync(ct))
                {
                    timings.Since("wait for the reader", waiting);
                    done += await FoldAsync(batch, targets, connection, green, options, ct);
                    if (progress is not null) await progress(new ReadModelRebuildProgress("pass", done, total, clock.Elapsed), ct);
                    waiting = Stopwatch.GetTimestamp();
                }
                await reading; // its failure, if any
            }
            finally
            {
                await stopReading.CancelAsync();
                try { await reading; } catch { /* already surfaced above, or the pass failed first */ }
            }
            var flushing = Stopwatch.GetTimestamp();
            foreach (var target in targets) await target.FlushAsync(connection, green, evict: true, ct);
            timings.Since("final write (inside the write phases)", flushing);
            if (progress is not null) await progress(new ReadModelRebuildProgress("indexes", done, total, clock.Elapsed), ct);
            var indexing = Stopwatch.GetTimestamp();
            await BuildIndexesAsync(connection, connectionString, live, green, targets, options.IndexBuilders, ct);
            var catchingUp = timings.Since("build indexes", indexing);

            // What was appended during the pass, without blocking anyone; then the rest, and the swap, with appends blocked.
            var caughtUp = await CatchUpAsync(store, log, targets, connection, green, options, ct);
            var swapping = timings.Since("catch up (inside the write phases)", catchingUp);
            if (progress is not null) await progress(new ReadModelRebuildProgress("swap", done + caughtUp, total, clock.Elapsed), ct);
            for (var attempt = 1; ; attempt++)
            {
                await using var swap = await connection.BeginTransactionAsync(ct);
                try
                {
                    await Sql.ExecuteAsync(connection, $"set local lock_timeout = '10s'; lock table {live}.mt_events in exclusive mode", ct);
                    var trial = log.Copy();
                    var last = await CatchUpAsync(store, trial, targets, connection, green, options, ct);
                    foreach (var target in targets)
                    {
                        var comment = await Sql.TableCommentAsync(connection, live, target.Table, ct);
                        await Sql.ExecuteAsync(connection, $"drop table {live}.{target.Table}; alter table {green}.{target.Table} set schema {live}", ct);
                        if (comment is not null)
                        {
                            await using var describe = new NpgsqlCommand($"comment on table {live}.{target.Table} is {Quote(comment)}", connection);
                            await describe.ExecuteNonQueryAsync(ct);
                        }
                    }
                    // The dashboards' rollup triggers went with the dropped tables: re-create them before appends resume, so no fact
                    // written after the swap escapes the rollups (Dashboards/DashboardRollup.cs).
                    await Sql.ExecuteAsync(connection, Supervision.Api.Dashboards.DashboardRollup.InstallSql(live), ct);
                    if (confirmSwap is not null
                        && !await confirmSwap(connection, new Outcome(targets.Select(t => (t.Name, t.Rows)).ToList(), total, caughtUp + last, clock.Elapsed, timings.Seconds()), ct))
                    {
                        await swap.RollbackAsync(CancellationToken.None);
                        throw new RebuildNotConfirmedException();
                    }
                    await swap.CommitAsync(ct);
                    caughtUp += last;
                    timings.Since("swap", swapping);
                    break;
                }
                catch (PostgresException ex) when (attempt < 3 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable)
                {
                    await swap.RollbackAsync(CancellationToken.None);
                    // The green tables are as before the attempt: forget what it folded and read them again next time.
                    foreach (var target in targets) target.Discard();
                }
            }
            // The swapped-in facts equal what the triggers counted, unless the rebuild corrected a projection: recount them (set-based;
            // a fact write meanwhile waits for it in its trigger, then applies its change on top).
            var recounting = Stopwatch.GetTimestamp();
            await Sql.ExecuteAsync(connection, Supervision.Api.Dashboards.DashboardRollup.RebuildSql(live), ct);
            timings.Since("dashboard rollups", recounting);
            if (progress is not null) await progress(new ReadModelRebuildProgress("done", done + caughtUp, total, clock.Elapsed), ct);
            return new Outcome(targets.Select(t => (t.Name, t.Rows)).ToList(), total, caughtUp, clock.Elapsed, timings.Seconds());
        }
        finally
        {
            // On a fresh connection: a cancelled operation breaks the one it ran on.
            await using var cleanup = new NpgsqlConnection(connectionString);
            await cleanup.OpenAsync(CancellationToken.None);
            await Sql.ExecuteAsync(cleanup, $"drop schema if exists {green} cascade", CancellationToken.None);
        }
    }

    /// <summary>
    /// The reading side of the pass: every event up to <paramref name="high"/> in sequence order, deserialised by Marten's own reader,
    /// cut into batches (<see cref="IsBatchEnd"/>) and handed over; notes the sequence gaps for the catch-up.
    /// </summary>
    private static async Task ReadPassAsync(IDocumentStore store, string connectionString, long high, LogPosition log, ChannelWriter<EventBatch> batches, EventRouter router,
        OnePassRebuildOptions options, RebuildTimings timings, CancellationToken ct)
    {
        Exception? failure = null;
        try
        {
            await using var session = store.QuerySession();
            var batch = new List<IEvent>(options.BatchSize);
            var previous = 0L;
            var reading = Stopwatch.GetTimestamp();
            var events = options.ReadWithMarten
                ? session.Events.QueryAllRawEvents().Where(x => x.Sequence <= high).OrderBy(x => x.Sequence).ToAsyncEnumerable(ct)
                : new EventLogReader(store).ReadAsync(connectionString, 0, high, router.Targets.Any(t => t.ReadsMetadata), ct);
            await foreach (var e in events)
            {
                log.NoteGapBefore(previous, e.Sequence);
                previous = e.Sequence;
                if (IsBatchEnd(batch, e, options))
                {
                    var preparing = timings.Since("read and deserialise (reader thread)", reading);
                    var prepared = new EventBatch(batch, router);
                    var handing = timings.Since("route and prepare (reader thread)", preparing);
                    await batches.WriteAsync(prepared, ct);
                    reading = timings.Since("reader waits for the folder (reader thread)", handing);
                    batch = new List<IEvent>(options.BatchSize);
                }
                batch.Add(e);
            }
            log.NoteGapBefore(previous, high + 1);
            timings.Since("read and deserialise (reader thread)", reading);
            if (batch.Count > 0) await batches.WriteAsync(new EventBatch(batch, router), ct);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            batches.TryComplete(failure);
        }
    }

    /// <summary>
    /// A batch is full at its size, but never ends inside a transaction (its events share the commit stamp): what is held may be
    /// written and forgotten between batches, and a document's version depends on its transaction's last event (see DocumentTarget).
    /// </summary>
    private static bool IsBatchEnd(List<IEvent> batch, IEvent next, OnePassRebuildOptions options) =>
        batch.Count >= options.BatchSize && batch[^1].Timestamp != next.Timestamp;

    /// <summary>
    /// The live tables' indexes (and the primary keys not kept during the pass) built on the full green tables, by
    /// <paramref name="builders"/> connections at once, largest tables first: one index build is one server process, so a single
    /// connection left the other core idle while nothing else runs (issue 14, measured). Each builder sorts in memory rather than
    /// in temporary files (its session's <c>maintenance_work_mem</c> only).
    /// </summary>
    private static async Task BuildIndexesAsync(NpgsqlConnection connection, string connectionString, string live, string green,
        IReadOnlyList<RebuildTarget> targets, int builders, CancellationToken ct)
    {
        var keys = new List<string>();
        var others = new List<string>();
        foreach (var target in targets.OrderByDescending(t => t.Rows))
        {
            if (!target.KeyedDuringPass) keys.AddRange(await Sql.PrimaryKeyStatementsAsync(connection, live, green, target.Table, ct));
            others.AddRange(await Sql.SecondaryIndexStatementsAsync(connection, live, green, target.Table, ct));
        }
        // Primary keys first: adding one locks its table against the other builders' index builds until it is done.
        var work = new ConcurrentQueue<string>(keys.Concat(others));
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, builders)).Select(async _ =>
        {
            await using var builder = new NpgsqlConnection(connectionString);
            await builder.OpenAsync(ct);
            await Sql.ExecuteAsync(builder, "set maintenance_work_mem = '256MB'", ct);
            while (work.TryDequeue(out var statement)) await Sql.ExecuteAsync(builder, statement, ct);
        }));
    }

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task<long> FoldAsync(EventBatch batch, IReadOnlyList<RebuildTarget> targets, NpgsqlConnection connection, string green,
        OnePassRebuildOptions options, CancellationToken ct)
    {
        if (batch.Events.Count == 0) return 0;
        for (var i = 0; i < targets.Count; i++) await targets[i].ApplyAsync(batch, i, connection, green, ct);
        if (targets.Sum(t => t.Held) > options.HeldDocuments)
            foreach (var target in targets) await target.FlushAsync(connection, green, evict: true, ct);
        else if (options.ColdAfterBatches > 0)
            foreach (var target in targets) await target.WriteColdAsync(connection, green, options.ColdAfterBatches, ct);
        return batch.Events.Count;
    }

    /// <summary>Folds the events committed since the position was taken (past its high-water mark or inside its gaps) and writes them.</summary>
    private static async Task<long> CatchUpAsync(IDocumentStore store, LogPosition log, IReadOnlyList<RebuildTarget> targets, NpgsqlConnection connection, string green,
        OnePassRebuildOptions options, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var high = log.High;
        var gaps = log.Gaps.ToArray();
        var query = session.Events.QueryAllRawEvents();
        var events = gaps.Length == 0
            ? await query.Where(x => x.Sequence > high).OrderBy(x => x.Sequence).ToListAsync(ct)
            : await query.Where(x => x.Sequence > high || x.Sequence.IsOneOf(gaps)).OrderBy(x => x.Sequence).ToListAsync(ct);
        var previous = high;
        foreach (var e in events)
        {
            if (e.Sequence <= high) { log.Gaps.Remove(e.Sequence); continue; }
            log.NoteGapBefore(previous, e.Sequence);
            previous = e.Sequence;
        }
        log.High = Math.Max(high, previous);
        var router = new EventRouter(targets);
        var batch = new List<IEvent>(options.BatchSize);
        long folded = 0;
        foreach (var e in events)
        {
            if (IsBatchEnd(batch, e, options))
            {
                folded += await FoldAsync(new EventBatch(batch, router), targets, connection, green, options, ct);
                batch = new List<IEvent>(options.BatchSize);
            }
            batch.Add(e);
        }
        folded += await FoldAsync(new EventBatch(batch, router), targets, connection, green, options, ct);
        foreach (var target in targets) await target.FlushAsync(connection, green, evict: true, ct);
        return folded;
    }

    /// <summary>How far the rebuild has read: the high-water mark and the sequence numbers below it not seen (yet).</summary>
    private sealed class LogPosition(long high)
    {
        public long High { get; set; } = high;
        public SortedSet<long> Gaps { get; private init; } = [];

        public void NoteGapBefore(long previous, long next)
        {
            for (var missing = previous + 1; missing < next; missing++) Gaps.Add(missing);
        }

        public LogPosition Copy() => new(High) { Gaps = new SortedSet<long>(Gaps) };
    }
}
