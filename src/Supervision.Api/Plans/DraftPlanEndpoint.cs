using System.Security.Claims;
using Marten;
using JasperFx.Events;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.Plans;
using Wolverine.Http;

namespace Supervision.Api.Plans;

/// <summary>The decision to draft, with the department's numbering stream it allocates the plan number from.</summary>
public sealed record DraftPlanContext(Decision Decision, IEventStream<PlanNumbering>? Numbering);

public static class DraftPlanEndpoint
{
    public static async Task<DraftPlanContext> LoadAsync(DraftPlan command, ClaimsPrincipal user, IDocumentSession session, CancellationToken ct)
    {
        var department = command.DepartmentId is { } id ? await session.LoadAsync<Department>(id, ct) : null;
        // The numbering stream is fetched for writing: two plans drafted at once for one department and year cannot
        // take the same number; the second gets a 409 and retries.
        var numbering = department is null || command.Year is < 2000 or > 2100
            ? null
            : await session.Events.FetchForWriting<PlanNumbering>(PlanNumbering.IdFor(department.Id, command.Year), ct);
        return new(PlanRules.Decide(command, department, numbering?.Aggregate, user.Planner()), numbering);
    }

    public static ProblemDetails Validate(DraftPlanContext context) => context.Decision.ToPlanProblem();

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/plans"), Tags("Plans")]
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
