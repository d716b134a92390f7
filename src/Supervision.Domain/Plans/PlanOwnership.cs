namespace Supervision.Domain.Plans;

/// <summary>
/// Planners and approvers act only on their own department's plans. Every plan command also names the version it was based on:
/// two people acting on one plan at once cannot both win; the later gets 409 with the current version.
/// </summary>
public static class PlanOwnership
{
    /// <summary>The decision as taken, unless the plan belongs to another department: then a refusal (403) whatever the command.</summary>
    public static Decision OwnDepartment(this Decision decision, AnnualPlan plan, Actor by) =>
        by.DepartmentId == plan.DepartmentId
            ? decision
            : Decision.Reject(DomainError.Forbidden("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department."));
}
