using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace Supervision.Api.Infrastructure.Rebuild;

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
public static partial class OnePassRebuild
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
}
