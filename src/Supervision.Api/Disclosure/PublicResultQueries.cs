using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Disclosure;

namespace Supervision.Api.Disclosure;

public sealed record PublicResultEntry(Guid PublicationId, PublicResult Current, IReadOnlyList<PublicResult> History);

public static class PublicResultQueries
{
    /// <summary>
    /// Published results, anonymously, by credit code, entity name, plan number, authority or date range, newest first, a page at a
    /// time (<see cref="Paging"/>; the number of all matches in the <c>X-Total-Count</c> header). Only the frozen public copies are
    /// read: withheld results and redacted fields never appear, nor inspectors or credit classes.
    /// </summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/results"), Tags("Public")]
    public static async Task<IReadOnlyList<PublicResultEntry>> Search([ReadReplica] Npgsql.NpgsqlConnection connection, PublicResultSearch.Storage storage, HttpResponse response,
        string? creditCode, string? name, string? planNumber, string? authority, DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        var (number, size) = Paging.Normalize(page, pageSize);
        var (items, total) = await PublicResultSearch.SearchAsync(connection, storage, new PublicResultFilter(creditCode, name, planNumber, authority, from, to), number, size, ct);
        // The body stays a plain list (its shape before paging); how many match in all travels beside it.
        response.Headers[TotalCountHeader] = total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return items;
    }

    public const string TotalCountHeader = "X-Total-Count";
}
