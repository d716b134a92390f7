using Supervision.Api.Draws;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Inspections;

/// <summary>The decision to open a draw's cases (<see cref="CaseOpening"/>), and the cases that already existed, for the answer.</summary>
public sealed record OpenCasesContext(Decision Decision, IReadOnlyList<Guid> AlreadyOpen);

public sealed record OpenedCases(Guid DrawId, IReadOnlyList<Guid> Opened, IReadOnlyList<Guid> AlreadyOpen);

/// <summary>
/// <c>POST /api/draws/{drawId}/cases</c>: one inspection case per drawn target, with its current team (after any
/// recusal). Idempotent: a target whose case exists is skipped. The deadline trigger in force is recorded on each case.
/// </summary>
public static class OpenCasesEndpoint
{
    public static async Task<OpenCasesContext> LoadAsync(Draw draw, ClaimsPrincipal user, IQuerySession session, SupervisionSettings settings, CancellationToken ct)
    {
        var plan = (await session.LoadAsync<AnnualPlan>(draw.PlanId, ct))!;
        var targets = DrawView.From(draw).Targets.Where(t => !t.Replaced).Select(t => new TargetToOpen(t.TargetId, t.Team)).ToList();
        var inspectorIds = targets.SelectMany(t => t.Team).OfType<Guid>().Distinct().ToArray();
        var inspectors = (await session.LoadManyAsync<Inspector>(ct, inspectorIds)).ToDictionary(i => i.Id);
        var caseIds = targets.Select(t => InspectionCase.IdFor(draw.Id, t.TargetId)).ToArray();
        var existing = (await session.LoadManyAsync<InspectionCase>(ct, caseIds)).ToDictionary(c => c.Id);
        var trigger = settings.ResultDeadlineTrigger;
        return new(CaseOpening.Decide(draw, plan, targets, inspectors, existing, trigger, user.As(Roles.Planner)), existing.Keys.ToList());
    }

    public static ProblemDetails Validate(OpenCasesContext context) => context.Decision.ToProblem();

    [Authorize(Roles = Roles.Planner), WolverinePost("/api/draws/{drawId}/cases"), Tags("Cases")]
    public static (OpenedCases, Events) Post([WriteAggregate("drawId")] Draw draw, [NotBody] OpenCasesContext context, IDocumentSession session)
    {
        var opened = context.Decision.Events.OfType<CaseOpened>().ToList();
        foreach (var caseOpened in opened) session.Events.StartStream<InspectionCase>(caseOpened.CaseId, caseOpened);
        return (new OpenedCases(draw.Id, opened.Select(e => e.CaseId).ToList(), context.AlreadyOpen),
            new Events(context.Decision.Events.OfType<CasesOpened>()));
    }
}
