using Supervision.Api.Calendar;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed record RegionDashboard(Dashboard Total, IReadOnlyList<Dashboard> Regions, IReadOnlyList<Dashboard> Departments, long AsOfSequence);

public sealed record DepartmentDashboard(Dashboard Dashboard, long AsOfSequence);

public static class DashboardEndpoints
{
    public static ProblemDetails Validate(string? period, long? sequence, DateTimeOffset? at)
    {
        var errors = new List<DomainError>();
        if (at is { } moment && (moment.Year < 2000 || moment > DateTimeOffset.UtcNow.AddYears(1)))
            errors.Add(DomainError.Invalid("at", "as-of.at", "'at' is an instant with its offset (e.g. 2026-03-31T18:00:00+08:00), from 2000 to now."));
        if (Period.Parse(period) is null)
            errors.Add(DomainError.Invalid("period", "period.format", "'period' is a year (2026), a quarter (2026-Q2) or a month (2026-03)."));
        if (sequence is < 0) errors.Add(DomainError.Invalid("sequence", "as-of.sequence", "'sequence' is an event sequence number, 0 or more."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// One department's figures for a month, quarter or year, each beside its goal; "as of" a past event sequence or
    /// instant when <paramref name="sequence"/> or <paramref name="at"/> is given.
    /// </summary>
    [Authorize]
    [WolverineGet("/api/dashboards/departments/{departmentId}"), Tags("Dashboards")]
    public static async Task<IResult> Department(Guid departmentId, string period, long? sequence, DateTimeOffset? at, DateOnly? today, ClaimsPrincipal user,
        [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var p = Period.Parse(period)!;
        var live = sequence is null && at is null;
        var loaded = live ? await DashboardSource.LoadLiveContextAsync(session, p.Year, ct) : await DashboardSource.LoadAsync(session, sequence, at, p.Year, ct);
        var department = loaded.Departments.FirstOrDefault(d => d.Id == departmentId);
        if (department is null) return Results.Problem(ProblemResponses.NotFound("department", departmentId));
        if (Oversight.Check(user, loaded.Departments, department.RegionCode, department.Id) is { } forbidden) return Results.Problem(ProblemResponses.Forbidden(forbidden));
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var scope = new DashboardScope("department", department.Id, department.RegionCode, department.Name, new HashSet<Guid> { department.Id });
        var dashboards = await ComputeAsync(session, live, [scope], p, DayOf(today, loaded.AsOfInstant, clock), loaded, calendar, ct);
        return Results.Ok(new DepartmentDashboard(dashboards[0], loaded.Sequence));
    }

    /// <summary>
    /// A region's figures (every department in it and in the regions below, so a county's tasks count for its city and
    /// province), with the same figures for each region directly below it and each department in it.
    /// </summary>
    [Authorize]
    [WolverineGet("/api/dashboards/regions/{regionCode}"), Tags("Dashboards")]
    public static async Task<IResult> Region(string regionCode, string period, long? sequence, DateTimeOffset? at, DateOnly? today, ClaimsPrincipal user,
        [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var p = Period.Parse(period)!;
        if (RegionCodes.Check(regionCode) is { } badRegion) return Results.Problem(ProblemResponses.FromErrors([badRegion]));
        var live = sequence is null && at is null;
        var loaded = live ? await DashboardSource.LoadLiveContextAsync(session, p.Year, ct) : await DashboardSource.LoadAsync(session, sequence, at, p.Year, ct);
        if (Oversight.Check(user, loaded.Departments, regionCode, null) is { } forbidden) return Results.Problem(ProblemResponses.Forbidden(forbidden));
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var day = DayOf(today, loaded.AsOfInstant, clock);

        DashboardScope ForRegion(string code, string name) => new("region", null, code, name,
            loaded.Departments.Where(d => RegionCodes.Within(d.RegionCode, code)).Select(d => d.Id).ToHashSet());

        // The region, each region directly below it, and each department in it: counted together, in one statement on the live path.
        var scopes = new List<DashboardScope> { ForRegion(regionCode, loaded.Regions.FirstOrDefault(r => r.Code == regionCode)?.Name ?? regionCode) };
        var children = loaded.Regions.Where(r => r.ParentCode == regionCode).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        scopes.AddRange(children.Select(child => ForRegion(child.Code, child.Name)));
        scopes.AddRange(loaded.Departments.Where(d => d.RegionCode == regionCode).OrderBy(d => d.Code, StringComparer.Ordinal)
            .Select(d => new DashboardScope("department", d.Id, d.RegionCode, d.Name, new HashSet<Guid> { d.Id })));
        var dashboards = await ComputeAsync(session, live, scopes, p, day, loaded, calendar, ct);
        return Results.Ok(new RegionDashboard(dashboards[0], dashboards.Skip(1).Take(children.Count).ToList(), dashboards.Skip(1 + children.Count).ToList(),
            loaded.Sequence));
    }

    /// <summary>"Today" for the overdue figures: given, else the day of the moment the answer is "as of", else the clock's.</summary>
    public static DateOnly DayOf(DateOnly? today, DateTimeOffset? at, TimeProvider clock) =>
        today ?? (at is { } moment ? ChinaTime.DateOf(moment) : ChinaTime.DateOf(clock.GetUtcNow()));

    /// <summary>
    /// The dashboards of the scopes: live, counted by SQL aggregates over the stored facts; "as of", counted in memory from the facts
    /// replayed up to that moment. Both become dashboards by the same <see cref="DashboardFigures.Assemble"/>.
    /// </summary>
    public static async Task<IReadOnlyList<Dashboard>> ComputeAsync(IQuerySession session, bool live, IReadOnlyList<DashboardScope> scopes, Period period,
        DateOnly today, LoadedFacts loaded, Domain.Calendar.WorkingDayCalendar calendar, CancellationToken ct)
    {
        var counts = live
            ? await DashboardSql.CountAsync(session, scopes, period, today, calendar, ct)
            : scopes.Select(scope => DashboardFigures.Count(scope, period, today, loaded.Facts, calendar)).ToList();
        var registered = await DashboardSource.RegisteredEnterprisesAsync(session, scopes.Select(s => s.RegionCode), period.Year, loaded.Goals, ct);
        return scopes.Select((scope, i) =>
        {
            var goals = GoalRules.Resolve(scope.RegionCode, period.Year, loaded.Goals);
            var (count, source) = registered[scope.RegionCode];
            return DashboardFigures.Assemble(scope, period, today, counts[i], goals, count, source);
        }).ToList();
    }
}
