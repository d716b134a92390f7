using Marten.Events;
using Marten.Linq.MatchesSql;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// A directory listing "as of" a past moment, answered mostly in SQL (issue 14), equal to folding every event in memory.
/// <para>
/// A stream with no event after the moment is, at that moment, exactly what its live read model document is now (the document is
/// the same pure evolve over the same events), so those streams are filtered, ordered and paged by the live listing's own SQL,
/// with one more condition: no event of the directory's types after the moment. Only the streams that changed after the moment are
/// folded in memory, from their events up to it, and filtered with the domain filter; the two ordered sets are merged into the page.
/// An auditor asking about last week's draw folds last week's changes, not the whole directory.
/// </para>
/// <para>
/// The set of changed streams is read before and after the SQL page; if it grew meanwhile (a command changed a stream between
/// the two reads), the answer is computed again, so no stream is ever missing or counted twice.
/// </para>
/// </summary>
public static class AsOfListing
{
    /// <summary>Everything a directory tells the listing about itself.</summary>
    /// <param name="Table">The read model's table, schema-qualified.</param>
    /// <param name="Key">The order of the listing (ordinal; the database's C collation orders the same for ASCII keys).</param>
    /// <param name="AsFolded">The document as the fold would have built it (the live document carries its stream version, a fold does not).</param>
    public sealed record Directory<TDoc>(
        Type[] EventTypes, Func<TDoc?, object, TDoc?> Evolve,
        Func<IQueryable<TDoc>, IQueryable<TDoc>> SqlFilter, Func<TDoc, bool> Matches,
        Func<IQueryable<TDoc>, IQueryable<TDoc>> SqlOrder, Func<TDoc, string> Key, Func<TDoc, Guid> Id, Func<TDoc, TDoc> AsFolded)
        where TDoc : class;

    private const int Attempts = 3;

