namespace Supervision.Domain.Plans;

public sealed record DraftPlan(Guid? DepartmentId, int Year, string Name, string? ImplementingScheme, bool AdHoc = false);
public sealed record ChangePlanDetails(string Name, string? ImplementingScheme, long Version);
public sealed record AddTask(TaskDefinition Task, long Version);
public sealed record ChangeTask(TaskDefinition Task, long Version);
public sealed record RemoveTask(long Version);
public sealed record SubmitPlan(long Version);
public sealed record ApprovePlan(string? Comment, long Version);
public sealed record ReturnPlan(IReadOnlyList<string> Reasons, long Version);
public sealed record PublishPlan(DateOnly? PublishedOn, long Version);
public sealed record StartPlanAdjustment(string Reason, long Version);
public sealed record StartPlanExecution(long Version);
public sealed record CompletePlan(long Version);
public sealed record VoidPlan(string Reason, long Version);
public sealed record FilePlan(FilingBody? FiledWith, string Reference, DateOnly? FiledOn, long Version);

public sealed record PlanNumberAllocated(Guid NumberingId, Guid DepartmentId, int Year, int Sequence, string Number, Actor By);

/// <param name="AdHoc">A container for tasks outside the annual plan (临时任务): allowed, but flagged everywhere.</param>
public sealed record PlanDrafted(Guid PlanId, Guid DepartmentId, int Year, string Number, string Name, string? ImplementingScheme, bool AdHoc, Actor By);
public sealed record PlanDetailsChanged(Guid PlanId, string Name, string? ImplementingScheme, Actor By);
public sealed record TaskAdded(Guid PlanId, string TaskNumber, TaskDefinition Task, Actor By);
public sealed record TaskChanged(Guid PlanId, string TaskNumber, TaskDefinition Task, Actor By);
public sealed record TaskRemoved(Guid PlanId, string TaskNumber, Actor By);
public sealed record PlanSubmitted(Guid PlanId, int Revision, Actor By);
public sealed record PlanReturned(Guid PlanId, int Revision, IReadOnlyList<string> Reasons, Actor By);
public sealed record PlanApproved(Guid PlanId, int Revision, string? Comment, Actor By);
public sealed record PlanPublished(Guid PlanId, PlanPublication Publication, Actor By);
public sealed record PlanAdjustmentStarted(Guid PlanId, int Revision, string Reason, Actor By);
public sealed record PlanExecutionStarted(Guid PlanId, Actor By);
public sealed record PlanCompleted(Guid PlanId, Actor By);
public sealed record PlanVoided(Guid PlanId, PlanStatus StatusBefore, string Reason, Actor By);
public sealed record PlanFiled(Guid PlanId, PlanFiling Filing);

/// <summary>Appended by the draw when a task's targets are drawn: from then on the task cannot change.</summary>
public sealed record SamplingTaskDrawn(Guid PlanId, string TaskNumber, Guid DrawId, Actor By);
