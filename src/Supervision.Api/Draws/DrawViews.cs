using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

public sealed record DrawnTarget(Guid TargetId, string Stratum, int Rank, IReadOnlyList<Guid?> Team, bool Replaced);

/// <param name="AwaitingSecondEntry">/2: sources whose first entry waits for a second person's (the value itself is never shown).</param>
/// <param name="PendingVoidReason">/2: a void requested by an approver, waiting for a 纪检's countersignature.</param>
public sealed record DrawView(
    Guid Id, Guid PlanId, string PlanNumber, string TaskNumber, DrawStatus Status, string Commitment, string CommitmentSha256, long PoolAsOfSequence,
    int PoolSize, int InspectorPoolSize, IReadOnlyList<RandomnessSource> Randomness, IReadOnlyList<ReplacementRequest> Replacements,
    IReadOnlyList<DrawnTarget> Targets, string? VoidReason, long Version,
    string Algorithm, IReadOnlyList<RandomnessSourceDeclaration> Sources, IReadOnlyList<string> AwaitingSecondEntry, bool DisciplineContributionRevealed,
    string? PendingVoidReason, bool VoidedAfterRandomness, Guid? ReplacesDrawId, string RecordPublic, int Acts, string RecordSha256)
{
    public static DrawView From(Draw draw) => new(draw.Id, draw.PlanId, draw.PlanNumber, draw.TaskNumber, draw.Status, draw.Commitment, draw.CommitmentSha256,
        draw.PoolAsOfSequence, draw.PoolSize, draw.InspectorPoolSize, draw.Randomness, draw.Replacements, CurrentTargets(draw), draw.VoidReason, draw.Version,
        draw.Algorithm, draw.Sources, draw.PendingEntries.Select(p => p.Source).ToList(), draw.DisciplineContribution is not null,
        draw.PendingVoid?.Reason, draw.VoidedAfterRandomness, draw.ReplacesDrawId, draw.RecordPublic, draw.Acts.Count, draw.RecordSha256);

    /// <summary>The drawn targets with their current teams: the initial draw with every replacement applied.</summary>
    private static IReadOnlyList<DrawnTarget> CurrentTargets(Draw draw)
    {
        if (draw.Outputs is null) return [];
        var teams = new Dictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        void Member(string target, string slot, string inspector)
        {
            if (!teams.TryGetValue(target, out var team)) teams[target] = team = new SortedDictionary<string, string>(StringComparer.Ordinal);
            team[slot] = inspector;
        }
        foreach (var f in Canonical.Lines(draw.Outputs.Teams).Select(l => l.Split('|'))) Member(f[1], f[2], f[3]);

        var targets = Canonical.Lines(draw.Outputs.Targets).Select(l => l.Split('|')).Select(f => (Id: f[3], Stratum: f[1], Rank: int.Parse(f[2]), Replaced: false)).ToList();
        foreach (var f in Canonical.Lines(draw.Outputs.Replacements).Select(l => l.Split('|')).OrderBy(f => f[1], StringComparer.Ordinal).ThenBy(f => f[2] == "target" ? 0 : 1))
        {
            switch (f[2])
            {
                case "target":
                    var index = targets.FindIndex(t => t.Id == f[3]);
                    targets[index] = targets[index] with { Replaced = true };
                    if (f[4] != "-") targets.Add((f[4], targets[index].Stratum, 0, false));
                    break;
                case "member": Member(f[3], f[4], f[5]); break;
                case "inspector":
                    var team = teams[f[3]];
                    var slot = team.First(m => m.Value == f[4]).Key;
                    team[slot] = f[5];
                    break;
            }
        }
        return targets.Select(t => new DrawnTarget(Guid.Parse(t.Id), t.Stratum, t.Rank,
            teams.TryGetValue(t.Id, out var members) ? members.Values.Select(v => v == "-" ? (Guid?)null : Guid.Parse(v)).ToList() : [], t.Replaced)).ToList();
    }
}
