using System.Security.Claims;
using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Api.Directories.Targets;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Auth;
using Supervision.Api.Infrastructure.Http;
using Supervision.Api.Plans;
using Supervision.Domain.Directories;
using Supervision.Domain.Draws;
using Supervision.Domain.Kernel;
using Supervision.Domain.Plans;
using Wolverine.Http;

namespace Supervision.Api.Draws;

/// <summary>What scheduling found: a refusal, or the frozen pools with their commitment and the new server secret.</summary>
public sealed record ScheduleContext(IReadOnlyList<DomainError> Errors, AnnualPlan? Plan, DrawPools.Pools? Pools, DrawEngine.Frozen? Frozen, string? Secret, Actor By);

/// <summary>
/// <c>POST /api/draws</c>: freezes the task's pools from the directories as they are now, commits to them, and
/// publishes the commitment's hash before any randomness exists (docs/draw-algorithm.md, section 1).
/// </summary>
public static class ScheduleDrawEndpoint
{
    public static async Task<ScheduleContext> LoadAsync(ScheduleDraw command, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var by = user.As(Roles.Planner);
        ScheduleContext Refuse(DomainError error) => new([error], null, null, null, null, by);

        if (await session.LoadAsync<AnnualPlan>(command.PlanId, ct) is not { } plan)
            return Refuse(DomainError.NotFound("planId", "plan.unknown", $"Plan {command.PlanId} does not exist."));
        if (by.DepartmentId != plan.DepartmentId)
            return Refuse(DomainError.Conflict("departmentId", "plan.department.not-yours", $"Plan {plan.Number} belongs to another department."));
        if (plan.Status is not (PlanStatus.Approved or PlanStatus.Published or PlanStatus.InProgress))
            return Refuse(DomainError.Conflict("planId", "draw.plan.status", $"Only an approved plan's tasks are drawn; plan {plan.Number} is {plan.Status}."));
        if (plan.Task(command.TaskNumber ?? "") is not { } task)
            return Refuse(DomainError.NotFound("taskNumber", "task.unknown", $"Plan {plan.Number} has no task {command.TaskNumber}."));

        var draws = await session.Query<Draw>().Where(d => d.PlanId == plan.Id).ToListAsync(ct);
        if (draws.FirstOrDefault(d => d.TaskNumber == task.Number && d.Status != DrawStatus.Voided) is { } active)
            return Refuse(DomainError.Conflict("taskNumber", "draw.task.active", $"Task {task.Number} already has draw {active.Id} ({active.Status}); void it first to draw again."));

        var sequence = await AsOf.CurrentSequenceAsync(session, ct);
        var candidates = await TargetQueries.Apply(session.Query<Target>(), task.Definition.Scope).ToListAsync(ct);
        var departments = task.Definition.Participants.Select(p => p.DepartmentId).ToArray();
        var inspectors = await session.Query<Inspector>().Where(i => i.DepartmentId.IsOneOf(departments)).ToListAsync(ct);
        var matters = await session.LoadManyAsync<InspectionMatter>(ct, task.Definition.AllMatters.Select(m => m.MatterId).Distinct().ToArray());
        var drawnThisYear = await DrawnThisYearAsync(session, plan.Year, task.Definition.AllMatters.Select(m => m.MatterId).ToHashSet(), ct);

        var drawId = DeterministicId.For("draw", $"{plan.Id:N}/{task.Number}/{draws.Count(d => d.TaskNumber == task.Number) + 1}");
        var (pools, errors) = DrawPools.Build(drawId, plan, task, sequence, command.LoadCap, command.Batches, candidates, inspectors,
            matters.ToDictionary(m => m.Id), drawnThisYear);
        if (pools is null) return new(errors, plan, null, null, null, by);

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var secretHash = Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(secret)));
        var frozen = DrawEngine.Freeze(pools.Setup, pools.Targets, pools.Exclusions, pools.Inspectors, pools.Conflicts, secretHash);
        return new([], plan, pools, frozen, secret, by);
    }

    /// <summary>"Already drawn this year under the same matter": targets of this year's completed draws sharing a matter.</summary>
    private static async Task<IReadOnlySet<Guid>> DrawnThisYearAsync(IQuerySession session, int year, IReadOnlySet<Guid> matters, CancellationToken ct)
    {
        // A draw voided after it was drawn still counts: voiding must not put its targets back for a more convenient re-draw.
        var draws = (await session.Query<Draw>().Where(d => d.Year == year && d.Status != DrawStatus.Scheduled).ToListAsync(ct))
            .Where(d => d.Outputs is not null).ToList();
        return draws.Where(d => d.MatterIds.Any(matters.Contains)).SelectMany(d => d.CurrentTargets()).ToHashSet();
    }

    public static ProblemDetails Validate(ScheduleContext context) =>
        context.Errors.Count == 0 ? WolverineContinue.NoProblems
        : context.Errors.Any(e => e.Rule == "plan.department.not-yours") ? ProblemResponses.Forbidden(context.Errors[0])
        : ProblemResponses.FromErrors(context.Errors);

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/draws"), Tags("Draws")]
    public static CreationResponse<DrawView> Post(ScheduleDraw command, [NotBody] ScheduleContext context, IDocumentSession session)
    {
        var (plan, pools, frozen) = (context.Plan!, context.Pools!, context.Frozen!);
        var task = plan.Task(command.TaskNumber)!;
        var scheduled = new DrawScheduled(pools.Setup.DrawId, plan.Id, plan.DepartmentId, plan.Number, task.Number, plan.Year,
            task.Definition.AllMatters.Select(m => m.MatterId).Distinct().ToList(), frozen.Commitment, frozen.CommitmentSha256,
            pools.Setup.PoolAsOfSequence, pools.Targets.Count, pools.Inspectors.Count, pools.Exclusions.Count, context.By);
        session.Events.StartStream<Draw>(scheduled.DrawId, scheduled);
        session.Insert(new FrozenDrawFiles(scheduled.DrawId, frozen.Files));
        session.Insert(new DrawSecret(scheduled.DrawId, context.Secret!));
        var view = DrawView.From(DrawRules.Evolve(null, scheduled)! with { Version = 1 });
        return new CreationResponse<DrawView>($"/api/draws/{scheduled.DrawId}", view);
    }
}
