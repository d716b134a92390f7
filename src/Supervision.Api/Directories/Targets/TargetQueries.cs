namespace Supervision.Api.Directories.Targets;

public static class TargetQueries
{
    public const int MaxPageSize = 500;

    /// <summary>Read one target of the directory.</summary>
    [WolverineGet("/api/targets/{targetId}"), Tags("Targets")]
    public static Target Get([ReadAggregate] Target target) => target;

    /// <summary>The live directory, filtered and paged, in identifier order.</summary>
    [WolverineGet("/api/targets"), Tags("Targets")]
    public static async Task<PagedResult<Target>> List(
        IQuerySession session, string? regionCode, string? industryCode, TargetKind? kind, string? creditClass, string[]? tag,
        OperatingStatus? status, Guid? supervisingDepartmentId, DateOnly? registeredFrom, DateOnly? registeredTo, int? page, int? pageSize,
        CancellationToken ct)
    {
        var filter = new TargetFilter(regionCode, industryCode, kind, creditClass, tag, status, supervisingDepartmentId, registeredFrom, registeredTo);
        var (number, size) = Paging(page, pageSize);
        var sequence = await AsOf.CurrentSequenceAsync(session, ct);
        var query = Apply(session.Query<Target>(), filter);
        var total = await query.CountAsync(ct);
        var items = await query.OrderBy(t => t.Identifier).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new PagedResult<Target>(items, total, number, size, sequence);
    }

    /// <summary>
    /// The directory as it was at a past moment (<c>sequence</c> or <c>at</c>), rebuilt from the events, with the same filter.
    /// An auditor replaying a draw asks for the pool as of the draw's recorded sequence.
    /// </summary>
    [WolverineGet("/api/targets/as-of"), Tags("Targets")]
    public static async Task<PagedResult<Target>> AsOfList(
        IQuerySession session, long? sequence, DateTimeOffset? at, string? regionCode, string? industryCode, TargetKind? kind, string? creditClass,
        string[]? tag, OperatingStatus? status, Guid? supervisingDepartmentId, DateOnly? registeredFrom, DateOnly? registeredTo, int? page, int? pageSize,
        CancellationToken ct)
    {
        var filter = new TargetFilter(regionCode, industryCode, kind, creditClass, tag, status, supervisingDepartmentId, registeredFrom, registeredTo);
        var (number, size) = Paging(page, pageSize);
        var point = new AsOfPoint(sequence ?? (at is null ? await AsOf.CurrentSequenceAsync(session, ct) : null), at);
        // Issue 14: the targets unchanged since the moment come from the live read model through the live filter's SQL; only those
        // changed since are folded (AsOfListing). Equal to folding every event (AsOfInSqlTests).
        var (items, total) = await AsOfListing.PageAsync(session, point, AsOfDirectory(filter), number, size, ct);
        return new PagedResult<Target>(items, total, number, size, point.Sequence ?? -1);
    }

    /// <summary>The targets directory for <see cref="AsOfListing"/>: identifiers are unique, so the order is the fold's.</summary>
    public static AsOfListing.Directory<Target> AsOfDirectory(TargetFilter filter) =>
        new(TargetRules.EventTypes, TargetRules.Evolve, query => Apply(query, filter), filter.Matches,
            query => query.OrderBy(t => t.Identifier).ThenBy(t => t.Id), t => t.Identifier, t => t.Id, t => t with { Version = 0 });

    /// <summary>The live translation of <see cref="TargetFilter.Matches"/>; <c>TargetQueryTests</c> checks that the two agree.</summary>
    public static IQueryable<Target> Apply(IQueryable<Target> query, TargetFilter filter)
    {
        if (filter.RegionPrefix is { } region) query = query.Where(t => t.RegionCode.StartsWith(region));
        if (filter.IndustryCode is { } industry) query = query.Where(t => t.IndustryCode != null && t.IndustryCode.StartsWith(industry));
        if (filter.Kind is { } kind) query = query.Where(t => t.Kind == kind);
        if (filter.CreditClass is { } creditClass)
        {
            var normalized = creditClass.ToUpperInvariant();
            query = query.Where(t => t.CreditClass == normalized);
        }
        foreach (var tag in filter.NormalizedTags) query = query.Where(t => t.Tags.Contains(tag));
        if (filter.Status is { } status) query = query.Where(t => t.Status == status);
        if (filter.SupervisingDepartmentId is { } department) query = query.Where(t => t.SupervisingDepartmentIds.Contains(department));
        if (filter.RegisteredFrom is { } from) query = query.Where(t => t.RegisteredOn >= from);
        if (filter.RegisteredTo is { } to) query = query.Where(t => t.RegisteredOn <= to);
        return query;
    }

    private static (int Page, int Size) Paging(int? page, int? pageSize) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 50, 1, MaxPageSize));
}
