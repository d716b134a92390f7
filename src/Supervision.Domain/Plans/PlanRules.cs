using Supervision.Domain.Directories;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;

namespace Supervision.Domain.Plans;

/// <summary>
/// The lifecycle of an annual plan: draft → submitted → approved or returned → published (公示) → in progress →
/// completed; an adjustment (调整) goes through submit/approve/publish again; a plan can be voided (作废) with a reason.
/// 邢双随机办〔2022〕1号 二（二）: plans are approved and published, and "抽查计划调整的，应当按照原程序审批后重新公示".
/// </summary>
public static class PlanRules
{
    public const int MaxNameLength = 200;
    public const int MaxReasonLength = 2000;

    /// <summary>邯郸 2023 (邯商务〔2023〕2号): each inspection is done by at least two inspectors.</summary>
    public const int MinInspectorsPerTarget = 2;

    /// <summary>What decisions about a plan's content check against: the matters and departments its tasks name.</summary>
    public sealed record References(IReadOnlyDictionary<Guid, InspectionMatter> Matters, IReadOnlyDictionary<Guid, Department> Departments);

    public static Decision Decide(DraftPlan command, Department? department, PlanNumbering? numbering, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.DepartmentId is null) errors.Add(DomainError.Invalid("departmentId", "departmentId.required", "'departmentId' is required."));
        if (command.Year is < 2000 or > 2100) errors.Add(DomainError.Invalid("year", "plan.year.range", "'year' is a calendar year such as 2026."));
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (department is not { Active: true })
            return Decision.Reject(DomainError.Invalid("departmentId", "department.unknown", $"Department {command.DepartmentId} is not registered or is deactivated."));
        if (by.DepartmentId != department.Id)
            return Decision.Reject(DomainError.Conflict("departmentId", "plan.department.not-yours", $"A planner drafts plans for their own department only, not for '{department.Name}'."));

