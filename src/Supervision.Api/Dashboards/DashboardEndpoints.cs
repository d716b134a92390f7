using Supervision.Api.Calendar;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Dashboards;

/// <summary>The facts a dashboard or report reads, and the event sequence they reflect.</summary>
/// <param name="AsOfInstant">For an answer "as of", when its last event was committed: the day the overdue figures are judged on.</param>
public sealed record LoadedFacts(DashboardFacts Facts, long Sequence, IReadOnlyList<Department> Departments, IReadOnlyList<Region> Regions,
    IReadOnlyList<GoalSetting> Goals, DateTimeOffset? AsOfInstant = null);

public static class DashboardSource
{
    /// <summary>
    /// The facts for a year (and the year before, for cases opened in late December and ended in January): the stored
    /// read model for "now", or the same pure fold replayed up to a past sequence or instant for "as of".
    /// </summary>
    public static async Task<LoadedFacts> LoadAsync(IQuerySession session, long? sequence, DateTimeOffset? at, int year, CancellationToken ct)
    {
        var from = new DateOnly(year - 1, 1, 1);
        var previousYear = year - 1;
        IReadOnlyCollection<PlanFact> plans;
        IReadOnlyCollection<DrawFact> draws;
        IReadOnlyCollection<CaseFact> cases;
        IReadOnlyCollection<FollowUpFact> followUps;
        IReadOnlyCollection<Revisit> revisits;
        long asOf;
        DateTimeOffset? asOfInstant = null;
        if (sequence is null && at is null)
        {
            asOf = await AsOf.CurrentSequenceAsync(session, ct);
            plans = await session.Query<PlanFact>().Where(p => p.Year >= previousYear && p.Year <= year).ToListAsync(ct);
            draws = await session.Query<DrawFact>().Where(d => d.Year >= previousYear && d.Year <= year).ToListAsync(ct);
            cases = await session.Query<CaseFact>().Where(c => c.OpenedOn >= from).ToListAsync(ct);
            var caseIds = cases.Select(c => c.Id).ToArray();
            followUps = caseIds.Length == 0 ? [] : await session.Query<FollowUpFact>().Where(f => f.CaseId.IsOneOf(caseIds)).ToListAsync(ct);
            var publications = caseIds.Length == 0 ? [] : await session.Query<PublicationFact>().Where(p => p.CaseId.IsOneOf(caseIds)).ToListAsync(ct);
            var byCase = publications.ToLookup(p => p.CaseId);
            cases = cases.Select(c => byCase[c.Id].Aggregate(c, PublicationFact.Join)).ToList();
            revisits = await session.Query<Revisit>().Where(r => r.VisitedOn >= from).ToListAsync(ct);
        }
        else
        {
            asOf = sequence ?? await AsOf.LastSequenceAtAsync(session, at!.Value, ct);
            asOfInstant = at ?? (await session.Events.QueryAllRawEvents().Where(e => e.Sequence <= asOf).OrderByDescending(e => e.Sequence)
                .FirstOrDefaultAsync(ct))?.Timestamp;
            var point = new AsOfPoint(asOf, null);
            plans = (await AsOf.FoldByKeyAsync<PlanFact>(session, point, PlanFactProjection.EventTypes, e => e.StreamId, PlanFact.Evolve, ct)).Values
                .Where(p => p.Year >= year - 1 && p.Year <= year).ToList();
            draws = (await AsOf.FoldByKeyAsync<DrawFact>(session, point, DrawFactProjection.EventTypes, e => e.StreamId, DrawFact.Evolve, ct)).Values
                .Where(d => d.Year >= year - 1 && d.Year <= year).ToList();
            cases = (await AsOf.FoldByKeyAsync<CaseFact>(session, point, CaseFact.EventTypes, e => CaseFact.IdOf(e.Data), CaseFact.Evolve, ct)).Values
                .Where(c => c.OpenedOn >= from).ToList();
            var caseIds = cases.Select(c => c.Id).ToHashSet();
            followUps = (await AsOf.FoldByKeyAsync<FollowUpFact>(session, point, FollowUpFactProjection.EventTypes, e => e.StreamId, FollowUpFact.Evolve, ct)).Values
                .Where(f => caseIds.Contains(f.CaseId)).ToList();
            revisits = (await AsOf.FoldByKeyAsync<Revisit>(session, point, [typeof(CaseRevisited), typeof(RevisitCorrected)], e => e.StreamId,
                (r, e, _) => RevisitRules.Evolve(r, e), ct)).Values.Where(r => r.VisitedOn >= from).ToList();
        }
        var targetIds = cases.Select(c => c.TargetId).Distinct().ToArray();
        var regions = targetIds.Length == 0 ? [] : await session.Query<Target>().Where(t => t.Id.IsOneOf(targetIds))
            .Select(t => new TargetRegion(t.Id, t.RegionCode)).ToListAsync(ct);
        var regionDocs = await session.Query<Region>().ToListAsync(ct);
        IReadOnlyList<Department> departments;
        IReadOnlyList<GoalSetting> goals;
        if (sequence is null && at is null)
        {
            departments = await session.Query<Department>().ToListAsync(ct);
            goals = await session.Query<GoalSetting>().Where(g => g.Year == year).ToListAsync(ct);
        }
        else
        {
            // The departments and the goals as they stood then: a goal raised later does not judge an earlier moment.
            var point = new AsOfPoint(asOf, null);
            departments = (await AsOf.FoldAsync<Department>(session, point, [typeof(DepartmentRegistered), typeof(DepartmentRenamed), typeof(DepartmentDeactivated)],
                DepartmentRules.Evolve, ct)).Values.ToList();
            goals = (await AsOf.FoldAsync<GoalSetting>(session, point, [typeof(GoalsSet)], GoalRules.Evolve, ct)).Values.Where(g => g.Year == year).ToList();
        }
        // Catalogue versions never change once loaded, so today's set reads every result as it was recorded, "as of" too.
        var catalogues = await Inspections.ResultCatalogueSource.AllAsync(session, ct);
        return new LoadedFacts(new DashboardFacts(plans, draws, cases, followUps, regions.ToDictionary(r => r.Id, r => r.RegionCode), catalogues, revisits), asOf,
            departments, regionDocs, goals, asOfInstant);
    }

