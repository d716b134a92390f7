using Supervision.Domain.Directories;

namespace Supervision.Domain.Plans;

/// <summary>The plan's fold (events to state) and the content checks its decisions share.</summary>
public static partial class PlanRules
{
    public static AnnualPlan? Evolve(AnnualPlan? plan, object @event) => @event switch
    {
        PlanDrafted e => new AnnualPlan(e.PlanId, e.DepartmentId, e.Year, e.Number, e.Name, e.ImplementingScheme, PlanStatus.Draft, 1, [],
            e.By.UserId, e.By.UserId, null, null, [], [], null, null, 1)
        { AdHoc = e.AdHoc },
        PlanDetailsChanged e when plan is not null => plan with { Name = e.Name, ImplementingScheme = e.ImplementingScheme, LastChangedBy = e.By.UserId },
        TaskAdded e when plan is not null => plan with
        {
            Tasks = [.. plan.Tasks, new SamplingTask(e.TaskNumber, e.Task, plan.AdHoc, null)],
            NextTaskNumber = plan.NextTaskNumber + 1,
            LastChangedBy = e.By.UserId,
        },
        TaskChanged e when plan is not null => plan with
        {
            Tasks = plan.Tasks.Select(t => t.Number == e.TaskNumber ? t with { Definition = e.Task } : t).ToList(),
            LastChangedBy = e.By.UserId,
        },
        TaskRemoved e when plan is not null => plan with { Tasks = plan.Tasks.Where(t => t.Number != e.TaskNumber).ToList(), LastChangedBy = e.By.UserId },
        PlanSubmitted e when plan is not null => plan with { Status = PlanStatus.Submitted, SubmittedBy = e.By.UserId },
        PlanReturned when plan is not null => plan with { Status = PlanStatus.Returned },
        PlanApproved e when plan is not null => plan with { Status = PlanStatus.Approved, ApprovedBy = e.By.UserId },
        PlanPublished e when plan is not null => plan with
        {
            Status = plan.ExecutionStarted ? PlanStatus.InProgress : PlanStatus.Published,
            Publications = [.. plan.Publications, e.Publication],
            AdjustmentReason = null,
        },
        PlanAdjustmentStarted e when plan is not null => plan with
        {
            Status = PlanStatus.Draft,
            Revision = e.Revision,
            AdjustmentReason = e.Reason,
            LastChangedBy = e.By.UserId,
        },
        PlanExecutionStarted when plan is not null => plan with { Status = PlanStatus.InProgress, ExecutionStarted = true },
        PlanCompleted when plan is not null => plan with { Status = PlanStatus.Completed },
        PlanVoided e when plan is not null => plan with { Status = PlanStatus.Voided, VoidReason = e.Reason },
        PlanFiled e when plan is not null => plan with { Filings = [.. plan.Filings, e.Filing] },
        SamplingTaskDrawn e when plan is not null => plan with
        {
            Tasks = plan.Tasks.Select(t => t.Number == e.TaskNumber ? t with { DrawId = e.DrawId } : t).ToList(),
        },
        _ => plan,
    };

    public static PlanNumbering? EvolveNumbering(PlanNumbering? numbering, object @event) => @event switch
    {
        PlanNumberAllocated e => new PlanNumbering(e.NumberingId, e.DepartmentId, e.Year, e.Sequence),
        _ => numbering,
    };

    // ---- rules ----

    private static DomainError? CheckApprover(AnnualPlan plan, Actor by)
    {
        if (by.DepartmentId != plan.DepartmentId)
            return DomainError.Forbidden("departmentId", "plan.approver.department", "The approver must hold the approver role in the plan's own department.");
        if (Identity.Same(by.UserId, plan.DraftedBy) || Identity.Same(by.UserId, plan.LastChangedBy))
            return DomainError.Forbidden("approver", "plan.approval.self",
                $"Four-eyes approval: {by.UserId} drafted or last changed this plan and cannot approve or return it.");
        return null;
    }

    public static IEnumerable<DomainError> CheckContent(AnnualPlan plan, References refs)
    {
        if (plan.Tasks.Count == 0)
        {
            yield return DomainError.Invalid("tasks", "plan.tasks.empty", "A plan needs at least one sampling task.");
            yield break;
        }
        foreach (var task in plan.Tasks)
            foreach (var error in CheckTask(plan, task.Number, task.Definition, refs))
                yield return error;
    }

