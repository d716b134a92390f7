using System.Diagnostics;
using System.Threading.Channels;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>The reading side of the one-pass rebuild: the pass over the log in batches, and the catch-up over what was committed meanwhile.</summary>
public static partial class OnePassRebuild
{
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
