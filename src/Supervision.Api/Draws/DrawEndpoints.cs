using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Api.Infrastructure.Auth;
using Supervision.Api.Infrastructure.Http;
using Supervision.Domain.Directories;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Kernel;
using Supervision.Domain.Plans;
using Wolverine.Http;
using Wolverine.Marten;

namespace Supervision.Api.Draws;

internal static class DrawAnswer
{
    public static ProblemDetails ToDrawProblem(this Decision decision) =>
        decision.Errors.FirstOrDefault(e => e.Rule == "draw.department.not-yours") is { } forbidden ? ProblemResponses.Forbidden(forbidden) : decision.ToProblem();

    public static (DrawView, Events) After(Draw draw, Decision decision) =>
        (DrawView.From(decision.Events.Aggregate(draw, (s, e) => DrawRules.Evolve(s, e)!) with { Version = draw.Version + decision.Events.Count }),
            new Events(decision.Events));

    public static async Task<DrawFiles> FilesAsync(IQuerySession session, Guid drawId, CancellationToken ct) =>
        (await session.LoadAsync<FrozenDrawFiles>(drawId, ct))?.Files ?? throw new InvalidOperationException($"Draw {drawId} has no frozen files.");
}

/// <summary>A witness's value (e.g. lottery numbers read out before discipline-inspection staff), entered after the commitment.</summary>
public static class RecordRandomnessEndpoint
{
    public static Decision Load(RecordRandomness command, Draw draw, ClaimsPrincipal user)
    {
        var by = user.As(user.IsInRole(Roles.DisciplineInspector) ? Roles.DisciplineInspector : Roles.Planner);
        return DrawRules.Decide(command, draw, by).ForDepartment(draw, by);
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = $"{Roles.Planner},{Roles.DisciplineInspector}")]
    [WolverinePost("/api/draws/{drawId}/randomness"), Tags("Draws")]
    public static (DrawView, Events) Post(RecordRandomness command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

public static class PerformDrawEndpoint
{
    public static async Task<Decision> LoadAsync(PerformDraw command, Draw draw, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var secret = await session.LoadAsync<DrawSecret>(draw.Id, ct);
        return DrawRules.Decide(command, draw, await DrawAnswer.FilesAsync(session, draw.Id, ct), secret!.Secret, user.As(Roles.Planner))
            .ForDepartment(draw, user.As(Roles.Planner));
    }

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>Reveals the server secret and draws; the plan's task is marked drawn in the same transaction.</summary>
    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/draws/{drawId}/draw"), Tags("Draws")]
    public static (DrawView, Events) Post(PerformDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision, ClaimsPrincipal user, IDocumentSession session)
    {
        if (decision.Events.Count > 0)
            session.Events.Append(draw.PlanId, new SamplingTaskDrawn(draw.PlanId, draw.TaskNumber, draw.Id, user.As(Roles.Planner)));
        return DrawAnswer.After(draw, decision);
    }
}

/// <summary>回避: recorded by an approver with the reason; the replacement is the next in the committed ranking.</summary>
public static class RecuseInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(RecuseInspector command, Draw draw, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        DrawRules.Decide(command, draw, await DrawAnswer.FilesAsync(session, draw.Id, ct), user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>When the target's inspection case is already open, its team changes in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/recusals"), Tags("Draws")]
    public static async Task<(DrawView, Events)> Post(RecuseInspector command, [WriteAggregate("drawId")] Draw draw, Decision decision,
        IDocumentSession session, ClaimsPrincipal user, CancellationToken ct)
    {
        var caseId = InspectionCase.IdFor(draw.Id, command.TargetId);
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is { } drawn && await session.LoadAsync<InspectionCase>(caseId, ct) is not null)
        {
            var incomingId = drawn.Lines.Select(l => l.Split('|')).Where(f => f[2] == "inspector").Select(f => f[5]).FirstOrDefault();
            TeamMember? incoming = null;
            if (Guid.TryParse(incomingId, out var id) && await session.LoadAsync<Inspector>(id, ct) is { } inspector)
                incoming = new TeamMember(inspector.Id, inspector.StaffCode, inspector.DepartmentId);
            session.Events.Append(caseId, new CaseTeamChanged(caseId, command.InspectorId, incoming, command.Reason.Trim(), user.As(Roles.Approver)));
        }
        return DrawAnswer.After(draw, decision);
    }
}

/// <summary>A drawn target found 注销, unreachable or otherwise not inspectable gives way to the next in its stratum's ranking.</summary>
public static class ReplaceTargetEndpoint
{
    public static async Task<Decision> LoadAsync(ReplaceTarget command, Draw draw, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        DrawRules.Decide(command, draw, await DrawAnswer.FilesAsync(session, draw.Id, ct), user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    /// <summary>When cases are open, the replaced target's case is withdrawn and the replacement's opened, in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/target-replacements"), Tags("Draws")]
    public static async Task<(DrawView, Events)> Post(ReplaceTarget command, [WriteAggregate("drawId")] Draw draw, Decision decision,
        IDocumentSession session, ClaimsPrincipal user, CancellationToken ct)
    {
        var by = user.As(Roles.Approver);
        var oldCaseId = InspectionCase.IdFor(draw.Id, command.TargetId);
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is { } drawn && await session.LoadAsync<InspectionCase>(oldCaseId, ct) is { } oldCase)
        {
            session.Events.Append(oldCaseId, new CaseWithdrawn(oldCaseId, command.Reason.Trim(), by));
            var lines = drawn.Lines.Select(l => l.Split('|')).ToList();
            if (lines.FirstOrDefault(f => f[2] == "target") is { } target && Guid.TryParse(target[4], out var replacement))
            {
                var memberIds = lines.Where(f => f[2] == "member" && Guid.TryParse(f[5], out _)).Select(f => Guid.Parse(f[5])).ToArray();
                var members = (await session.LoadManyAsync<Inspector>(ct, memberIds)).ToDictionary(i => i.Id);
                var team = memberIds.Select(id => new TeamMember(id, members[id].StaffCode, members[id].DepartmentId)).ToList();
                var caseId = InspectionCase.IdFor(draw.Id, replacement);
                var open = new OpenCase(caseId, draw.Id, draw.PlanId, draw.TaskNumber, replacement,
                    oldCase.Departments.Select(d => new Participant(d.DepartmentId, d.Matters)).ToList(), team, oldCase.Trigger);
                session.Events.StartStream<InspectionCase>(caseId, CaseRules.Decide(open, null, by).Events.ToArray());
            }
        }
        return DrawAnswer.After(draw, decision);
    }
}

public static class VoidDrawEndpoint
{
    public static Decision Load(VoidDraw command, Draw draw, ClaimsPrincipal user) =>
        DrawRules.Decide(command, draw, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));

    public static ProblemDetails Validate(Decision decision) => decision.ToDrawProblem();

    [Authorize(Roles = Roles.Approver)]
    [WolverinePost("/api/draws/{drawId}/void"), Tags("Draws")]
    public static (DrawView, Events) Post(VoidDraw command, [WriteAggregate("drawId")] Draw draw, Decision decision) => DrawAnswer.After(draw, decision);
}

public static class DrawQueries
{
    [WolverineGet("/api/draws/{drawId}"), Tags("Draws")]
    public static DrawView Get([ReadAggregate("drawId")] Draw draw) => DrawView.From(draw);

    [WolverineGet("/api/draws"), Tags("Draws")]
    public static async Task<IReadOnlyList<DrawView>> List(IQuerySession session, Guid? planId, CancellationToken ct)
    {
        var query = session.Query<Draw>().AsQueryable();
        if (planId is { } id) query = query.Where(d => d.PlanId == id);
        return (await query.ToListAsync(ct)).Select(DrawView.From).ToList();
    }

    /// <summary>Everything needed to replay the draw offline (docs/draw-algorithm.md, section 9).</summary>
    [WolverineGet("/api/draws/{drawId}/record"), Tags("Draws")]
    public static async Task<DrawRecord> Record([ReadAggregate("drawId")] Draw draw, IQuerySession session, CancellationToken ct) =>
        DrawRules.Record(draw, await DrawAnswer.FilesAsync(session, draw.Id, ct));

    /// <summary>The commitment, public from the moment it exists: before the randomness, anyone can note its hash.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/draws/{drawId}/commitment"), Tags("Public")]
    public static async Task<IResult> Commitment(Guid drawId, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<Draw>(drawId, ct) is { } draw
            ? Results.Ok(new { draw.Id, draw.PlanNumber, draw.TaskNumber, draw.Status, draw.Commitment, draw.CommitmentSha256, algorithm = DrawEngine.Algorithm })
            : Results.Problem(statusCode: 404, title: "No draw with this id.");
}

public static class VerifyDrawEndpoint
{
    /// <summary>Replays any record (from this system or elsewhere) and reports a match or the first difference.</summary>
    [AllowAnonymous, ReadOnlyCommand, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverinePost("/api/draws/verify"), Tags("Draws")]
    public static Verification Post(DrawRecord record) => DrawEngine.Verify(record);
}