    public static IEnumerable<DomainError> CheckTask(AnnualPlan plan, string number, TaskDefinition? task, References refs)
    {
        var at = $"tasks[{number}]";
        if (task is null)
        {
            yield return DomainError.Invalid("task", "task.required", "'task' is required.");
            yield break;
        }
        if (string.IsNullOrWhiteSpace(task.Name)) yield return DomainError.Invalid($"{at}.name", "name.required", "A task needs a name.");
        if (string.IsNullOrWhiteSpace(task.ScopeDescription))
            yield return DomainError.Invalid($"{at}.scopeDescription", "task.scope.description", "A task describes its scope in words (it is published).");

        // 邯商务〔2023〕2号: "每次检查不少于2名执法人员".
        if (task.InspectorsPerTarget < MinInspectorsPerTarget)
            yield return DomainError.Invalid($"{at}.inspectorsPerTarget", "task.inspectors.min", $"Each inspection needs at least {MinInspectorsPerTarget} inspectors.");

        if (task.WindowFrom > task.WindowTo)
            yield return DomainError.Invalid($"{at}.windowTo", "task.window.order", "The window ends before it starts.");
        if (task.WindowFrom.Year != plan.Year || task.WindowTo.Year != plan.Year)
            yield return DomainError.Invalid($"{at}.windowFrom", "task.window.year", $"The window must lie inside the plan's year {plan.Year}.");

        foreach (var error in CheckScope(at, task.Scope)) yield return error;
        foreach (var error in CheckSampling(at, task.Sampling)) yield return error;

        var participants = task.Participants ?? [];
        if (participants.Count == 0 || participants.Any(p => p.Matters is not { Count: > 0 }))
            yield return DomainError.Invalid($"{at}.participants", "task.matters.empty", "Every participating department brings at least one matter.");
        if (participants.Select(p => p.DepartmentId).Distinct().Count() != participants.Count)
            yield return DomainError.Invalid($"{at}.participants", "task.participants.duplicate", "A department takes part in a task once.");
        if (!participants.Any(p => p.DepartmentId == task.InitiatingDepartmentId))
            yield return DomainError.Invalid($"{at}.initiatingDepartmentId", "task.initiator.participant", "The initiating department (发起部门) takes part in its own task.");
        if (participants.Count > 1)
        {
            // 部门联合抽查: a lead department (牵头部门) and at least one other participating department (参与部门).
            if (task.LeadDepartmentId is not { } lead || participants.All(p => p.DepartmentId != lead))
                yield return DomainError.Invalid($"{at}.leadDepartmentId", "task.joint.lead", "A joint task names its lead department, which must take part.");
        }
        else if (task.LeadDepartmentId is { } lead && lead != task.InitiatingDepartmentId)
            yield return DomainError.Invalid($"{at}.participants", "task.joint.participants", "A task with a lead department is joint: it needs at least one other participating department.");

        foreach (var participant in participants)
        {
            if (!refs.Departments.TryGetValue(participant.DepartmentId, out var department) || !department.Active)
            {
                yield return DomainError.Invalid($"{at}.participants", "department.unknown", $"Department {participant.DepartmentId} is not registered or is deactivated.");
                continue;
            }
            foreach (var m in participant.Matters ?? [])
            {
                if (!refs.Matters.TryGetValue(m.MatterId, out var matter))
                {
                    yield return DomainError.Invalid($"{at}.matters", "matter.unknown", $"Matter {m.MatterId} is not on the matters list.");
                    continue;
                }
                if (matter.Withdrawn)
                    yield return DomainError.Invalid($"{at}.matters", "matter.withdrawn", $"Matter {matter.Code} has been withdrawn.");
                if (!matter.IsListedFor(participant.DepartmentId))
                    yield return DomainError.Invalid($"{at}.matters", "matter.not-listed", $"Matter {matter.Code} is neither owned nor claimed by '{department.Name}'.");
                if (matter.VersionNumbered(m.Version) is not { } version)
                {
                    yield return DomainError.Invalid($"{at}.matters", "matter.version.unknown", $"Matter {matter.Code} has no version {m.Version}.");
                    continue;
                }
                foreach (var (field, ratio) in task.Sampling?.Ratios() ?? [])
                {
                    if (MatterRules.CheckRatio(version, ratio, $"{at}.{field}") is { } overCap) yield return overCap;
                }
            }
        }
    }