    private sealed record TargetRegion(Guid Id, string RegionCode);

    /// <summary>
    /// What a live dashboard needs besides the counts: the departments, regions and goals (a few hundred small documents) and the
    /// sequence the answer reflects. The facts themselves stay in the database (<see cref="DashboardSql"/>).
    /// </summary>
    public static async Task<LoadedFacts> LoadLiveContextAsync(IQuerySession session, int year, CancellationToken ct)
    {
        var asOf = await AsOf.CurrentSequenceAsync(session, ct);
        var departments = await session.Query<Department>().ToListAsync(ct);
        var regions = await session.Query<Region>().ToListAsync(ct);
        var goals = await session.Query<GoalSetting>().Where(g => g.Year == year).ToListAsync(ct);
        return new LoadedFacts(new DashboardFacts([], [], [], [], new Dictionary<Guid, string>()), asOf, departments, regions, goals);
    }

    /// <summary>
    /// The facts one monthly report counts, selected in SQL: the cases of the report's departments whose inspection ended in the month
    /// (not withdrawn) or whose result was published in it, with their publications, and the plans and draws of those cases' tasks.
    /// A month of one county or one city system is a few hundred rows, counted by the pure <see cref="MonthlyReports"/>.
    /// </summary>
    public static async Task<DashboardFacts> LoadMonthAsync(IQuerySession session, Period month, IReadOnlyCollection<Guid> departmentIds, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Schema;
        var openedFrom = new DateOnly(month.Year - 1, 1, 1);
        var cases = await session.QueryAsync<CaseFact>(
            $"where opened_on >= ? and jsonb_exists_any(data -> 'DepartmentIds', ?::text[]) and ((ended_on between ? and ? and not coalesce((data ->> 'Withdrawn')::boolean, false)) " +
            $"or id in (select case_id from {schema.For<PublicationFact>()} where published_on between ? and ?))", ct,
            openedFrom, departmentIds.Select(d => d.ToString()).ToArray(), month.From, month.To, month.From, month.To);
        var caseIds = cases.Select(c => c.Id).ToArray();
        var publications = caseIds.Length == 0 ? [] : await session.Query<PublicationFact>().Where(p => p.CaseId.IsOneOf(caseIds)).ToListAsync(ct);
        var byCase = publications.ToLookup(p => p.CaseId);
        var joined = cases.Select(c => byCase[c.Id].Aggregate(c, PublicationFact.Join)).ToList();
        var planIds = joined.Select(c => c.PlanId).Distinct().ToArray();
        int previousYear = month.Year - 1, year = month.Year;
        var plans = planIds.Length == 0 ? [] : await session.Query<PlanFact>().Where(p => p.Id.IsOneOf(planIds) && p.Year >= previousYear && p.Year <= year).ToListAsync(ct);
        var draws = planIds.Length == 0 ? [] : await session.Query<DrawFact>().Where(d => d.PlanId.IsOneOf(planIds) && d.Year >= previousYear && d.Year <= year).ToListAsync(ct);
        return new DashboardFacts(plans, draws, joined, [], new Dictionary<Guid, string>(), await Inspections.ResultCatalogueSource.AllAsync(session, ct));
    }

