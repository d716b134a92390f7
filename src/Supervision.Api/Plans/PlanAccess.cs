using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class PlanAccess
{
    /// <summary>
    /// The answer to a plan decision: 403 for "you may not" (self-approval, another department's plan), otherwise the
    /// decision's own problem, if any.
    /// </summary>
    public static ProblemDetails ToPlanProblem(this Decision decision)
    {
        if (decision.Errors.FirstOrDefault(e => PlanRules.ForbiddenRules.Contains(e.Rule)) is { } forbidden)
            return ProblemResponses.Forbidden(forbidden);
        return decision.ToProblem();
    }

    /// <summary>Planners and approvers act only on their own department's plans.</summary>
    public static Decision OwnDepartment(this Decision decision, AnnualPlan plan, Actor by) =>
        by.DepartmentId == plan.DepartmentId
            ? decision
            : Decision.Reject(DomainError.Conflict("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department."));

    /// <summary>The matters and departments a plan's tasks (and an incoming task) name.</summary>
    public static async Task<PlanRules.References> LoadReferencesAsync(IQuerySession session, AnnualPlan plan, TaskDefinition? incoming, CancellationToken ct)
    {
        var definitions = plan.Tasks.Select(t => t.Definition).Concat(incoming is null ? [] : [incoming]).ToList();
        var matterIds = definitions.SelectMany(d => d.Participants ?? []).SelectMany(p => p.Matters ?? []).Select(m => m.MatterId).Distinct().ToArray();
        var departmentIds = definitions.SelectMany(d => (d.Participants ?? []).Select(p => p.DepartmentId)
                .Append(d.InitiatingDepartmentId).Concat(d.LeadDepartmentId is { } lead ? [lead] : []))
            .Append(plan.DepartmentId).Distinct().ToArray();
        if (matterIds.Length == 0)
            return new PlanRules.References(new Dictionary<Guid, InspectionMatter>(), (await session.LoadManyAsync<Department>(ct, departmentIds)).ToDictionary(d => d.Id));
        // Both in one round trip.
        var batch = session.CreateBatchQuery();
        var matters = batch.LoadMany<InspectionMatter>().ById(matterIds);
        var departments = batch.LoadMany<Department>().ById(departmentIds);
        await batch.Execute(ct);
        return new PlanRules.References((await matters).ToDictionary(m => m.Id), (await departments).ToDictionary(d => d.Id));
    }

    public static Actor Planner(this ClaimsPrincipal user) => user.As(Roles.Planner);
    public static Actor Approver(this ClaimsPrincipal user) => user.As(Roles.Approver);
}
