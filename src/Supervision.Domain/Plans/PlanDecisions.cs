using Supervision.Domain.Directories;

namespace Supervision.Domain.Plans;

/// <summary>
/// The lifecycle of an annual plan: draft → submitted → approved or returned → published (公示) → in progress →
/// completed; an adjustment (调整) goes through submit/approve/publish again; a plan can be voided (作废) with a reason.
/// 邢双随机办〔2022〕1号 二（二）: plans are approved and published, and "抽查计划调整的，应当按照原程序审批后重新公示".
/// Planners and approvers act only on their own department's plans (403 otherwise, whatever the command); every plan command names the
/// version it was based on, so two people acting on one plan at once cannot both win: the later gets 409 with the current version.
/// </summary>
public static partial class PlanRules
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
            return Decision.Reject(DomainError.Forbidden("departmentId", "plan.department.not-yours", $"A planner drafts plans for their own department only, not for '{department.Name}'."));

        var sequence = (numbering?.Last ?? 0) + 1;
        var number = PlanNumbering.Format(command.Year, sequence);
        return Decision.Accept(
            new PlanNumberAllocated(PlanNumbering.IdFor(department.Id, command.Year), department.Id, command.Year, sequence, number, by),
            new PlanDrafted(IdFor(department.Id, number), department.Id, command.Year, number, command.Name.Trim(), command.ImplementingScheme?.Trim(), command.AdHoc, by));
    }

    public static Guid IdFor(Guid departmentId, string number) => DeterministicId.For("plan", $"{departmentId:N}/{number}");

    public static Decision Decide(ChangePlanDetails command, AnnualPlan plan, Actor by)
    {
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireName(errors, "name", command.Name, MaxNameLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        if (plan.Name == command.Name.Trim() && plan.ImplementingScheme == command.ImplementingScheme?.Trim()) return Decision.Accept();
        return Decision.Accept(new PlanDetailsChanged(plan.Id, command.Name.Trim(), command.ImplementingScheme?.Trim(), by));
    }

    public static Decision Decide(AddTask command, AnnualPlan plan, References refs, Actor by)
    {
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        var number = $"{plan.Number}-{plan.NextTaskNumber:D2}";
        var errors = CheckTask(plan, number, command.Task, refs).ToList();
        return errors.Count > 0 ? Decision.Reject(errors) : Decision.Accept(new TaskAdded(plan.Id, number, Normalize(command.Task), by));
    }

    public static Decision Decide(ChangeTask command, string taskNumber, AnnualPlan plan, References refs, Actor by)
    {
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
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
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
        if (RequireEditable(plan) is { } notEditable) return Decision.Reject(notEditable);
        if (plan.Task(taskNumber) is not { } task) return Decision.Reject(UnknownTask(taskNumber));
        if (task.DrawId is not null) return Decision.Reject(TaskDrawn(taskNumber));
        return Decision.Accept(new TaskRemoved(plan.Id, taskNumber, by));
    }

    /// <summary>Submission checks every rule of the plan's content (西双随机办字〔2022〕5号 二（二）, 邯商务〔2023〕2号), naming each.</summary>
    public static Decision Decide(SubmitPlan command, AnnualPlan plan, References refs, Actor by)
    {
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
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
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
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
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (plan.Status is not (PlanStatus.Approved or PlanStatus.Published or PlanStatus.InProgress))
            return Decision.Reject(WrongStatus(plan, "adjusted", PlanStatus.Approved, PlanStatus.Published, PlanStatus.InProgress));
        return Decision.Accept(new PlanAdjustmentStarted(plan.Id, plan.Revision + 1, command.Reason.Trim(), by));
    }

    public static Decision Decide(StartPlanExecution command, AnnualPlan plan, Actor by) =>
        ForeignPlan(plan, by) is { } forbidden ? Decision.Reject(forbidden)
        : plan.Status == PlanStatus.Published ? Decision.Accept(new PlanExecutionStarted(plan.Id, by))
        : plan.Status == PlanStatus.InProgress ? Decision.Accept()
        : Decision.Reject(WrongStatus(plan, "started", PlanStatus.Published));

    public static Decision Decide(CompletePlan command, AnnualPlan plan, Actor by) =>
        ForeignPlan(plan, by) is { } forbidden ? Decision.Reject(forbidden)
        : plan.Status == PlanStatus.InProgress ? Decision.Accept(new PlanCompleted(plan.Id, by))
        : plan.Status == PlanStatus.Completed ? Decision.Accept()
        : Decision.Reject(WrongStatus(plan, "completed", PlanStatus.InProgress));

    /// <summary>作废 needs a reason and an approver of the owning department; voided plans are counted by oversight.</summary>
    public static Decision Decide(VoidPlan command, AnnualPlan plan, Actor by)
    {
        var errors = new List<DomainError>();
        Text.RequireReason(errors, command.Reason, MaxReasonLength);
        if (errors.Count > 0) return Decision.Reject(errors);
        if (by.DepartmentId != plan.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "plan.approver.department", "Only an approver of the owning department voids its plan."));
        if (plan.Status == PlanStatus.Voided) return Decision.Accept();
        if (plan.Status == PlanStatus.Completed) return Decision.Reject(WrongStatus(plan, "voided", PlanStatus.Draft, PlanStatus.Published, PlanStatus.InProgress));
        return Decision.Accept(new PlanVoided(plan.Id, plan.Status, command.Reason.Trim(), by));
    }

    public static Decision Decide(FilePlan command, AnnualPlan plan, Actor by)
    {
        if (ForeignPlan(plan, by) is { } forbidden) return Decision.Reject(forbidden);
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
}