    /// <summary>The registered enterprises of several regions, each asked once (a region's departments share its figure).</summary>
    public static async Task<IReadOnlyDictionary<string, (int Count, string Source)>> RegisteredEnterprisesAsync(IQuerySession session,
        IEnumerable<string> regionCodes, int year, IReadOnlyList<GoalSetting> goals, CancellationToken ct)
    {
        var result = new Dictionary<string, (int, string)>();
        foreach (var code in regionCodes.Distinct())
            result[code] = await RegisteredEnterprisesAsync(session, code, year, GoalRules.Resolve(code, year, goals), ct);
        return result;
    }

    /// <summary>
    /// The enterprises registered at the end of the previous year in a region: the recorded official count when the
    /// region's goals give one, otherwise the target directory's enterprises registered by then and not yet gone.
    /// </summary>
    public static async Task<(int Count, string Source)> RegisteredEnterprisesAsync(IQuerySession session, string regionCode, int year, ResolvedGoals goals,
        CancellationToken ct)
    {
        if (goals.RegisteredEnterprises is { } recorded) return (recorded, "recorded");
        var yearEnd = new DateOnly(year - 1, 12, 31);
        var prefix = regionCode[2..] == "0000" ? regionCode[..2] : regionCode[4..] == "00" ? regionCode[..4] : regionCode;
        var count = await session.Query<Target>().CountAsync(t => t.Kind == TargetKind.Enterprise && t.RegionCode.StartsWith(prefix)
            && t.RegisteredOn != null && t.RegisteredOn <= yearEnd && (t.Status == OperatingStatus.Operating || t.StatusSince > yearEnd), ct);
        return (count, "directory");
    }
}

/// <summary>
/// Who may see whose figures: a department its own; a region's market regulation department (which runs its 双随机 office)
/// every department and region in and below its region; auditors, 纪检 and system administrators everything.
/// </summary>
public static class Oversight
{
    public static DomainError? Check(ClaimsPrincipal user, IReadOnlyList<Department> departments, string regionCode, Guid? departmentId)
    {
        if (user.IsInRole(Roles.Auditor) || user.IsInRole(Roles.DisciplineInspector) || user.IsInRole(Roles.SystemAdmin)) return null;
        var mine = Mine(user, departments);
        if (mine is null) return Forbidden;
        if (departmentId == mine.Id) return null;
        return IsRegionWide(mine) && RegionCodes.Within(regionCode, mine.RegionCode) ? null : Forbidden;
    }

