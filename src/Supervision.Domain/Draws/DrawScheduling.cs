using Supervision.Domain.Plans;

namespace Supervision.Domain.Draws;

/// <summary>
/// The rules of scheduling a draw (docs/draw-algorithm.md, section 1, step 1), apart from the I/O that gathers what they read: which plan
/// and task may be drawn by whom, when a task may be drawn again (section 11: a draw voided after its randomness existed is drawn again
/// only as a redo from the same pools), what a randomness plan must declare, and the <see cref="DrawScheduled"/> fact itself.
/// </summary>
public static class DrawScheduling
{
    public const int MaxSources = 10;

    /// <summary>The plan exists, is the planner's department's, is approved (or later), and has the task.</summary>
    public static DomainError? CheckPlan(Guid planId, AnnualPlan? plan, string? taskNumber, Actor by) =>
        plan is null ? DomainError.NotFound("planId", "plan.unknown", $"Plan {planId} does not exist.")
        : by.DepartmentId != plan.DepartmentId ? DomainError.Forbidden("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department.")
        : plan.Status is not (PlanStatus.Approved or PlanStatus.Published or PlanStatus.InProgress)
            ? DomainError.Conflict("planId", "draw.plan.status", $"Only an approved plan's tasks are drawn; plan {plan.Number} is {plan.Status}.")
        : plan.Task(taskNumber ?? "") is null ? DomainError.NotFound("taskNumber", "task.unknown", $"Plan {plan.Number} has no task {taskNumber}.")
        : null;

    /// <summary>
    /// Whether the task may be drawn now, given its earlier draws: no draw of it may be active; a redo names a voided
    /// <see cref="DrawV2.Algorithm"/> draw of the task that was not redone yet; a draw voided after its randomness existed is drawn
    /// again only by such a redo.
    /// </summary>
    public static DomainError? CheckRedo(string taskNumber, IReadOnlyList<Draw> drawsOfTask, Guid? replacesDrawId)
    {
        if (drawsOfTask.FirstOrDefault(d => d.Status != DrawStatus.Voided) is { } active)
            return DomainError.Conflict("taskNumber", "draw.task.active", $"Task {taskNumber} already has draw {active.Id} ({active.Status}); void it first to draw again.");
        if (replacesDrawId is { } replaced)
        {
            if (drawsOfTask.FirstOrDefault(d => d.Id == replaced) is not { Status: DrawStatus.Voided, IsV2: true })
                return DomainError.Conflict("replacesDrawId", "draw.redo.not-voided", $"A redo names a voided {DrawV2.Algorithm} draw of the same task; {replaced} is not one.");
            if (drawsOfTask.Any(d => d.ReplacesDrawId == replaced))
                return DomainError.Conflict("replacesDrawId", "draw.redo.exists", $"Draw {replaced} has been redone already.");
            return null;
        }
        return drawsOfTask.LastOrDefault(d => d.VoidedAfterRandomness) is { } mustRedo && drawsOfTask.All(d => d.ReplacesDrawId != mustRedo.Id)
            ? DomainError.Conflict("replacesDrawId", "draw.redo.required",
                $"Draw {mustRedo.Id} of task {taskNumber} was voided after its randomness existed: draw again only as a redo naming it, from its pools.")
            : null;
    }

    /// <summary>The randomness plan: 1 to 10 named sources, each a ceremony or a beacon, described, and available only in the future.</summary>
    public static List<DomainError> SourceErrors(IReadOnlyList<RandomnessSourceDeclaration>? sources, DateTimeOffset now)
    {
        var errors = new List<DomainError>();
        if (sources is not { Count: > 0 and <= MaxSources })
        {
            errors.Add(DomainError.Invalid("sources", "draw.sources.required",
                $"Declare 1 to {MaxSources} sources of randomness, each with the moment after which its value exists (e.g. a 福彩3D draw period, a drand round, a witnessed ceremony)."));
            return errors;
        }
        foreach (var (s, i) in sources.Select((s, i) => (s, i)))
        {
            var field = $"sources[{i}]";
            if (s is null) { errors.Add(DomainError.Invalid(field, "draw.source.required", "A source is an object.")); continue; }
            if (s.Name is null || !DrawV2.SourceName().IsMatch(s.Name))
                errors.Add(DomainError.Invalid($"{field}.name", "draw.source.name", "A source name is 1 to 40 of a-z, 0-9 and '-'."));
            if (s.Kind is not (DrawV2.Ceremony or DrawV2.Beacon))
                errors.Add(DomainError.Invalid($"{field}.kind", "draw.source.kind", "A source is a 'ceremony' (witnessed) or a 'beacon' (a public future value)."));
            if (string.IsNullOrWhiteSpace(s.Description) || s.Description.Trim().Length > DrawV2.MaxDescriptionLength || s.Description.Any(char.IsControl))
                errors.Add(DomainError.Invalid($"{field}.description", "draw.source.description",
                    $"Describe the source precisely (1 to {DrawV2.MaxDescriptionLength} characters, one line): the lottery and period, the drand round, or the ceremony's time, place and witnesses."));
            if (s.NotBefore <= now || s.NotBefore > now.AddYears(1))
                errors.Add(DomainError.Invalid($"{field}.notBefore", "draw.source.not-future", "A source's value must come into existence after now (and within a year)."));
        }
        if (sources.Where(s => s?.Name is not null).GroupBy(s => s.Name).Any(g => g.Count() > 1))
            errors.Add(DomainError.Invalid("sources", "draw.source.duplicate", "Each source is declared once."));
        return errors;
    }

    /// <summary>The fact of scheduling: the frozen pools' commitment base, sizes and setup, the randomness plan, and who scheduled it.</summary>
    public static DrawScheduled Scheduled(AnnualPlan plan, SamplingTask task, DrawPools.Pools pools, DrawV2.Proposal proposal,
        IReadOnlyList<RandomnessSourceDeclaration> sources, string? regionCode, string recordPublic, Actor by) =>
        new(pools.Setup.DrawId, plan.Id, plan.DepartmentId, plan.Number, task.Number, plan.Year,
            task.Definition.AllMatters.Select(m => m.MatterId).Distinct().ToList(), proposal.CommitmentBase, "",
            pools.Setup.PoolAsOfSequence, pools.TargetCount, pools.Inspectors.Count, pools.Exclusions.Count, by,
            DrawV2.Algorithm, sources, regionCode, recordPublic,
            pools.Setup.WindowFrom, pools.Setup.ReplacesDrawId, pools.Setup.PartialTeams);
}
