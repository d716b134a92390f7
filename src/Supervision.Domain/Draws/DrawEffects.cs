using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Draws;

/// <summary>
/// What a draw's acts do to other streams: the plan's task once drawn, and the inspection cases already open when an inspector is
/// recused or a target replaced (read from the replacement's canonical lines, docs/draw-algorithm.md: <c>R|sequence|kind|…</c>).
/// Decided here so the endpoints only load, append and answer.
/// </summary>
public static class DrawEffects
{
    /// <summary>A performed draw marks the plan's task drawn, in the same transaction; a repeated (empty) decision marks nothing.</summary>
    public static SamplingTaskDrawn? PlanTaskDrawn(Draw draw, Decision decision, Actor by) =>
        decision.Events.Count > 0 ? new SamplingTaskDrawn(draw.PlanId, draw.TaskNumber, draw.Id, by) : null;

    /// <summary>The inspector a recusal's replacement brings in (<c>R|seq|inspector|target|outgoing|incoming</c>); none when the slot stays empty.</summary>
    public static Guid? IncomingInspector(ReplacementDrawn drawn) =>
        Fields(drawn).Where(f => f[2] == "inspector").Select(f => Guid.TryParse(f[5], out var id) ? id : (Guid?)null).FirstOrDefault();

    /// <summary>The target a replacement brings in (<c>R|seq|target|replaced|replacement</c>); none when the stratum had nobody left.</summary>
    public static Guid? IncomingTarget(ReplacementDrawn drawn) =>
        Fields(drawn).Where(f => f[2] == "target").Select(f => Guid.TryParse(f[4], out var id) ? id : (Guid?)null).FirstOrDefault();

    /// <summary>The team drawn for the incoming target (<c>R|seq|member|target|slot|inspector</c>), slots left empty omitted.</summary>
    public static IReadOnlyList<Guid> IncomingTeam(ReplacementDrawn drawn) =>
        Fields(drawn).Where(f => f[2] == "member" && Guid.TryParse(f[5], out _)).Select(f => Guid.Parse(f[5])).ToList();

    /// <summary>
    /// A recusal on a target whose case is open changes the case's team in the same transaction, unless results were entered meanwhile
    /// without the approver's disposition (<see cref="RecusalAfterResults.Check"/>, issue 16).
    /// </summary>
    public static Decision RecusalOnCase(InspectionCase inspectionCase, RecuseInspector command, TeamMember? incoming, Actor by) =>
        RecusalAfterResults.Check(inspectionCase, command.ResultsDisposition) is { } refused
            ? Decision.Reject(refused)
            : Decision.Accept(RecusalAfterResults.TeamChange(inspectionCase, command.InspectorId, incoming, command.Reason.Trim(), command.ResultsDisposition, by));

    /// <summary>
    /// A replaced target's open case is withdrawn; the replacement's case opens with the same departments, matters and deadline trigger
    /// and the team drawn for it. A refused opening refuses the replacement (no draw change without its case).
    /// </summary>
    /// <param name="team">The incoming team's members, in slot order, as the directory knows them.</param>
    public static CaseChanges ReplacementOnCases(Draw draw, ReplaceTarget command, ReplacementDrawn drawn, InspectionCase replacedCase,
        IReadOnlyList<TeamMember> team, Actor by)
    {
        var withdrawn = new CaseWithdrawn(replacedCase.Id, command.Reason.Trim(), by);
        if (IncomingTarget(drawn) is not { } replacement) return new CaseChanges(withdrawn, null, Decision.Accept());
        var caseId = InspectionCase.IdFor(draw.Id, replacement);
        var open = new OpenCase(caseId, draw.Id, draw.PlanId, draw.TaskNumber, replacement,
            replacedCase.Departments.Select(d => new Participant(d.DepartmentId, d.Matters)).ToList(), team, replacedCase.Trigger);
        return new CaseChanges(withdrawn, caseId, CaseRules.Decide(open, null, by));
    }

    private static IEnumerable<string[]> Fields(ReplacementDrawn drawn) => drawn.Lines.Select(l => l.Split('|'));
}

/// <summary>A target replacement's effect on cases: the replaced target's case withdrawn, and the replacement's opening (if any).</summary>
public sealed record CaseChanges(CaseWithdrawn Withdrawn, Guid? OpenedCaseId, Decision Opening);
