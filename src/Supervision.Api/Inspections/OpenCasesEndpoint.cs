using Supervision.Api.Draws;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Inspections;

public sealed record OpenCasesContext(IReadOnlyList<DomainError> Errors, IReadOnlyList<OpenCase> ToOpen, Actor By);

public sealed record OpenedCases(Guid DrawId, IReadOnlyList<Guid> Opened, IReadOnlyList<Guid> AlreadyOpen);

/// <summary>
/// <c>POST /api/draws/{drawId}/cases</c>: one inspection case per drawn target, with its current team (after any
/// recusal). Idempotent: a target whose case exists is skipped. The deadline trigger in force is recorded on each case.
/// </summary>
public static class OpenCasesEndpoint
{
    public static async Task<OpenCasesContext> LoadAsync(Draw draw, ClaimsPrincipal user, IQuerySession session, SupervisionSettings settings, CancellationToken ct)
    {
        var by = user.As(Roles.Planner);
        if (draw.Status != DrawStatus.Drawn)
            return new([DomainError.Conflict("drawId", "draw.status", "Cases are opened from a completed, not voided draw.")], [], by);
        var plan = (await session.LoadAsync<AnnualPlan>(draw.PlanId, ct))!;
        if (by.DepartmentId != plan.DepartmentId)
            return new([DomainError.Conflict("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department.")], [], by);
        var task = plan.Task(draw.TaskNumber)!;
        var targets = DrawView.From(draw).Targets.Where(t => !t.Replaced).ToList();
        var inspectorIds = targets.SelectMany(t => t.Team).OfType<Guid>().Distinct().ToArray();
        var inspectors = (await session.LoadManyAsync<Inspector>(ct, inspectorIds)).ToDictionary(i => i.Id);
        var trigger = settings.ResultDeadlineTrigger;
        var toOpen = targets.Select(target => new OpenCase(InspectionCase.IdFor(draw.Id, target.TargetId), draw.Id, plan.Id, task.Number, target.TargetId,
            task.Definition.Participants,
            target.Team.OfType<Guid>().Select(id => new TeamMember(id, inspectors[id].StaffCode, inspectors[id].DepartmentId)).ToList(), trigger)).ToList();
        return new([], toOpen, by);
    }

    public static ProblemDetails Validate(OpenCasesContext context) =>
        context.Errors.Count == 0 ? WolverineContinue.NoProblems
        : context.Errors[0].Rule == "plan.department.not-yours" ? ProblemResponses.Forbidden(context.Errors[0])
        : ProblemResponses.FromErrors(context.Errors);

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/draws/{drawId}/cases"), Tags("Cases")]
    public static async Task<(OpenedCases, Events)> Post([WriteAggregate("drawId")] Draw draw, [NotBody] OpenCasesContext context, IDocumentSession session, CancellationToken ct)
    {
        var existing = (await session.LoadManyAsync<InspectionCase>(ct, context.ToOpen.Select(o => o.CaseId).ToArray())).ToDictionary(c => c.Id);
        var opened = new List<Guid>();
        foreach (var command in context.ToOpen)
        {
            var decision = CaseRules.Decide(command, existing.GetValueOrDefault(command.CaseId), context.By);
            if (decision.Events.Count == 0) continue;
            session.Events.StartStream<InspectionCase>(command.CaseId, decision.Events.ToArray());
            opened.Add(command.CaseId);
        }
        // Recorded on the draw's stream: a recusal or replacement committing at the same moment conflicts (409) instead of missing the cases.
        return (new OpenedCases(draw.Id, opened, existing.Keys.ToList()),
            opened.Count > 0 ? new Events([new CasesOpened(draw.Id, opened, context.By)]) : new Events());
    }
}
