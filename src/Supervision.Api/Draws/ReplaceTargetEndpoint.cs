using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Draws;

/// <summary>A drawn target found 注销, unreachable or otherwise not inspectable gives way to the next in its stratum's ranking.</summary>
public static class ReplaceTargetEndpoint
{
    public static async Task<TargetReplacement> LoadAsync(ReplaceTarget command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets,
        DrawTargetsStore store, TimeProvider clock, CancellationToken ct)
    {
        var (files, targets, _) = await DrawLoading.FrozenAsync(session, store, draw.Id, ct);
        var decision = draw.IsV2
            ? DrawRules.DecideV2(command, draw, files, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.Approver, session, secrets, ct), targets)
            : DrawRules.Decide(command, draw, files, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is not { } drawn
            || await session.LoadAsync<InspectionCase>(InspectionCase.IdFor(draw.Id, command.TargetId), ct) is not { } replacedCase)
            return new(decision, null);
        var memberIds = DrawEffects.IncomingTeam(drawn).ToArray();
        var members = (await session.LoadManyAsync<Inspector>(ct, memberIds)).ToDictionary(i => i.Id);
        var team = memberIds.Select(id => new TeamMember(id, members[id].StaffCode, members[id].DepartmentId)).ToList();
        var cases = DrawEffects.ReplacementOnCases(draw, command, drawn, replacedCase, team, user.As(Roles.Approver));
        return new(cases.Opening.IsRejected ? Decision.Reject(cases.Opening.Errors) : decision, cases);
    }

    public static ProblemDetails Validate(TargetReplacement replacement) => replacement.Decision.ToProblem();

    /// <summary>When cases are open, the replaced target's case is withdrawn and the replacement's opened, in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/draws/{drawId}/target-replacements"), Tags("Draws")]
    public static (DrawView, Events) Post(ReplaceTarget command, [WriteAggregate("drawId")] Draw draw, [NotBody] TargetReplacement replacement, IDocumentSession session)
    {
        if (replacement.Cases is { } cases)
        {
            session.Events.Append(cases.Withdrawn.CaseId, cases.Withdrawn);
            if (cases.OpenedCaseId is { } caseId) session.Events.StartStream<InspectionCase>(caseId, cases.Opening.Events.ToArray());
        }
        return CommandAnswers.StateAfter(draw, replacement.Decision, DrawView.From);
    }
}

/// <summary>A target replacement's decision on the draw and, when the replaced target's case is open, on the cases.</summary>
public sealed record TargetReplacement(Decision Decision, CaseChanges? Cases);