    /// <summary>The page (from 1) of the directory at <paramref name="point"/>, in the order of <see cref="Directory{TDoc}.Key"/> then id.</summary>
    public static async Task<(IReadOnlyList<TDoc> Items, int Total)> PageAsync<TDoc>(IQuerySession session, AsOfPoint point, Directory<TDoc> directory,
        int number, int size, CancellationToken ct) where TDoc : class
    {
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var types = directory.EventTypes.Select(EventTypeName).ToArray();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var changed = await ChangedStreamsAsync(session, schema, types, point, ct);
            var folded = changed.Count == 0 ? [] : await FoldAsync(session, point, directory, changed, ct);
            var page = await MergeAsync(session, point, directory, schema, types, folded, number, size, ct);
            if ((await ChangedStreamsAsync(session, schema, types, point, ct)).SetEquals(changed)) return page;
        }
        // The directory kept changing under three attempts: fold it all, as before (slow, but exact).
        var all = await AsOf.FoldAsync(session, point, directory.EventTypes, directory.Evolve, ct);
        var matching = all.Values.Where(directory.Matches).Order(OrderOf(directory)).ToList();
        return (matching.Skip((number - 1) * size).Take(size).ToList(), matching.Count);
    }

    /// <summary>Marten's default event type name: the class name in snake case (TargetRegistered → target_registered).</summary>
    public static string EventTypeName(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>Key ordinally, then id as uuid text (PostgreSQL orders uuids as their hex text), as the SQL orders.</summary>
    private static IComparer<TDoc> OrderOf<TDoc>(Directory<TDoc> directory) where TDoc : class =>
        Comparer<TDoc>.Create((x, y) =>
        {
            var byKey = string.CompareOrdinal(directory.Key(x), directory.Key(y));
            return byKey != 0 ? byKey : string.CompareOrdinal(directory.Id(x).ToString("N"), directory.Id(y).ToString("N"));
        });

    /// <summary>"An event of the directory's types after the moment", on <c>mt_events e</c>, with its <c>?</c> parameters.</summary>
    private static (string Sql, object[] Parameters) AfterTheMoment(string schema, string[] types, AsOfPoint point)
    {
        var after = new List<string>();
        var parameters = new List<object> { types };
        if (point.Sequence is { } sequence) { after.Add("e.seq_id > ?"); parameters.Add(sequence); }
        if (point.At is { } at) { after.Add("e.timestamp > ?"); parameters.Add(at.ToUniversalTime()); }
        return ($"select e.stream_id from {schema}.mt_events e where e.type = any(?) and ({(after.Count == 0 ? "false" : string.Join(" or ", after))})",
            [.. parameters]);
    }

    /// <summary>The streams with an event of the directory's types after the moment.</summary>
    private static async Task<HashSet<Guid>> ChangedStreamsAsync(IQuerySession session, string schema, string[] types, AsOfPoint point, CancellationToken ct)
    {
        var (sql, parameters) = AfterTheMoment(schema, types, point);
        return (await session.QueryAsync<Guid>("select distinct stream_id from (" + sql + ") changed", ct, parameters)).ToHashSet();
    }

    /// <summary>The changed streams as they were at the moment, by the same fold as <see cref="AsOf.FoldAsync{TState}"/>.</summary>
    private static async Task<List<TDoc>> FoldAsync<TDoc>(IQuerySession session, AsOfPoint point, Directory<TDoc> directory, HashSet<Guid> streams,
        CancellationToken ct) where TDoc : class
    {
        var ids = streams.ToArray();
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(directory.EventTypes)).Where(e => e.StreamId.IsOneOf(ids));
        if (point.Sequence is { } sequence) query = query.Where(e => e.Sequence <= sequence);
        if (point.At is { } at) query = query.Where(e => e.Timestamp <= at);
        var states = new Dictionary<Guid, TDoc>();
        await foreach (var e in query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
        {
            var next = directory.Evolve(states.GetValueOrDefault(e.StreamId), e.Data);
            if (next is null) states.Remove(e.StreamId);
            else states[e.StreamId] = next;
        }
        return states.Values.Where(directory.Matches).Order(OrderOf(directory)).ToList();
    }

    /// <summary>
    /// Merges the unchanged documents (filtered, ordered and cut in SQL) with the folded ones (few, in memory). Only the window of the
    /// SQL order the page can draw from is read: with M folded rows, the page's unchanged rows lie within SQL ranks [skip − M, skip + size).
    /// </summary>
    private static async Task<(IReadOnlyList<TDoc> Items, int Total)> MergeAsync<TDoc>(IQuerySession session, AsOfPoint point, Directory<TDoc> directory,
        string schema, string[] types, List<TDoc> folded, int number, int size, CancellationToken ct) where TDoc : class
    {
        var skip = (int)Math.Min((long)(number - 1) * size, int.MaxValue);
        var m = folded.Count;
        var from = Math.Max(0, skip - m);
        var (changedSql, changedParameters) = AfterTheMoment(schema, types, point);
        IQueryable<TDoc> Settled() => directory.SqlFilter(session.Query<TDoc>()).Where(d => d.MatchesSql(
            // A document with no stream (written by hand, never by an event) is not in any fold.
            $"d.id not in ({changedSql}) and exists (select 1 from {schema}.mt_streams s where s.id = d.id)", changedParameters));
        var settled = Settled();
        var ordered = directory.SqlOrder(settled);
        var window = await Marten.QueryableExtensions.ToListAsync(
            Marten.QueryableExtensions.Stats(ordered, out var stats).Skip(from).Take((int)Math.Min((long)size + Math.Min(skip, m), int.MaxValue)), ct);
        long settledTotal = stats.TotalResults;
        // Past the last row no row carries the total.
        if (window.Count == 0) settledTotal = await Settled().CountAsync(ct);
        var total = (int)Math.Min(settledTotal + m, int.MaxValue);
        if (skip >= total) return ([], total);
        if (window.Count == 0) return (folded.Skip(skip).Take(size).ToList(), total);

        var compare = OrderOf(directory);
        var unchanged = window.Select(directory.AsFolded).ToList();
        // The folded rows before the window's first row: at positions 0… when the window starts the order, else all before the page.
        var before = folded.Count(f => compare.Compare(f, unchanged[0]) < 0);
        var merged = new List<TDoc>(size);
        var position = from == 0 ? 0 : from + before;
        int i = from == 0 ? 0 : before, j = 0;
        while (merged.Count < size && (i < m || j < unchanged.Count))
        {
            // Past the window, an unchanged row's place is unknown; the page is full before that matters unless the window reached the end.
            if (j == unchanged.Count && from + unchanged.Count < settledTotal) break;
            var takeFolded = j == unchanged.Count || (i < m && compare.Compare(folded[i], unchanged[j]) < 0);
            var next = takeFolded ? folded[i++] : unchanged[j++];
            if (position++ >= skip) merged.Add(next);
        }
        return (merged, total);
    }
}