    /// <summary>
    /// Who files a report: a county's form by the county's market regulation department, a city department's form by
    /// that city department itself.
    /// </summary>
    public static DomainError? CheckFiling(ClaimsPrincipal user, IReadOnlyList<Department> departments, string? regionCode, Guid? departmentId)
    {
        var mine = Mine(user, departments);
        var allowed = mine is not null && (departmentId is { } id
            ? id == mine.Id && RegionRules.TryParseCode(mine.RegionCode, out var level, out _) && level == RegionLevel.City
            : regionCode == mine.RegionCode && IsRegionWide(mine));
        return allowed ? null : DomainError.Invalid("unit", "report.not-yours",
            "A county's report is filed by its market regulation department, a city department's report by that department.");
    }

    private static Department? Mine(ClaimsPrincipal user, IReadOnlyList<Department> departments) =>
        Guid.TryParse(user.FindFirst(AuthSettings.ClaimDepartment)?.Value, out var id) ? departments.FirstOrDefault(d => d.Id == id) : null;

    private static readonly DomainError Forbidden =
        DomainError.Invalid("scope", "dashboard.not-yours", "These figures belong to a department or region you do not oversee.");

    /// <summary>The market regulation department of a region leads its 双随机 office and oversees the whole region.</summary>
    private static bool IsRegionWide(Department d) => d.Kind == DepartmentKind.MarketRegulation;
}

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
        if (!RegionRules.TryParseCode(regionCode, out _, out _))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("regionCode", "region.code", "The region code is a six-digit GB/T 2260 code.")]));
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

public sealed record SetGoalsContext(Decision Decision, GoalSetting? Current);

/// <summary><c>PUT /api/goals/{regionCode}/{year}</c>: a region's targets for a year, from its plan documents; each change a revision with its source and reason.</summary>
public static class SetGoalsEndpoint
{
    public static async Task<SetGoalsContext> LoadAsync(string regionCode, int year, SetGoals command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var valid = RegionRules.TryParseCode(regionCode, out _, out _);
        var current = valid ? await session.LoadAsync<GoalSetting>(GoalSetting.IdFor(regionCode, year), ct) : null;
        return new(GoalRules.Decide(command, regionCode, year, current, user.As(Roles.SystemAdmin)), current);
    }

    public static ProblemDetails Validate(SetGoalsContext context) => context.Decision.ToProblem();

    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePut("/api/goals/{regionCode}/{year}"), Tags("Dashboards")]
    public static GoalSetting Put(string regionCode, int year, SetGoals command, [NotBody] SetGoalsContext context, IDocumentSession session)
    {
        var id = GoalSetting.IdFor(regionCode, year);
        var version = (context.Current?.Version ?? 0) + context.Decision.Events.Count;
        // Appended at the version read: two administrators changing one year's goals at once get a 409, not a lost update.
        session.Events.Append(id, version, context.Decision.Events.ToArray());
        return context.Decision.Events.Aggregate(context.Current, GoalRules.Evolve)! with { Version = version };
    }

}

public static class GoalQueries
{
    /// <summary>The goals in force for a region and year, and where they come from (the region's own, an enclosing region's, or the seed documents).</summary>
    [Authorize]
    [WolverineGet("/api/goals/{regionCode}/{year}"), Tags("Dashboards")]
    public static async Task<IResult> Get(string regionCode, int year, IQuerySession session, CancellationToken ct)
    {
        if (!RegionRules.TryParseCode(regionCode, out _, out _))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("regionCode", "region.code", "The region code is a six-digit GB/T 2260 code.")]));
        var settings = await session.Query<GoalSetting>().Where(g => g.Year == year).ToListAsync(ct);
        return Results.Ok(GoalRules.Resolve(regionCode, year, settings));
    }
}
