namespace Supervision.Api.Infrastructure;

/// <summary>A page of a listing, with the event sequence it reflects, so a caller can ask "as of" the same moment later.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, long AsOfSequence);

/// <summary>One paging rule for the lists that had none (issue 13): pages from 1, at most <see cref="MaxPageSize"/> items each.</summary>
public static class Paging
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    /// <summary>The page number (from 1) and size (1 to <see cref="MaxPageSize"/>) a request asked for, defaults filled in.</summary>
    public static (int Page, int PageSize) Normalize(int? page, int? pageSize) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));

    /// <summary>
    /// Cuts the page in PostgreSQL from a query already filtered to the caller's scope and ordered (ties broken, so pages never overlap):
    /// only the page's documents are read, and the total comes with them.
    /// </summary>
    public static async Task<PagedResult<T>> PageAsync<TDocument, T>(IQueryable<TDocument> filtered, Func<IQueryable<TDocument>, IQueryable<TDocument>> order,
        Func<TDocument, T> map, int? page, int? pageSize, Marten.IQuerySession session, CancellationToken ct) where TDocument : notnull
    {
        var (number, size) = Normalize(page, pageSize);
        var (items, total) = await SliceAsync(order(filtered), number, size, ct);
        return new PagedResult<T>(items.Select(map).ToList(), (int)Math.Min(total, int.MaxValue), number, size, await AsOf.CurrentSequenceAsync(session, ct));
    }

    /// <summary>
    /// For the lists that answer a bare JSON array (departments, regions, public plans: kept as arrays so their clients keep working):
    /// cuts the page in PostgreSQL from an ordered query and says the rest in headers, <c>X-Total-Count</c> and an RFC 8288
    /// <c>Link</c> to the next page when there is one. Without <c>page</c>/<c>pageSize</c> the first <see cref="MaxPageSize"/> rows.
    /// </summary>
    public static async Task<IReadOnlyList<T>> ArrayPageAsync<TDocument, T>(IQueryable<TDocument> ordered, Func<TDocument, T> map, int? page, int? pageSize,
        HttpContext http, CancellationToken ct) where TDocument : notnull
    {
        var (number, size) = Normalize(page, pageSize ?? MaxPageSize);
        var (items, total) = await SliceAsync(ordered, number, size, ct);
        http.Response.Headers["X-Total-Count"] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if ((long)number * size < total)
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(http.Request.QueryString.Value)
                .Where(p => p.Key is not ("page" or "pageSize")).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)))
                .Append(new("page", (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .Append(new("pageSize", size.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            http.Response.Headers.Append("Link", $"<{Microsoft.AspNetCore.Http.Extensions.UriHelper.BuildRelative(http.Request.PathBase, http.Request.Path, QueryString.Create(query))}>; rel=\"next\"");
        }
        return items.Select(map).ToList();
    }

    /// <summary>Cuts the page from items already filtered to the caller's scope and ordered.</summary>
    public static async Task<PagedResult<T>> PageAsync<T>(IEnumerable<T> items, int? page, int? pageSize, Marten.IQuerySession session, CancellationToken ct)
    {
        var (number, size) = Normalize(page, pageSize);
        var all = items.ToList();
        return new PagedResult<T>(all.Skip(Skipped(number, size)).Take(size).ToList(), all.Count, number, size, await AsOf.CurrentSequenceAsync(session, ct));
    }

    private static int Skipped(int page, int pageSize) => (int)Math.Min((long)(page - 1) * pageSize, int.MaxValue);

    /// <summary>One page of an ordered query, read in PostgreSQL, and the number of rows of the whole query.</summary>
    private static async Task<(IReadOnlyList<TDocument> Items, long Total)> SliceAsync<TDocument>(IQueryable<TDocument> ordered, int page, int pageSize, CancellationToken ct)
        where TDocument : notnull
    {
        var skip = Skipped(page, pageSize);
        var items = await Marten.QueryableExtensions.ToListAsync(Marten.QueryableExtensions.Stats(ordered, out var stats).Skip(skip).Take(pageSize), ct);
        if (items.Count > 0 || skip == 0) return (items, stats.TotalResults);
        // Past the last page no row carries the total: ask for the first row instead (Marten keeps statistics on the query
        // provider, which a separate count on the same query would refuse).
        await Marten.QueryableExtensions.ToListAsync(Marten.QueryableExtensions.Stats(ordered, out var all).Take(1), ct);
        return (items, all.TotalResults);
    }
}
