using Supervision.Domain.Directories;
using Supervision.Domain.Kernel;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Draws;

/// <summary>
/// Freezing a task's pools from the directories as they are at scheduling (docs/draw-algorithm.md, section 1.1): the
/// targets in scope with exclusions and reasons, the inspectors eligible over the whole inspection window with the
/// qualifications the matters require, the declared conflicts, the team composition and the sampling in integers.
/// </summary>
public static class DrawPools
{
    public sealed record Pools(
        DrawSetup Setup, IReadOnlyList<PoolTarget> Targets, IReadOnlyList<PoolExclusion> Exclusions, IReadOnlyList<PoolInspector> Inspectors,
        IReadOnlyList<PoolConflict> Conflicts);

    public static (Pools? Pools, IReadOnlyList<DomainError> Errors) Build(
        Guid drawId, AnnualPlan plan, SamplingTask task, long poolAsOfSequence, int? loadCap, int? batches,
        IEnumerable<Target> candidates, IEnumerable<Inspector> inspectors, IReadOnlyDictionary<Guid, InspectionMatter> matters,
        IReadOnlySet<Guid> drawnThisYear)
    {
        var errors = new List<DomainError>();
        var definition = task.Definition;
        var sampling = Sampling(definition.Sampling, errors);
        if (loadCap is < 0) errors.Add(DomainError.Invalid("loadCap", "draw.load-cap", "A load cap is 0 (none) or more."));
        if (batches is < 1 or > 100) errors.Add(DomainError.Invalid("batches", "draw.batches", "Batches are 1 to 100."));

        var targets = new List<PoolTarget>();
        var exclusions = new List<PoolExclusion>();
        foreach (var target in candidates.Where(definition.Scope.Matches).DistinctBy(t => t.Id))
        {
            var reason = target.Status switch
            {
                OperatingStatus.Operating => drawnThisYear.Contains(target.Id) ? "drawn-this-year" : null,
                OperatingStatus.Deregistered => "deregistered",
                OperatingStatus.Revoked => "revoked",
                OperatingStatus.MovedOut => "moved-out",
                _ => "suspended",
            };
            if (reason is not null) exclusions.Add(new PoolExclusion("target", target.Id, target.Identifier, reason));
            else targets.Add(new PoolTarget(target.Id, target.Identifier, sampling?.ByCreditClass == true ? target.CreditClass ?? "-" : "*"));
        }

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
            if (reason is not null) exclusions.Add(new PoolExclusion("inspector", inspector.Id, inspector.StaffCode, reason));
            else
            {
                pool.Add(new PoolInspector(inspector.Id, inspector.DepartmentId, inspector.Expert, inspector.StaffCode));
                eligible.Add(inspector);
            }
        }

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
        if (targets.Count == 0)
            errors.Add(DomainError.Conflict("scope", "draw.pool.empty", "No target in the task's scope can be drawn."));
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

        var setup = new DrawSetup(drawId, plan.Number, task.Number, poolAsOfSequence, sampling!, definition.InspectorsPerTarget, team, loadCap ?? 0,
            batches ?? 1, definition.WindowFrom, definition.WindowTo);
        return (new Pools(setup, targets, exclusions, pool, conflicts.Distinct().ToList()), []);
    }

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
