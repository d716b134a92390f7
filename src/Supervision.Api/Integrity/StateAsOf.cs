using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Integrity;

/// <summary>What one record said at a past moment, with the event it was last changed by then.</summary>
public sealed record StateAsOf(string Kind, Guid Id, long Version, long? LastSequence, DateTimeOffset? LastChangedAt, object? State);

/// <summary>
/// <c>GET /api/as-of/{kind}/{id}</c>: a plan, draw, case, follow-up, publication, target or inspector as it stood after a
/// global event sequence or at an instant, folded from its stream by the same pure evolve its read model uses.
/// </summary>
public static class StateAsOfEndpoint
{
    private static readonly IReadOnlyDictionary<string, Func<object?, object, object?>> Folds = new Dictionary<string, Func<object?, object, object?>>
    {
        ["plan"] = (s, e) => PlanRules.Evolve(s as AnnualPlan, e),
        ["draw"] = (s, e) => DrawRules.Evolve(s as Draw, e),
        ["case"] = (s, e) => CaseRules.Evolve(s as InspectionCase, e),
        ["follow-up"] = (s, e) => FollowUpRules.Evolve(s as FollowUpCase, e),
        ["publication"] = (s, e) => PublicationRules.Evolve(s as ResultPublication, e),
        ["target"] = (s, e) => TargetRules.Evolve(s as Target, e),
        ["inspector"] = (s, e) => InspectorRules.Evolve(s as Inspector, e),
    };

    [Authorize(Roles = $"{Roles.DisciplineInspector},{Roles.Auditor},{Roles.SystemAdmin}")]
    [WolverineGet("/api/as-of/{kind}/{id}"), Tags("Integrity")]
    public static async Task<IResult> Get(string kind, Guid id, long? sequence, DateTimeOffset? at, IQuerySession session, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        if (!Folds.TryGetValue(kind, out var fold))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("kind", "as-of.kind", $"'kind' is one of {string.Join(", ", Folds.Keys)}.")]));
        if (sequence is null && at is null)
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("sequence", "as-of.moment", "Name the moment: 'sequence' (a global event sequence) or 'at' (an instant).")]));
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0 || !await MayReadAsync(kind, events.Aggregate((object?)null, (s, e) => fold(s, e.Data)), user, session, ct))
            return Results.Problem(ProblemResponses.NotFound(kind, id));
        var upTo = events.Where(e => (sequence is null || e.Sequence <= sequence) && (at is null || e.Timestamp <= at)).ToList();
        var state = upTo.Aggregate((object?)null, (s, e) => fold(s, e.Data));
        return Results.Ok(new StateAsOf(kind, id, upTo.Count == 0 ? 0 : upTo[^1].Version, upTo.LastOrDefault()?.Sequence, upTo.LastOrDefault()?.Timestamp, state));
    }

    /// <summary>A department's record in the past is as confidential as it is now (docs/access.md); directory entries are readable by every caller.</summary>
    private static async Task<bool> MayReadAsync(string kind, object? current, System.Security.Claims.ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var (reader, places) = await Supervision.Api.Infrastructure.Auth.Readers.LoadAsync(user, session, ct);
        return current switch
        {
            AnnualPlan plan => Supervision.Api.Plans.PlanQueries.MayRead(reader, places, plan),
            Draw draw => Supervision.Domain.Access.ReadAccess.MayReadPlanning(reader, Supervision.Api.Infrastructure.Auth.Readers.Place(places, draw.DepartmentId), []),
            InspectionCase c => Supervision.Api.Inspections.CaseQueries.MayRead(reader, places, c),
            FollowUpCase f => Supervision.Api.FollowUps.FollowUpQueries.MayRead(reader, places, f),
            ResultPublication p => await session.LoadAsync<InspectionCase>(p.CaseId, ct) is { } c && Supervision.Api.Inspections.CaseQueries.MayRead(reader, places, c),
            _ => kind is "target" or "inspector",
        };
    }
}
