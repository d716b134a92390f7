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
