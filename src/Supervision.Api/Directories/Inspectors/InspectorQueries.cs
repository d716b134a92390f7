using Marten.Linq.MatchesSql;

namespace Supervision.Api.Directories.Inspectors;

// Reads are open to any authenticated user (the host's fallback policy). Listings answer in staff-code order with the
// event sequence they reflect, so a caller can ask for the directory "as of" that same moment later.

public static class InspectorQueries
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Read one inspector of the directory.</summary>
    [WolverineGet("/api/inspectors/{inspectorId}"), Tags("Inspectors")]
    public static InspectorView Get([ReadAggregate] Inspector inspector) => InspectorView.From(inspector);

    /// <summary>Filters with <see cref="InspectorFilter.Matches"/>, orders by staff code and cuts the page: one semantics for live and as-of.</summary>
    public static PagedResult<InspectorView> Page(IEnumerable<Inspector> inspectors, InspectorFilter filter, int? page, int? pageSize, long sequence)
    {
        var number = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize);
        var matching = inspectors.Where(filter.Matches).OrderBy(i => i.StaffCode, StringComparer.Ordinal).ToList();
        return new PagedResult<InspectorView>(
            matching.Skip((number - 1) * size).Take(size).Select(InspectorView.From).ToList(), matching.Count, number, size, sequence);
    }

    public static InspectorFilter Filter(Guid? departmentId, string? regionCode, InspectorStatus? status, string[]? tag, DateOnly? eligibleOn, bool? expert) =>
        new(departmentId, string.IsNullOrWhiteSpace(regionCode) ? null : regionCode.Trim(), status, tag, eligibleOn, expert);
}

/// <summary><c>GET /api/inspectors</c>: the live directory.</summary>
public static class ListInspectorsEndpoint
{
    public static ProblemDetails Validate(string? regionCode) =>
        InspectorQueries.Filter(null, regionCode, null, null, null, null).Check() is { Count: > 0 } errors
            ? ProblemResponses.FromErrors(errors)
            : WolverineContinue.NoProblems;

    /// <param name="regionCode">A region and all inside it: 130500 matches 1305xx.</param>
    /// <param name="status">The most recently recorded status.</param>
    /// <param name="tag">Repeatable; the inspector must carry every one.</param>
    /// <param name="eligibleOn">Only inspectors active and holding a valid certificate on that day (yyyy-MM-dd).</param>
    [WolverineGet("/api/inspectors"), Tags("Inspectors")]
    public static async Task<PagedResult<InspectorView>> List(
        IQuerySession session, Guid? departmentId, string? regionCode, InspectorStatus? status, string[]? tag, DateOnly? eligibleOn, bool? expert,
        int? page, int? pageSize, CancellationToken ct)
    {
        var filter = InspectorQueries.Filter(departmentId, regionCode, status, tag, eligibleOn, expert);
        // InspectorFilter.Matches, as SQL (issue 14): PostgreSQL filters, orders by staff code (the database's C collation is the
        // ordinal order the as-of listing uses) and cuts the page. QueriesInSqlTests holds it equal to the in-memory path.
        return await Paging.PageAsync(InspectorSql.Where(session.Query<Inspector>(), filter), all => all.OrderBy(i => i.StaffCode).ThenBy(i => i.Id),
            InspectorView.From, page, pageSize ?? InspectorQueries.DefaultPageSize, session, ct);
    }
}

