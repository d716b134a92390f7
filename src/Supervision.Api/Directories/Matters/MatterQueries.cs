using Marten.Linq.MatchesSql;

namespace Supervision.Api.Directories.Matters;

/// <param name="Definition">The latest version of the definition.</param>
/// <param name="Versions">The numbers of every version, readable at <c>/api/matters/{id}/versions/{number}</c>.</param>
/// <param name="Version">The stream version, to send back with a change.</param>
public sealed record MatterView(
    Guid Id, string Code, Guid OwnerDepartmentId, MatterVersion Definition, IReadOnlyList<int> Versions,
    IReadOnlyList<MatterClaim> Claims, bool Withdrawn, string? WithdrawalReason, long Version)
{
    public static MatterView From(InspectionMatter m) =>
        new(m.Id, m.Code, m.OwnerDepartmentId, m.Latest(), m.Versions.Select(v => v.Number).ToList(), m.Claims, m.Withdrawn, m.WithdrawalReason, m.Version);
}

/// <summary>One pinned version of a matter, as a draw that recorded <c>(matterId, version)</c> reads it.</summary>
public sealed record MatterVersionView(Guid MatterId, string Code, Guid OwnerDepartmentId, MatterVersion Definition, bool IsLatest, bool Withdrawn);

/// <summary>Paging of listings, checked the same way everywhere.</summary>
public static class MatterPaging
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    public static ProblemDetails Check(int? page, int? pageSize)
    {
        var errors = new List<DomainError>();
        if (page is < 1) errors.Add(DomainError.Invalid("page", "page.range", "'page' starts at 1."));
        if (pageSize is < 1 or > MaxPageSize) errors.Add(DomainError.Invalid("pageSize", "pageSize.range", $"'pageSize' is 1 to {MaxPageSize}."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    public static PagedResult<MatterView> Page(IEnumerable<InspectionMatter> matters, MatterFilter filter, int? page, int? pageSize, long asOfSequence)
    {
        var (p, size) = (page ?? 1, pageSize ?? DefaultPageSize);
        var matching = matters.Where(filter.Matches).OrderBy(m => m.Code, StringComparer.Ordinal).ToList();
        var items = matching.Skip((p - 1) * size).Take(size).Select(MatterView.From).ToList();
        return new PagedResult<MatterView>(items, matching.Count, p, size, asOfSequence);
    }
}

public static class GetMatterEndpoint
{
    /// <summary>Read one matter with its current version.</summary>
    [WolverineGet("/api/matters/{matterId}"), Tags("Matters")]
    public static MatterView Get([ReadAggregate("matterId")] InspectionMatter matter) => MatterView.From(matter);
}

public static class GetMatterVersionEndpoint
{
    public static Task<InspectionMatter?> LoadAsync(Guid matterId, IQuerySession session, CancellationToken ct) =>
        session.LoadAsync<InspectionMatter>(matterId, ct);

    public static ProblemDetails Validate(InspectionMatter? matter, Guid matterId, int version) =>
        matter is null ? ProblemResponses.NotFound("Matter", matterId)
        : matter.VersionNumbered(version) is null ? ProblemResponses.FromErrors(
            [DomainError.NotFound("version", "matter.version.unknown", $"Matter {matter.Code} has no version {version}; it has 1 to {matter.Latest().Number}.")])
        : WolverineContinue.NoProblems;

    /// <summary>A version of a matter's definition, still readable after later revisions and after withdrawal.</summary>
    [WolverineGet("/api/matters/{matterId}/versions/{version}"), Tags("Matters")]
    public static MatterVersionView Get(InspectionMatter matter, int version) =>
        new(matter.Id, matter.Code, matter.OwnerDepartmentId, matter.VersionNumbered(version)!, version == matter.Latest().Number, matter.Withdrawn);
}

public static class ListMattersEndpoint
{
    public static ProblemDetails Validate(int? page, int? pageSize) => MatterPaging.Check(page, pageSize);

    /// <summary>
    /// The matters list now. <c>departmentId</c> keeps matters owned or claimed by that department; <c>category</c> and
    /// <c>method</c> filter on the latest version; withdrawn matters are left out unless <c>includeWithdrawn=true</c>.
    /// </summary>
    [WolverineGet("/api/matters"), Tags("Matters")]
    public static async Task<PagedResult<MatterView>> List(IQuerySession session, Guid? departmentId, MatterCategory? category, InspectionMethod? method,
        bool? includeWithdrawn, int? page, int? pageSize, CancellationToken ct)
    {
        // MatterFilter.Matches, as SQL (issue 14): PostgreSQL filters, orders by code (the database's C collation is the ordinal order
        // the as-of listing uses) and cuts the page; the sequence is read after the page. QueriesInSqlTests holds it equal to MatterPaging.Page.
        var filtered = MatterSql.Where(session.Query<InspectionMatter>(), new MatterFilter(departmentId, category, method, includeWithdrawn ?? false));
        return await Paging.PageAsync(filtered, all => all.OrderBy(m => m.Code).ThenBy(m => m.Id), MatterView.From,
            page, pageSize ?? MatterPaging.DefaultPageSize, session, ct);
    }
}

/// <summary><see cref="MatterFilter.Matches"/> as conditions on the matter documents (alias <c>d</c>); the latest version is the last of <c>Versions</c>.</summary>
public static class MatterSql
{
    public static IQueryable<InspectionMatter> Where(IQueryable<InspectionMatter> query, MatterFilter filter)
    {
        if (!filter.IncludeWithdrawn) query = query.Where(m => !m.Withdrawn);
        if (filter.DepartmentId is { } department)
            query = query.Where(m => m.MatchesSql(
                "((d.data ->> 'OwnerDepartmentId')::uuid = ? or exists (select 1 from jsonb_array_elements(d.data -> 'Claims') c where (c ->> 'DepartmentId')::uuid = ?))",
                department, department));
        if (filter.Category is { } category)
            query = query.Where(m => m.MatchesSql("d.data -> 'Versions' -> -1 ->> 'Category' = ?", category.ToString()));
        if (filter.Method is { } method)
            query = query.Where(m => m.MatchesSql("d.data -> 'Versions' -> -1 -> 'Methods' @> ?::jsonb", System.Text.Json.JsonSerializer.Serialize(new[] { method.ToString() })));
        return query;
    }
}

public static class ListMattersAsOfEndpoint
{
    public static ProblemDetails Validate(long? sequence, DateTimeOffset? at, int? page, int? pageSize)
    {
        if (sequence is not null && at is not null)
            return ProblemResponses.FromErrors([DomainError.Invalid("sequence", "as-of.ambiguous", "Give either 'sequence' or 'at', not both.")]);
        if (sequence is < 0)
            return ProblemResponses.FromErrors([DomainError.Invalid("sequence", "as-of.sequence.range", "'sequence' is 0 or more.")]);
        return MatterPaging.Check(page, pageSize);
    }

    /// <summary>
    /// The matters list as it was at an event sequence number or a moment (<c>at</c>, ISO 8601), rebuilt from the events
    /// with the same evolve as the live list and filtered by the same filter; without either, as of now.
    /// </summary>
    [WolverineGet("/api/matters/as-of"), Tags("Matters")]
    public static async Task<PagedResult<MatterView>> List(IQuerySession session, long? sequence, DateTimeOffset? at, Guid? departmentId,
        MatterCategory? category, InspectionMethod? method, bool? includeWithdrawn, int? page, int? pageSize, CancellationToken ct)
    {
        var point = sequence is { } s ? new AsOfPoint(s, null)
            : at is { } moment ? new AsOfPoint(null, moment)
            : new AsOfPoint(await AsOf.CurrentSequenceAsync(session, ct), null);
        var asOfSequence = point.Sequence ?? await AsOf.LastSequenceAtAsync(session, point.At!.Value, ct);
        var states = await AsOf.FoldAsync<InspectionMatter>(session, new AsOfPoint(asOfSequence, null),
            MatterRules.EventTypes.ToArray(), EvolveCountingVersion, ct);
        return MatterPaging.Page(states.Values, new MatterFilter(departmentId, category, method, includeWithdrawn ?? false), page, pageSize, asOfSequence);
    }

    /// <summary>The pure evolve, also counting the stream version as the event store does for the live snapshot.</summary>
    private static InspectionMatter? EvolveCountingVersion(InspectionMatter? state, object e) =>
        MatterRules.Evolve(state, e) is { } next ? next with { Version = (state?.Version ?? 0) + 1 } : null;
}
