using Supervision.Domain.Directories;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Inspections;

/// <summary>A drawn target still in the draw (not replaced) with its current team's inspector ids (an empty slot is null).</summary>
public sealed record TargetToOpen(Guid TargetId, IReadOnlyList<Guid?> Team);

/// <summary>
/// Opening a draw's cases: one inspection case per drawn target, with its current team (after any recusal). Idempotent: a target whose
/// case exists is skipped. The deadline trigger in force is recorded on each case.
/// </summary>
public static class CaseOpening
{
    /// <summary>
    /// The <see cref="CaseOpened"/> event of each new case (each starts its own stream) and, when any opened, one <see cref="CasesOpened"/> for the
    /// draw's stream: a recusal or replacement committing at the same moment then conflicts (409) instead of missing the cases.
    /// </summary>
    public static Decision Decide(Draw draw, AnnualPlan plan, IReadOnlyList<TargetToOpen> targets, IReadOnlyDictionary<Guid, Inspector> inspectors,
        IReadOnlyDictionary<Guid, InspectionCase> existing, DeadlineTrigger trigger, Actor by)
    {
        if (draw.Status != DrawStatus.Drawn)
            return Decision.Reject(DomainError.Conflict("drawId", "draw.status", "Cases are opened from a completed, not voided draw."));
        if (by.DepartmentId != plan.DepartmentId)
            return Decision.Reject(DomainError.Forbidden("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department."));
        var task = plan.Task(draw.TaskNumber)!;
        var opened = targets
            .Select(target => new OpenCase(InspectionCase.IdFor(draw.Id, target.TargetId), draw.Id, plan.Id, task.Number, target.TargetId, task.Definition.Participants,
                target.Team.OfType<Guid>().Select(id => new TeamMember(id, inspectors[id].StaffCode, inspectors[id].DepartmentId)).ToList(), trigger))
            .SelectMany(command => CaseRules.Decide(command, existing.GetValueOrDefault(command.CaseId), by).Events)
            .ToList();
        var caseIds = opened.OfType<CaseOpened>().Select(e => e.CaseId).ToList();
        return caseIds.Count == 0 ? Decision.Accept() : Decision.Accept([.. opened, new CasesOpened(draw.Id, caseIds, by)]);
    }
}