        var sequence = (numbering?.Last ?? 0) + 1;
        var number = PlanNumbering.Format(command.Year, sequence);
        return Decision.Accept(
            new PlanNumberAllocated(PlanNumbering.IdFor(department.Id, command.Year), department.Id, command.Year, sequence, number, by),
            new PlanDrafted(IdFor(department.Id, number), department.Id, command.Year, number, command.Name.Trim(), command.ImplementingScheme?.Trim(), command.AdHoc, by));
    }

    public static Guid IdFor(Guid departmentId, string number) => DeterministicId.For("plan", $"{departmentId:N}/{number}");

    public static Decision Decide(ChangePlanDetails command, AnnualPlan plan, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        if (plan.Name == command.Name.Trim() && plan.ImplementingScheme == command.ImplementingScheme?.Trim()) return Decision.Accept();
        return Decision.Accept(new PlanDetailsChanged(plan.Id, command.Name.Trim(), command.ImplementingScheme?.Trim(), by));
    }

    public static Decision Decide(AddTask command, AnnualPlan plan, References refs, Actor by)
    {
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        var number = $"{plan.Number}-{plan.NextTaskNumber:D2}";
        var errors = CheckTask(plan, number, command.Task, refs).ToList();
        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new TaskAdded(plan.Id, number, Normalize(command.Task), by));
    }

    public static Decision Decide(ChangeTask command, string taskNumber, AnnualPlan plan, References refs, Actor by)
    {
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        if (plan.Task(taskNumber) is not { } task) return Decision.Reject(UnknownTask(taskNumber));
        if (task.DrawId is not null) return Decision.Reject(TaskDrawn(taskNumber));
        var errors = CheckTask(plan, taskNumber, command.Task, refs).ToList();
        if (errors.Count > 0) return Decision.Reject(errors);
        var normalized = Normalize(command.Task);
        return SameTask(task.Definition, normalized) ? Decision.Accept() : Decision.Accept(new TaskChanged(plan.Id, taskNumber, normalized, by));
    }

    public static Decision Decide(RemoveTask command, string taskNumber, AnnualPlan plan, Actor by)
    {
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        if (plan.Task(taskNumber) is not { } task) return Decision.Reject(UnknownTask(taskNumber));
        if (task.DrawId is not null) return Decision.Reject(TaskDrawn(taskNumber));
        return Decision.Accept(new TaskRemoved(plan.Id, taskNumber, by));
    }

    /// <summary>Submission checks every rule of the plan's content (西双随机办字〔2022〕5号 二（二）, 邯商务〔2023〕2号), naming each.</summary>
    public static Decision Decide(SubmitPlan command, AnnualPlan plan, References refs, Actor by)
    {
        if (plan.Status is not (PlanStatus.Draft or PlanStatus.Returned))
            return Decision.Reject(WrongStatus(plan, "submitted", PlanStatus.Draft, PlanStatus.Returned));
        var errors = CheckContent(plan, refs).ToList();
        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new PlanSubmitted(plan.Id, plan.Revision, by));
    }

    /// <summary>
    /// Four-eyes approval: the approver acts for the owning department and is neither the person who drafted the plan nor
    /// the one who last changed it. The content rules are checked again: the approver approves what the rules allow.
    /// </summary>
    public static Decision Decide(ApprovePlan command, AnnualPlan plan, References refs, Actor by)
    {
        if (CheckApprover(plan, by) is { } refused) return Decision.Reject(refused);
        if (plan.Status != PlanStatus.Submitted) return Decision.Reject(WrongStatus(plan, "approved", PlanStatus.Submitted));
        var errors = CheckContent(plan, refs).ToList();
        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new PlanApproved(plan.Id, plan.Revision, command.Comment?.Trim(), by));
    }

    public static Decision Decide(ReturnPlan command, AnnualPlan plan, Actor by)
    {
        var reasons = (command.Reasons ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.Trim()).ToList();
        if (reasons.Count == 0) return Decision.Reject(DomainError.Invalid("reasons", "reasons.required", "A returned plan carries at least one reason."));
        if (CheckApprover(plan, by) is { } refused) return Decision.Reject(refused);
        if (plan.Status != PlanStatus.Submitted) return Decision.Reject(WrongStatus(plan, "returned", PlanStatus.Submitted));
        return Decision.Accept(new PlanReturned(plan.Id, plan.Revision, reasons, by));
    }

    /// <summary>Publication (公示) freezes what the public may see: numbers, names, types, ratios, matters, scope in words, departments, windows.</summary>
    public static Decision Decide(PublishPlan command, AnnualPlan plan, References refs, Actor by)
    {
        if (command.PublishedOn is null) return Decision.Reject(DomainError.Invalid("publishedOn", "publishedOn.required", "'publishedOn' is the date of publication."));
        if (plan.Status != PlanStatus.Approved) return Decision.Reject(WrongStatus(plan, "published", PlanStatus.Approved));
        string Department(Guid id) => refs.Departments.TryGetValue(id, out var d) ? d.Name : id.ToString();
        PublicMatter Matter(MatterRef m)
        {
            var matter = refs.Matters[m.MatterId];
            var version = matter.VersionNumbered(m.Version)!;
            return new PublicMatter(matter.Code, version.Name, version.Number, version.Category);
        }
        var tasks = plan.Tasks.Select(t => new PublicTask(t.Number, t.Definition.Name, t.Definition.Type, t.Definition.ScopeDescription,
            t.Definition.Sampling, t.Definition.InspectorsPerTarget, t.Definition.WindowFrom, t.Definition.WindowTo,
            Department(t.Definition.InitiatingDepartmentId), t.Definition.LeadDepartmentId is { } lead ? Department(lead) : null,
            t.Definition.Participants.Select(p => new PublicParticipant(Department(p.DepartmentId), p.Matters.Select(Matter).ToList())).ToList())).ToList();
        var publication = new PlanPublication(plan.Revision, plan.Number, plan.Name, Department(plan.DepartmentId), plan.Year, plan.ImplementingScheme,
            tasks, plan.AdjustmentReason, command.PublishedOn.Value);
        return Decision.Accept(new PlanPublished(plan.Id, publication, by));
    }

    /// <summary>调整: an approved, published or running plan is reopened for change; it must be approved and published again.</summary>
    public static Decision Decide(StartPlanAdjustment command, AnnualPlan plan, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (plan.Status is not (PlanStatus.Approved or PlanStatus.Published or PlanStatus.InProgress))
            return Decision.Reject(WrongStatus(plan, "adjusted", PlanStatus.Approved, PlanStatus.Published, PlanStatus.InProgress));
        return Decision.Accept(new PlanAdjustmentStarted(plan.Id, plan.Revision + 1, command.Reason.Trim(), by));
    }

    public static Decision Decide(StartPlanExecution command, AnnualPlan plan, Actor by) =>
        plan.Status == PlanStatus.Published ? Decision.Accept(new PlanExecutionStarted(plan.Id, by))
        : plan.Status == PlanStatus.InProgress ? Decision.Accept()
        : Decision.Reject(WrongStatus(plan, "started", PlanStatus.Published));

    public static Decision Decide(CompletePlan command, AnnualPlan plan, Actor by) =>
        plan.Status == PlanStatus.InProgress ? Decision.Accept(new PlanCompleted(plan.Id, by))
        : plan.Status == PlanStatus.Completed ? Decision.Accept()
        : Decision.Reject(WrongStatus(plan, "completed", PlanStatus.InProgress));

    /// <summary>作废 needs a reason and an approver of the owning department; voided plans are counted by oversight.</summary>
    public static Decision Decide(VoidPlan command, AnnualPlan plan, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (by.DepartmentId != plan.DepartmentId)
            return Decision.Reject(DomainError.Conflict("departmentId", "plan.approver.department", "Only an approver of the owning department voids its plan."));
        if (plan.Status == PlanStatus.Voided) return Decision.Accept();
        if (plan.Status == PlanStatus.Completed) return Decision.Reject(WrongStatus(plan, "voided", PlanStatus.Draft, PlanStatus.Published, PlanStatus.InProgress));
        return Decision.Accept(new PlanVoided(plan.Id, plan.Status, command.Reason.Trim(), by));
    }

    public static Decision Decide(FilePlan command, AnnualPlan plan, Actor by)
    {
        var errors = new List<DomainError>();
        if (command.FiledWith is null) errors.Add(DomainError.Invalid("filedWith", "filedWith.required", "'filedWith' is Government or HigherLevel."));
        Text.RequireName(errors, "reference", command.Reference, 200);
        if (command.FiledOn is null) errors.Add(DomainError.Invalid("filedOn", "filedOn.required", "'filedOn' is the date of filing."));
        if (errors.Count > 0) return Decision.Reject(errors);
        if (plan.Status is PlanStatus.Draft or PlanStatus.Submitted or PlanStatus.Returned or PlanStatus.Voided)
            return Decision.Reject(WrongStatus(plan, "filed", PlanStatus.Approved, PlanStatus.Published, PlanStatus.InProgress, PlanStatus.Completed));
        var filing = new PlanFiling(command.FiledWith!.Value, command.Reference.Trim(), command.FiledOn!.Value, by);
        return plan.Filings.Contains(filing) ? Decision.Accept() : Decision.Accept(new PlanFiled(plan.Id, filing));
    }

    public static AnnualPlan? Evolve(AnnualPlan? plan, object @event) => @event switch
    {
        PlanDrafted e => new AnnualPlan(e.PlanId, e.DepartmentId, e.Year, e.Number, e.Name, e.ImplementingScheme, PlanStatus.Draft, 1, [],
            e.By.UserId, e.By.UserId, null, null, [], [], null, null, 1) { AdHoc = e.AdHoc },
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
            Status = PlanStatus.Draft, Revision = e.Revision, AdjustmentReason = e.Reason, LastChangedBy = e.By.UserId,
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
            return DomainError.Conflict("departmentId", "plan.approver.department", "The approver must hold the approver role in the plan's own department.");
        if (Identity.Same(by.UserId, plan.DraftedBy) || Identity.Same(by.UserId, plan.LastChangedBy))
            return DomainError.Conflict("approver", "plan.approval.self",
                $"Four-eyes approval: {by.UserId} drafted or last changed this plan and cannot approve or return it.");
        return null;
    }

    /// <summary>Refusals that mean "you may not" rather than "this is wrong": the HTTP layer answers 403 for these rules.</summary>
    public static readonly IReadOnlySet<string> ForbiddenRules = new HashSet<string>
    {
        "plan.approval.self", "plan.approver.department", "plan.department.not-yours",
    };

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
