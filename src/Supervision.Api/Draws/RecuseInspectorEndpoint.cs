using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Draws;

/// <summary>回避: recorded by an approver with the reason; the replacement is the next in the committed ranking.</summary>
public static class RecuseInspectorEndpoint
{
    public static async Task<Decision> LoadAsync(RecuseInspector command, Draw draw, ClaimsPrincipal user, IQuerySession session, DrawSecrets secrets, DrawTargetsStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var (files, targets, _) = await DrawLoading.FrozenAsync(session, store, draw.Id, ct);
        var decision = draw.IsV2
            ? DrawRules.DecideV2(command, draw, files, clock.GetUtcNow(), await DrawLoading.ActorAsync(user, Roles.Approver, session, secrets, ct), targets)
            : DrawRules.Decide(command, draw, files, user.As(Roles.Approver)).ForDepartment(draw, user.As(Roles.Approver));
        // A recusal once results are entered on the target's case (issue 16): refused unless the approver decides on those results.
        if (decision.IsRejected) return decision;
        var inspectionCase = await session.LoadAsync<InspectionCase>(InspectionCase.IdFor(draw.Id, command.TargetId), ct);
        return RecusalAfterResults.Check(inspectionCase, command.ResultsDisposition) is { } refused ? Decision.Reject(refused) : decision;
    }

    /// <summary>When the target's inspection case is already open, its team changes in the same transaction.</summary>
    [Authorize(Roles = Roles.Approver), WolverinePost("/api/draws/{drawId}/recusals"), Tags("Draws")]
    public static async Task<(DrawView, Events)> Post(RecuseInspector command, [WriteAggregate("drawId")] Draw draw, Decision decision,
        IDocumentSession session, ClaimsPrincipal user, CancellationToken ct)
    {
        var caseId = InspectionCase.IdFor(draw.Id, command.TargetId);
        if (decision.Events.OfType<ReplacementDrawn>().SingleOrDefault() is { } drawn && await session.LoadAsync<InspectionCase>(caseId, ct) is not null)
        {
            // Fetched for writing: a result entered after this read makes the commit fail (409) instead of escaping the re-check flag.
            var stream = await session.Events.FetchForWriting<InspectionCase>(caseId, ct);
            var incoming = DrawEffects.IncomingInspector(drawn) is { } id && await session.LoadAsync<Inspector>(id, ct) is { } inspector
                ? new TeamMember(inspector.Id, inspector.StaffCode, inspector.DepartmentId)
                : null;
            var teamChange = DrawEffects.RecusalOnCase(stream.Aggregate!, command, incoming, user.As(Roles.Approver));
            if (teamChange.IsRejected)
                throw new JasperFx.ConcurrencyException("Results were entered on the case while the recusal was decided; decide it again.", typeof(InspectionCase), caseId);
            stream.AppendMany(teamChange.Events);
        }
        return CommandAnswers.StateAfter(draw, decision, DrawView.From);
    }
}
