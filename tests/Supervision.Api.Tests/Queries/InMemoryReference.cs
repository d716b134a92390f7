using Supervision.Api.Disclosure;
using Supervision.Domain.Disclosure;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The listings as they were computed before issue 14 moved them into SQL: load everything, filter, sort and page in memory. Kept
/// verbatim (plus a tie-break by id where the old order left ties to the heap) as the reference the SQL paths must equal.
/// </summary>
public static class InMemoryReference
{
    public static IEnumerable<T> Page<T>(IEnumerable<T> ordered, int page, int pageSize) => ordered.Skip((page - 1) * pageSize).Take(pageSize);

    /// <summary>
    /// <c>GET /api/public/results</c> before issue 14. Ties in the publication date were in whatever order the rows came back; the
    /// SQL path breaks them by id (uuid order is the order of its hex text).
    /// </summary>
    public static IReadOnlyList<PublicResultEntry> PublicResults(IEnumerable<ResultPublication> all, PublicResultFilter f) =>
        all.Where(p => !p.Withheld).Where(p => p.Current is { } c
                && (f.CreditCode is null || string.Equals(c.CreditCode, f.CreditCode, StringComparison.OrdinalIgnoreCase))
                && (f.Name is null || c.EntityName.Contains(f.Name, StringComparison.Ordinal))
                && (f.PlanNumber is null || c.PlanNumber == f.PlanNumber)
                && (f.Authority is null || c.Authority.Contains(f.Authority, StringComparison.Ordinal))
                && (f.From is null || c.InspectedOn >= f.From) && (f.To is null || c.InspectedOn <= f.To))
            .Select(p => new PublicResultEntry(p.Id, p.Current!, p.Revisions.Reverse().ToList()))
            .OrderByDescending(e => e.Current.PublishedOn).ThenBy(e => e.PublicationId.ToString("N"), StringComparer.Ordinal).ToList();
}