    private static IEnumerable<DomainError> CheckScope(string at, TargetFilter? scope)
    {
        if (scope is null)
        {
            yield return DomainError.Invalid($"{at}.scope", "task.scope.required", "A task needs a target scope.");
            yield break;
        }
        if (scope.RegionCode is not null && !RegionRules.TryParseCode(scope.RegionCode, out _, out _))
            yield return DomainError.Invalid($"{at}.scope.regionCode", "task.scope.region", "The scope's region is a six-digit GB/T 2260 code.");
        if (scope.IndustryCode is not null && !TargetRules.IsValidIndustryCode(scope.IndustryCode))
            yield return DomainError.Invalid($"{at}.scope.industryCode", "task.scope.industry", "The scope's industry is a GB/T 4754-2017 code.");
        if (scope.RegisteredFrom is { } from && scope.RegisteredTo is { } to && from > to)
            yield return DomainError.Invalid($"{at}.scope.registeredTo", "task.scope.dates", "The scope's registration date range ends before it starts.");
    }

    private static IEnumerable<DomainError> CheckSampling(string at, SamplingRule? sampling)
    {
        var given = sampling is null ? 0 : (sampling.RatioPercent is null ? 0 : 1) + (sampling.FixedCount is null ? 0 : 1) + (sampling.UsesCreditClasses ? 1 : 0);
        if (given != 1)
        {
            yield return DomainError.Invalid($"{at}.sampling", "task.sampling.one", "The sampling rule is exactly one of: ratioPercent, fixedCount, classRatios.");
            yield break;
        }
        if (sampling!.FixedCount is < 1)
            yield return DomainError.Invalid($"{at}.sampling.fixedCount", "task.sampling.count", "A fixed count is at least 1.");
        if (sampling.ClassRatios is { Count: > 0 } classes && classes.Select(c => c.CreditClass?.ToUpperInvariant()).Distinct().Count() != classes.Count)
            yield return DomainError.Invalid($"{at}.sampling.classRatios", "task.sampling.class.duplicate", "Each credit class appears once.");
        foreach (var (field, ratio) in sampling.Ratios())
        {
            if (ratio is <= 0 or > 100) yield return DomainError.Invalid($"{at}.{field}", "matter.ratio.range", "A ratio is a percentage above 0 and at most 100.");
        }
    }

    /// <summary>Another department's plan: refused before anything else is looked at.</summary>
    private static DomainError? ForeignPlan(AnnualPlan plan, Actor by) =>
        by.DepartmentId == plan.DepartmentId
            ? null
            : DomainError.Forbidden("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department.");

    private static DomainError? RequireEditable(AnnualPlan plan) =>
        plan.IsEditable ? null : WrongStatus(plan, "changed", PlanStatus.Draft, PlanStatus.Returned);

    private static DomainError WrongStatus(AnnualPlan plan, string verb, params PlanStatus[] allowed) =>
        DomainError.Conflict("status", "plan.status", $"A {plan.Status} plan cannot be {verb}; it must be {string.Join(" or ", allowed)}.");

    private static DomainError UnknownTask(string number) => DomainError.NotFound("taskNumber", "task.unknown", $"The plan has no task {number}.");

    private static DomainError TaskDrawn(string number) =>
        DomainError.Conflict("taskNumber", "task.drawn", $"Task {number} has been drawn; a drawn task cannot change (its draw is on record).");

    private static TaskDefinition Normalize(TaskDefinition task) => task with
    {
        Name = task.Name.Trim(),
        ScopeDescription = task.ScopeDescription.Trim(),
        Sampling = task.Sampling with
        {
            ClassRatios = task.Sampling.ClassRatios?.Select(c => c with { CreditClass = c.CreditClass.Trim().ToUpperInvariant() }).ToList(),
        },
    };

    /// <summary>Structural equality over the nested lists (records compare lists by reference), for no-op detection only.</summary>
    private static bool SameTask(TaskDefinition a, TaskDefinition b) =>
        System.Text.Json.JsonSerializer.Serialize(a) == System.Text.Json.JsonSerializer.Serialize(b);
}