/// <summary><see cref="InspectorFilter.Matches"/> as conditions on the inspector documents (alias <c>d</c>, dates as ISO text).</summary>
public static class InspectorSql
{
    public static IQueryable<Inspector> Where(IQueryable<Inspector> query, InspectorFilter filter)
    {
        if (filter.DepartmentId is { } department) query = query.Where(i => i.DepartmentId == department);
        if (filter.RegionCode is { Length: > 0 } region)
        {
            // DepartmentRules.IsSameOrAncestorRegion: a province (xx0000) or city (xxxx00) covers every code with its prefix.
            var prefix = region.EndsWith("0000", StringComparison.Ordinal) ? region[..2] : region.EndsWith("00", StringComparison.Ordinal) ? region[..4] : region;
            query = query.Where(i => i.MatchesSql("d.data ->> 'RegionCode' like ?", prefix + "%"));
        }
        if (filter.Status is { } wanted) query = query.Where(i => i.Status == wanted);
        if (filter.Expert is { } isExpert) query = query.Where(i => i.Expert == isExpert);
        if (filter.EligibleOn is { } day)
        {
            var date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            // InspectorRules.IsEligibleOn: the last status entry in effect that day is Active, and some certificate is valid that day.
            query = query.Where(i => i.MatchesSql("""
                (select h.s ->> 'Status' from jsonb_array_elements(d.data -> 'StatusHistory') with ordinality as h(s, n)
                  where h.s ->> 'EffectiveOn' <= ? order by h.n desc limit 1) = 'Active'
                and exists (select 1 from jsonb_array_elements(d.data -> 'Certificates') c
                  where not coalesce((c ->> 'Revoked')::boolean, false) and c ->> 'IssuedOn' <= ? and ? <= c ->> 'ExpiresOn')
                """, date, date, date));
        }
        if (TagRules.Normalize(filter.Tags) is { Count: > 0 } tags)
            query = query.Where(i => i.MatchesSql("d.data -> 'Tags' @> ?::jsonb", System.Text.Json.JsonSerializer.Serialize(tags)));
        return query;
    }
}

/// <summary>
/// <c>GET /api/inspectors/as-of</c>: the directory as it was at a past moment (<c>sequence</c>, or <c>at</c> as ISO-8601),
/// rebuilt from the events with the same evolve and the same filter. An auditor replaying a draw asks for the pool as of
/// the draw's recorded sequence. With neither, the directory now.
/// </summary>
public static class ListInspectorsAsOfEndpoint
{
    public static ProblemDetails Validate(string? regionCode, long? sequence, DateTimeOffset? at)
    {
        var errors = InspectorQueries.Filter(null, regionCode, null, null, null, null).Check().ToList();
        if (sequence is not null && at is not null)
            errors.Add(DomainError.Invalid("sequence", "as-of.ambiguous", "Give either 'sequence' or 'at', not both."));
        if (sequence is < 0)
            errors.Add(DomainError.Invalid("sequence", "as-of.sequence", "'sequence' is an event sequence number, 0 or more."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    [WolverineGet("/api/inspectors/as-of"), Tags("Inspectors")]
    public static async Task<PagedResult<InspectorView>> List(
        IQuerySession session, long? sequence, DateTimeOffset? at, Guid? departmentId, string? regionCode, InspectorStatus? status, string[]? tag,
        DateOnly? eligibleOn, bool? expert, int? page, int? pageSize, CancellationToken ct)
    {
        var filter = InspectorQueries.Filter(departmentId, regionCode, status, tag, eligibleOn, expert);
        // The answer names a sequence either way, so "as of a time" can be repeated exactly as "as of a sequence".
        var point = at is { } moment
            ? new AsOfPoint(await AsOf.LastSequenceAtAsync(session, moment, ct), null)
            : new AsOfPoint(sequence ?? await AsOf.CurrentSequenceAsync(session, ct), null);
        // Issue 14: the inspectors unchanged since the moment through the live listing's SQL, only those changed since folded
        // (AsOfListing); equal to InspectorQueries.Page over the whole fold (AsOfInSqlTests).
        var number = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? InspectorQueries.DefaultPageSize, 1, InspectorQueries.MaxPageSize);
        var (items, total) = await AsOfListing.PageAsync(session, point, AsOfDirectory(filter), number, size, ct);
        return new PagedResult<InspectorView>(items.Select(InspectorView.From).ToList(), total, number, size, point.Sequence!.Value);
    }

    /// <summary>The inspectors directory for <see cref="AsOfListing"/>: staff codes are unique, so the order is the fold's.</summary>
    public static AsOfListing.Directory<Inspector> AsOfDirectory(InspectorFilter filter) =>
        new(InspectorRules.EventTypes, InspectorRules.Evolve, query => InspectorSql.Where(query, filter), filter.Matches,
            query => query.OrderBy(i => i.StaffCode).ThenBy(i => i.Id), i => i.StaffCode, i => i.Id, i => i with { Version = 0 });

}
