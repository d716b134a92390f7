using Supervision.Domain.Directories;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Draws;

/// <summary>
/// Freezing a task's pools from the directories as they are at scheduling (docs/draw-algorithm.md, section 1.1): the
/// targets in scope with exclusions and reasons, the inspectors eligible over the whole inspection window with the
/// qualifications the matters require, the declared conflicts, the team composition and the sampling in integers.
/// </summary>
public static partial class DrawPools
{
    /// <param name="Frozen">Set when the targets were frozen as they streamed from the database (<see cref="BuildStreamed"/>): then
    /// <paramref name="Targets"/> is empty and the targets file, its hash and pool sizes are here.</param>
    public sealed record Pools(
        DrawSetup Setup, IReadOnlyList<PoolTarget> Targets, IReadOnlyList<PoolExclusion> Exclusions, IReadOnlyList<PoolInspector> Inspectors,
        IReadOnlyList<PoolConflict> Conflicts, FrozenTargets? Frozen = null)
    {
        public int TargetCount => Frozen?.Count ?? Targets.Count;
    }

    /// <summary>A candidate's stratum, and why it is left out of the pool (null: it is in).</summary>
    internal static (string Stratum, string? Reason) Classify(DrawSampling? sampling, IReadOnlySet<Guid> drawnThisYear, Guid id, OperatingStatus status, string? creditClass)
    {
        var reason = status switch
        {
            OperatingStatus.Operating => drawnThisYear.Contains(id) ? "drawn-this-year" : null,
            OperatingStatus.Deregistered => "deregistered",
            OperatingStatus.Revoked => "revoked",
            OperatingStatus.MovedOut => "moved-out",
            _ => "suspended",
        };
        var stratum = sampling?.ByCreditClass == true ? creditClass ?? Unclassed : "*";
        // No silent holes (/2): a target whose stratum has no ratio could never be drawn; it is listed as left out, with why.
        if (reason is null && sampling?.ByCreditClass == true && sampling.ClassBasisPoints!.All(c => c.CreditClass != stratum))
            reason = creditClass is null ? "no-credit-class" : "class-not-sampled";
        return (stratum, reason);
    }

    /// <summary>
    /// <see cref="Build"/> with the targets streamed (rows in scope, as the directory query returns them, ideally ordered by id) and
    /// frozen into the canonical targets file as they come: nothing is held per candidate but its bytes in that file.
    /// </summary>
    public static async Task<(Pools? Pools, IReadOnlyList<DomainError> Errors)> BuildStreamed(
        Guid drawId, AnnualPlan plan, SamplingTask task, long poolAsOfSequence, int? loadCap, int? batches,
        IAsyncEnumerable<CandidateRow> candidates, IEnumerable<Inspector> inspectors, IReadOnlyDictionary<Guid, InspectionMatter> matters,
        IReadOnlySet<Guid> drawnThisYear, int expectedBytes = 1 << 20)
    {
        var errors = new List<DomainError>();
        var definition = task.Definition;
        var sampling = Parameters(definition, loadCap, batches, errors);

        var inspectorExclusions = new List<PoolExclusion>();
        var (pool, eligible) = InspectorPool(definition, inspectors, matters, inspectorExclusions);
        var declared = eligible.SelectMany(i => i.Conflicts.Where(c => !c.Withdrawn)).ToList();
        var writer = new TargetPoolWriter(sampling, drawnThisYear, declared.Where(c => c.TargetId is not null).Select(c => c.TargetId!.Value).ToHashSet(),
            declared.Where(c => c.TargetCreditCode is not null).Select(c => c.TargetCreditCode!).ToHashSet(StringComparer.OrdinalIgnoreCase), expectedBytes);
        await foreach (var row in candidates) writer.Add(row);
        var frozen = writer.Complete();
        var exclusions = writer.Exclusions.Concat(inspectorExclusions).ToList();

        TeamErrors(definition, pool, frozen.Count, errors);
        if (errors.Count > 0) return (null, errors);

        var conflicts = new List<PoolConflict>();
        foreach (var inspector in eligible)
            foreach (var conflict in inspector.Conflicts.Where(c => !c.Withdrawn))
            {
                if (conflict.TargetId is { } id && frozen.Watched.ContainsKey(id)) conflicts.Add(new PoolConflict(inspector.Id, id));
                if (conflict.TargetCreditCode is { } code && frozen.ByCreditCode.TryGetValue(code, out var byCode)) conflicts.Add(new PoolConflict(inspector.Id, byCode));
            }
        var setup = new DrawSetup(drawId, plan.Number, task.Number, poolAsOfSequence, sampling!, definition.InspectorsPerTarget, Team(definition), loadCap ?? 0,
            batches ?? 1, definition.WindowFrom, definition.WindowTo, definition.AllowPartialTeams);
        var built = new Pools(setup, [], exclusions, pool, conflicts.Distinct().ToList(), frozen);
        var shortfalls = definition.AllowPartialTeams ? [] : Shortfalls(built);
        return shortfalls.Count > 0 ? (null, shortfalls) : (built, []);
    }

