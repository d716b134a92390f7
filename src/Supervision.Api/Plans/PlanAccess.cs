using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

public static class PlanAccess
{
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
