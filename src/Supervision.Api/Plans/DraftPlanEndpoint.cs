using Supervision.Domain.Plans;

namespace Supervision.Api.Plans;

/// <summary>The decision to draft, with the department's numbering stream it allocates the plan number from.</summary>
public sealed record DraftPlanContext(Decision Decision, IEventStream<PlanNumbering>? Numbering);

public static class DraftPlanEndpoint
{
    public static async Task<DraftPlanContext> LoadAsync(DraftPlan command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var department = command.DepartmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        // The numbering stream is read under a lock on it (AllocationLock): plans drafted at once for one department and
        // year, on any node, take the next numbers one after the other instead of colliding on the same one.
        IEventStream<PlanNumbering>? numbering = null;
        if (department is not null && command.Year is >= 2000 and <= 2100)
        {
            var numberingId = PlanNumbering.IdFor(department.Id, command.Year);
            await AllocationLock.AcquireAsync(session, numberingId, ct);
            numbering = await session.Events.FetchForWriting<PlanNumbering>(numberingId, ct);
        }
        return new(PlanRules.Decide(command, department, numbering?.Aggregate, user.Planner()), numbering);
    }

    public static ProblemDetails Validate(DraftPlanContext context) => context.Decision.ToProblem();

    /// <summary>Draft an annual plan (年度抽查计划) for the caller's department and year; it is numbered per department and year (2026001).</summary>
    [Authorize(Roles = Roles.Planner), WolverinePost("/api/plans"), Tags("Plans")]
    public static CreationResponse<AnnualPlan> Post(DraftPlan command, [NotBody] DraftPlanContext context, IDocumentSession session)
    {
        var allocated = (PlanNumberAllocated)context.Decision.Events[0];
        var drafted = (PlanDrafted)context.Decision.Events[1];
        context.Numbering!.AppendOne(allocated);
        session.Events.StartStream<AnnualPlan>(drafted.PlanId, drafted);
        var plan = PlanRules.Evolve(null, drafted)! with { Version = 1 };
        return new CreationResponse<AnnualPlan>($"/api/plans/{drafted.PlanId}", plan);
    }
}
