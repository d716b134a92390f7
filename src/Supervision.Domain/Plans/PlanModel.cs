using Supervision.Domain.Directories;

namespace Supervision.Domain.Plans;

/// <summary>Where a plan stands. An adjustment (调整) sends an approved or published plan back through submit/approve/publish.</summary>
public enum PlanStatus
{
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
    InProgress,
    Completed,
    Voided,
}

/// <summary>定向 (directed: targets named by the scope, e.g. a list of key entities) or 不定向 (undirected).</summary>
public enum TaskType
{
    Directed,
    Undirected,
}

/// <summary>Whom a plan is filed with (备案).</summary>
public enum FilingBody
{
    /// <summary>本级人民政府</summary>
    Government,
    /// <summary>上级主管部门</summary>
    HigherLevel,
}

/// <summary>A matter on a task, pinned to the version the plan was approved under.</summary>
public sealed record MatterRef(Guid MatterId, int Version);

/// <summary>A department taking part in a task with the matters it brings ("进一次门、查多项事").</summary>
public sealed record Participant(Guid DepartmentId, IReadOnlyList<MatterRef> Matters);

/// <summary>A per-credit-class ratio, e.g. A 1%, B 3%, C 10%, D 30% (企业信用风险分类结果的运用).</summary>
public sealed record ClassRatio(string CreditClass, decimal RatioPercent);

/// <summary>
/// How many targets a task draws: a ratio in percent of the scope, a fixed count, or ratios per credit risk class.
/// Exactly one of the three is given.
/// </summary>
public sealed record SamplingRule(decimal? RatioPercent, int? FixedCount, IReadOnlyList<ClassRatio>? ClassRatios)
{
    public bool UsesCreditClasses => ClassRatios is { Count: > 0 };

    /// <summary>Every ratio the rule uses, with the field it came from, for the cap check.</summary>
    public IEnumerable<(string Field, decimal Ratio)> Ratios()
    {
        if (RatioPercent is { } ratio) yield return ("sampling.ratioPercent", ratio);
        for (var i = 0; i < (ClassRatios?.Count ?? 0); i++) yield return ($"sampling.classRatios[{i}].ratioPercent", ClassRatios![i].RatioPercent);
    }
}

/// <summary>
/// 抽查任务: one task of a plan. For a joint inspection (部门联合抽查) the lead department (牵头部门) and the participating
/// departments (参与部门) each bring their matters; otherwise the initiating department is the only participant.
/// </summary>
/// <param name="Scope">The target scope as a structured filter over the target directory.</param>
/// <param name="ScopeDescription">The scope in words, as published (e.g. "2023年1月31日前登记的食品生产企业").</param>
public sealed record TaskDefinition(
    string Name,
    TaskType Type,
    Guid InitiatingDepartmentId,
    Guid? LeadDepartmentId,
    IReadOnlyList<Participant> Participants,
    TargetFilter Scope,
    string ScopeDescription,
    SamplingRule Sampling,
    int InspectorsPerTarget,
    DateOnly WindowFrom,
    DateOnly WindowTo,
    bool AllowPartialTeams = false)
{
    public bool IsJoint => Participants.Count > 1;

    public IEnumerable<MatterRef> AllMatters => Participants.SelectMany(p => p.Matters);
}

/// <param name="Number">The plan number followed by a two-digit task number, e.g. 2026001-01.</param>
/// <param name="DrawId">Set once the task's draw has happened: the task can no longer change.</param>
public sealed record SamplingTask(string Number, TaskDefinition Definition, bool AdHoc, Guid? DrawId);

/// <summary>What the public sees of one task, frozen at publication.</summary>
public sealed record PublicTask(
    string Number, string Name, TaskType Type, string ScopeDescription, SamplingRule Sampling, int InspectorsPerTarget,
    DateOnly WindowFrom, DateOnly WindowTo, string InitiatingDepartment, string? LeadDepartment, IReadOnlyList<PublicParticipant> Participants);

public sealed record PublicParticipant(string Department, IReadOnlyList<PublicMatter> Matters);

public sealed record PublicMatter(string Code, string Name, int Version, MatterCategory Category);

/// <summary>
/// One publication (公示) of a plan: a frozen copy, never edited. An adjustment publishes a new revision and the old
/// one stays visible.
/// </summary>
public sealed record PlanPublication(int Revision, string Number, string Name, string Department, int Year, string? ImplementingScheme,
    IReadOnlyList<PublicTask> Tasks, string? AdjustmentReason, DateOnly PublishedOn);

public sealed record PlanFiling(FilingBody FiledWith, string Reference, DateOnly FiledOn, Actor By);

/// <summary>A department's annual random-inspection plan (年度抽查计划) as rebuilt from its events.</summary>
/// <param name="Revision">1 for the first approved content; each adjustment adds one.</param>
/// <param name="AdjustmentReason">Why the adjustment under way was started, until it is published.</param>
public sealed record AnnualPlan(
    Guid Id,
    Guid DepartmentId,
    int Year,
    string Number,
    string Name,
    string? ImplementingScheme,
    PlanStatus Status,
    int Revision,
    IReadOnlyList<SamplingTask> Tasks,
    string DraftedBy,
    string LastChangedBy,
    string? SubmittedBy,
    string? ApprovedBy,
    IReadOnlyList<PlanPublication> Publications,
    IReadOnlyList<PlanFiling> Filings,
    string? AdjustmentReason,
    string? VoidReason,
    int NextTaskNumber) : IFolded<AnnualPlan>
{
    public long Version { get; init; }

    public AnnualPlan WithVersion(long version) => this with { Version = version };

    public static AnnualPlan? StateAfter(AnnualPlan? state, object @event) => PlanRules.Evolve(state, @event);

    /// <summary>A container of tasks outside the annual plan (临时任务): allowed, flagged on every task and view.</summary>
    public bool AdHoc { get; init; }

    /// <summary>True once execution began: a later adjustment's publication returns the plan to InProgress.</summary>
    public bool ExecutionStarted { get; init; }

    public bool IsEditable => Status is PlanStatus.Draft or PlanStatus.Returned;

    public SamplingTask? Task(string number) => Tasks.FirstOrDefault(t => t.Number == number);
}

/// <summary>The per-department, per-year counter behind plan numbers such as 2026001 (the national publicity system's form).</summary>
public sealed record PlanNumbering(Guid Id, Guid DepartmentId, int Year, int Last)
{
    public long Version { get; init; }

    public static Guid IdFor(Guid departmentId, int year) => DeterministicId.For("plan-numbering", $"{departmentId:N}/{year}");

    public static string Format(int year, int sequence) => $"{year}{sequence:D3}";
}