    public static (Pools? Pools, IReadOnlyList<DomainError> Errors) Build(
        Guid drawId, AnnualPlan plan, SamplingTask task, long poolAsOfSequence, int? loadCap, int? batches,
        IEnumerable<Target> candidates, IEnumerable<Inspector> inspectors, IReadOnlyDictionary<Guid, InspectionMatter> matters,
        IReadOnlySet<Guid> drawnThisYear)
    {
        var errors = new List<DomainError>();
        var definition = task.Definition;
        var sampling = Parameters(definition, loadCap, batches, errors);

        var targets = new List<PoolTarget>();
        var exclusions = new List<PoolExclusion>();
        foreach (var target in candidates.Where(definition.Scope.Matches).DistinctBy(t => t.Id))
        {
            var (stratum, reason) = Classify(sampling, drawnThisYear, target.Id, target.Status, target.CreditClass);
            if (reason is not null) exclusions.Add(new PoolExclusion("target", target.Id, target.Identifier, reason));
            else targets.Add(new PoolTarget(target.Id, target.Identifier, stratum));
        }

        var (pool, eligible) = InspectorPool(definition, inspectors, matters, exclusions);
        TeamErrors(definition, pool, targets.Count, errors);
        if (errors.Count > 0) return (null, errors);

        var byCreditCode = targets.Join(candidates, p => p.Id, t => t.Id, (p, t) => t).Where(t => t.CreditCode is not null)
            .GroupBy(t => t.CreditCode!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var inPool = targets.Select(t => t.Id).ToHashSet();
        var conflicts = new List<PoolConflict>();
        foreach (var inspector in eligible)
            foreach (var conflict in inspector.Conflicts.Where(c => !c.Withdrawn))
            {
                if (conflict.TargetId is { } id && inPool.Contains(id)) conflicts.Add(new PoolConflict(inspector.Id, id));
                if (conflict.TargetCreditCode is { } code && byCreditCode.TryGetValue(code, out var byCode)) conflicts.Add(new PoolConflict(inspector.Id, byCode));
            }

        var setup = new DrawSetup(drawId, plan.Number, task.Number, poolAsOfSequence, sampling!, definition.InspectorsPerTarget, Team(definition), loadCap ?? 0,
            batches ?? 1, definition.WindowFrom, definition.WindowTo, definition.AllowPartialTeams);
        var built = new Pools(setup, targets, exclusions, pool, conflicts.Distinct().ToList());
        var shortfalls = definition.AllowPartialTeams ? [] : Shortfalls(built);
        return shortfalls.Count > 0 ? (null, shortfalls) : (built, []);
    }

    /// <summary>The inspectors eligible over the whole window with the qualifications their department's matters require; the others are excluded with why.</summary>
    private static (List<PoolInspector> Pool, List<Inspector> Eligible) InspectorPool(TaskDefinition definition, IEnumerable<Inspector> inspectors,
        IReadOnlyDictionary<Guid, InspectionMatter> matters, List<PoolExclusion> exclusions)
    {
        var qualificationsByDepartment = definition.Participants.ToDictionary(p => p.DepartmentId,
            p => p.Matters.SelectMany(m => matters.TryGetValue(m.MatterId, out var matter) ? matter.VersionNumbered(m.Version)?.InspectorQualifications ?? [] : [])
                .Distinct().ToList());
        var pool = new List<PoolInspector>();
        var eligible = new List<Inspector>();
        foreach (var inspector in inspectors.Where(i => qualificationsByDepartment.ContainsKey(i.DepartmentId)).DistinctBy(i => i.Id))
        {
            var missing = qualificationsByDepartment[inspector.DepartmentId].Where(q => !inspector.Tags.Contains(q)).ToList();
            var reason = !EligibleThroughout(inspector, definition.WindowFrom, definition.WindowTo)
                ? "not-eligible-on-window"
                : missing.Count > 0 ? "missing-qualification:" + string.Join(",", missing) : null;
            // Staff codes are not published: an inspector is named by id in the files.
            if (reason is not null) exclusions.Add(new PoolExclusion("inspector", inspector.Id, Canonical.Id(inspector.Id), reason));
            else
            {
                pool.Add(new PoolInspector(inspector.Id, inspector.DepartmentId, inspector.Expert, inspector.StaffCode));
                eligible.Add(inspector);
            }
        }
        return (pool, eligible);
    }

    private static void TeamErrors(TaskDefinition definition, List<PoolInspector> pool, int targetCount, List<DomainError> errors)
    {
        var team = Team(definition);
        var perDepartment = team.Count > 0 ? team : [new TeamSlot(definition.InitiatingDepartmentId, definition.InspectorsPerTarget)];
        foreach (var slot in perDepartment)
        {
            if (pool.Count(i => i.DepartmentId == slot.DepartmentId) < slot.Count)
                errors.Add(DomainError.Conflict("inspectors", "draw.inspectors.insufficient",
                    $"Department {slot.DepartmentId} has {pool.Count(i => i.DepartmentId == slot.DepartmentId)} eligible inspector(s) for the window; a team needs {slot.Count}."));
        }
        if (pool.Count > 0 && pool.All(i => i.Expert))
            errors.Add(DomainError.Conflict("inspectors", "draw.inspectors.experts-only", "Only experts are eligible: experts cannot form a team alone."));
        if (targetCount == 0)
            errors.Add(DomainError.Conflict("scope", "draw.pool.empty", "No target in the task's scope can be drawn."));
    }

    /// <summary>The stratum of targets without a credit class, drawn only when the task gives it a ratio of its own.</summary>
    public const string Unclassed = "-";

    /// <summary>
    /// What makes a full team impossible whatever the randomness: a department with fewer eligible inspectors (not in conflict
    /// with a target) than its slots, a target with no non-expert left, or a load cap too low for every selected target's
    /// slots. A draw with such a pool would leave slots empty (进一次门、查多项事 needs every department's member).
    /// </summary>
    public static IReadOnlyList<DomainError> Shortfalls(Pools pools)
    {
        var setup = pools.Setup;
        var slots = setup.TeamComposition.Count > 0
            ? setup.TeamComposition.Select(t => (Department: (Guid?)t.DepartmentId, t.Count)).ToList()
            : [(Department: (Guid?)null, setup.InspectorsPerTarget)];
        var selected = DrawEngine.Quotas(setup.Sampling, PoolSizes(pools)).Sum(q => q.Quota);
        var errors = new List<DomainError>();
        if (setup.LoadCap > 0)
        {
            foreach (var (department, count) in slots)
            {
                var available = pools.Inspectors.Count(i => department is null || i.DepartmentId == department);
                if ((long)available * setup.LoadCap < (long)count * selected)
                    errors.Add(DomainError.Conflict("loadCap", "draw.team.capacity",
                        $"{selected} targets need {count} member(s) each from {(department is null ? "the pool" : $"department {department}")}, but {available} inspector(s) with a load cap of {setup.LoadCap} can take {available * setup.LoadCap}."));
            }
        }
        var conflicts = pools.Conflicts.GroupBy(c => c.TargetId).ToDictionary(g => g.Key, g => g.Select(c => c.InspectorId).ToHashSet());
        var shortTargets = new List<string>();
        var conflicted = pools.Frozen is { } frozen
            ? frozen.Watched.Where(w => conflicts.ContainsKey(w.Key)).OrderBy(w => w.Key).Select(w => (Id: w.Key, Identifier: w.Value))
            : pools.Targets.Where(t => conflicts.ContainsKey(t.Id)).Select(t => (t.Id, t.Identifier));
        foreach (var target in conflicted)
        {
            var free = pools.Inspectors.Where(i => !conflicts[target.Id].Contains(i.Id)).ToList();
            foreach (var (department, count) in slots)
            {
                if (free.Count(i => department is null || i.DepartmentId == department) < count)
                    shortTargets.Add($"{target.Identifier} ({(department is null ? "team" : $"department {department}")}: {count} needed)");
            }
            if (free.All(i => i.Expert)) shortTargets.Add($"{target.Identifier} (no non-expert)");
        }
        if (shortTargets.Count > 0)
            errors.Add(DomainError.Conflict("inspectors", "draw.team.infeasible",
                $"Declared conflicts leave {shortTargets.Count} slot group(s) unfillable: {string.Join("; ", shortTargets.Take(20))}{(shortTargets.Count > 20 ? "; …" : "")}. Add eligible inspectors, or let the task allow partial teams."));
        return errors;
    }

    /// <summary>Each stratum's pool size, by its escaped name (as the quotas file names it).</summary>
    public static IReadOnlyDictionary<string, int> PoolSizes(Pools pools) =>
        pools.Frozen?.Pools ?? pools.Targets.GroupBy(t => Canonical.Field(t.Stratum)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>Eligible on every day of the inspection window: active, with a valid certificate, each day (a suspension or a gap between certificates inside the window excludes).</summary>
    private static bool EligibleThroughout(Inspector inspector, DateOnly from, DateOnly to)
    {
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (!InspectorRules.IsEligibleOn(inspector, day)) return false;
        }
        return true;
    }

    /// <summary>Ratios in basis points (integers): a ratio with more than two decimals cannot be drawn exactly and is refused.</summary>
    /// <summary>The sampling in integers and the draw's own parameters (load cap, batches); each refusal is added to <paramref name="errors"/>.</summary>
    private static DrawSampling? Parameters(TaskDefinition definition, int? loadCap, int? batches, List<DomainError> errors)
    {
        var sampling = Sampling(definition.Sampling, errors);
        if (loadCap is < 0) errors.Add(DomainError.Invalid("loadCap", "draw.load-cap", "A load cap is 0 (none) or more."));
        if (batches is < 1 or > 100) errors.Add(DomainError.Invalid("batches", "draw.batches", "Batches are 1 to 100."));
        return sampling;
    }

    private static DrawSampling? Sampling(SamplingRule rule, List<DomainError> errors)
    {
        int? BasisPoints(decimal percent, string field)
        {
            var bp = percent * 100m;
            if (bp == decimal.Truncate(bp) && bp is > 0 and <= 10000) return (int)bp;
            errors.Add(DomainError.Invalid(field, "draw.ratio.precision", $"{percent}% has more than two decimals; a draw uses hundredths of a percent."));
            return null;
        }
        if (rule.FixedCount is { } count) return new DrawSampling(null, count, null);
        if (rule.RatioPercent is { } ratio) return BasisPoints(ratio, "sampling.ratioPercent") is { } bp ? new DrawSampling(bp, null, null) : null;
        var classes = (rule.ClassRatios ?? []).Select(c => (c.CreditClass, Bp: BasisPoints(c.RatioPercent, "sampling.classRatios"))).ToList();
        return classes.All(c => c.Bp is not null) ? new DrawSampling(null, null, classes.Select(c => new ClassBasisPoints(c.CreditClass, c.Bp!.Value)).ToList()) : null;
    }

    /// <summary>
    /// A joint inspection's team (进一次门、查多项事): every participating department supplies at least one member; the
    /// team size is split evenly, the remainder going to the lead department first, then in participant order.
    /// </summary>
    public static IReadOnlyList<TeamSlot> Team(TaskDefinition definition)
    {
        if (!definition.IsJoint) return [];
        var departments = definition.Participants.Select(p => p.DepartmentId)
            .OrderBy(d => d == definition.LeadDepartmentId ? 0 : 1).ToList();
        var size = Math.Max(definition.InspectorsPerTarget, departments.Count);
        return departments.Select((d, i) => new TeamSlot(d, size / departments.Count + (i < size % departments.Count ? 1 : 0))).ToList();
    }
}
