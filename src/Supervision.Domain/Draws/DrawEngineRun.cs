namespace Supervision.Domain.Draws;

/// <summary>Sections 5 to 8 of the draw: rank and select the targets, form the teams, batches, recusals and replacements.</summary>
public static partial class DrawEngine
{
    // ---- 3. The draw ----

    /// <summary>Runs the draw from the canonical files, the derived key and the replacement requests.</summary>
    public static DrawOutputs Run(DrawFiles files, byte[] prk, IReadOnlyList<ReplacementRequest> replacements) =>
        Run(files, Canonical.Utf8.GetBytes(files.Targets), prk, replacements);

    /// <summary>
    /// The same draw with the targets file as its UTF-8 bytes (the form that is hashed into the commitment); <c>files.Targets</c>
    /// is not read. Only the best quota + (target replacements) of each stratum are ever ranked in memory.
    /// </summary>
    public static DrawOutputs Run(DrawFiles files, ReadOnlyMemory<byte> targetsUtf8, byte[] prk, IReadOnlyList<ReplacementRequest> replacements) =>
        Run(files, targetsUtf8, prk, replacements, DrawComputation.Default);

    /// <param name="computation">Workers and HMAC path; the outputs are byte-identical for every choice.</param>
    internal static DrawOutputs Run(DrawFiles files, ReadOnlyMemory<byte> targetsUtf8, byte[] prk, IReadOnlyList<ReplacementRequest> replacements, DrawComputation computation)
    {
        var quotas = Canonical.Lines(files.Quotas).Select(l => l.Split('|')).ToDictionary(f => f[1], f => int.Parse(f[3], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        // Each target replacement moves its stratum's next rank on by exactly one (section 7), so no rank deeper than this is read.
        var targetReplacements = replacements.Count(r => r.Kind == "target");
        return Run(files, quotas, prk, replacements,
            () => TargetRanking.Build(targetsUtf8, prk, stratum => quotas.GetValueOrDefault(stratum) + targetReplacements, computation), computation);
    }

    /// <summary>The draw with the former string ranking (<see cref="TargetRankingReference"/>): the reference the byte path is tested against.</summary>
    internal static DrawOutputs RunReference(DrawFiles files, byte[] prk, IReadOnlyList<ReplacementRequest> replacements)
    {
        var quotas = Canonical.Lines(files.Quotas).Select(l => l.Split('|')).ToDictionary(f => f[1], f => int.Parse(f[3], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return Run(files, quotas, prk, replacements, () => TargetRankingReference.Build(files.Targets, prk), DrawComputation.Sequential);
    }

    /// <summary>Where a draw's time goes, for ops/bench/DrawBench only (null otherwise): each phase's name and seconds as it ends.</summary>
    internal static Action<string, double>? Phases;

    internal static void Lap(System.Diagnostics.Stopwatch? clock, string phase)
    {
        if (clock is null) return;
        Phases?.Invoke(phase, clock.Elapsed.TotalSeconds);
        clock.Restart();
    }

    private static DrawOutputs Run(DrawFiles files, Dictionary<string, int> quotas, byte[] prk, IReadOnlyList<ReplacementRequest> replacements, Func<ITargetRanking> buildRanking,
        DrawComputation computation)
    {
        var clock = Phases is null ? null : System.Diagnostics.Stopwatch.StartNew();
        var parameters = DrawParameters.Parse(files.Parameters);
        var ranking = buildRanking();
        Lap(clock, "rank");
        var rankings = ranking.ByStratum;
        var state = new TeamState(files, prk, parameters, computation);

        var targetLines = new List<string>();
        var selected = new List<(string Stratum, int Rank, string Id)>();
        foreach (var (stratum, order) in rankings.OrderBy(r => r.Key, Canonical.Utf8ByteOrder.Instance))
        {
            var quota = quotas.GetValueOrDefault(stratum);
            for (var rank = 0; rank < quota && rank < order.Length; rank++)
            {
                var id = ranking.Id(order[rank]);
                targetLines.Add($"S|{stratum}|{rank + 1:D7}|{id}|{ranking.KeyHex(order[rank])}");
                selected.Add((stratum, rank + 1, id));
            }
        }

        Lap(clock, "select");
        var teamLines = new List<string>(selected.Count * parameters.TeamSize);
        // Inspector rankings are independent of each other: computed on all cores a block at a time, used in selection order (a
        // team depends on the loads before it) and dropped once used, so memory holds one block of rankings, not one per target.
        const int block = 8192;
        for (var from = 0; from < selected.Count; from += block)
        {
            var ids = selected.Skip(from).Take(block).Select(s => s.Id).ToList();
            state.PrepareRankings(ids);
            foreach (var id in ids) teamLines.AddRange(state.DrawTeam(id, prefix: "M"));
        }
        Lap(clock, "teams");

        var batchLines = new List<string>();
        if (parameters.Batches > 1)
        {
            var order = selected.Select(s => (s.Id, Key: KeyFor(prk, "B|" + s.Id))).OrderBy(s => s.Key, ByteOrder.Instance).ThenBy(s => s.Id, StringComparer.Ordinal).ToList();
            int index = 0, size = order.Count / parameters.Batches, extra = order.Count % parameters.Batches;
            for (var batch = 1; batch <= parameters.Batches; batch++)
            {
                var count = size + (batch <= extra ? 1 : 0);
                for (var i = 0; i < count && index < order.Count; i++) batchLines.Add($"B|{batch:D3}|{order[index++].Id}");
            }
        }

        Lap(clock, "batches");
        var replacementLines = new List<string>();
        var nextRank = selected.GroupBy(s => s.Stratum).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var current = selected.ToDictionary(s => s.Id, s => s.Stratum, StringComparer.Ordinal);
        for (var n = 0; n < replacements.Count; n++)
        {
            var request = replacements[n];
            var seq = $"{n + 1:D4}";
            var targetId = Canonical.Id(request.TargetId);
            if (request.Kind == "target")
            {
                if (!current.Remove(targetId, out var stratum)) throw new DrawException($"Replacement {seq}: target {targetId} is not among the drawn targets.");
                state.Release(targetId);
                var order = rankings[stratum];
                var rank = nextRank[stratum];
                while (rank < order.Length && (current.ContainsKey(ranking.Id(order[rank])) || state.WasReplaced(ranking.Id(order[rank])))) rank++;
                state.MarkReplaced(targetId);
                if (rank >= order.Length)
                {
                    replacementLines.Add($"R|{seq}|target|{targetId}|-");
                    continue;
                }
                nextRank[stratum] = rank + 1;
                var replacement = ranking.Id(order[rank]);
                current[replacement] = stratum;
                replacementLines.Add($"R|{seq}|target|{targetId}|{replacement}");
                replacementLines.AddRange(state.DrawTeam(replacement, prefix: $"R|{seq}|member"));
            }
            else if (request.Kind == "inspector")
            {
                var inspectorId = Canonical.Id(request.InspectorId ?? throw new DrawException($"Replacement {seq}: an inspector recusal names the inspector."));
                if (!current.ContainsKey(targetId)) throw new DrawException($"Replacement {seq}: target {targetId} is not among the drawn targets.");
                var substitute = state.Recuse(targetId, inspectorId, seq);
                replacementLines.Add($"R|{seq}|inspector|{targetId}|{inspectorId}|{substitute ?? "-"}");
            }
            else throw new DrawException($"Replacement {seq}: unknown kind '{request.Kind}'.");
        }

        Lap(clock, "replacements");
        var outputs = new DrawOutputs(Canonical.File(targetLines), Canonical.File(teamLines), Canonical.File(batchLines), Canonical.File(replacementLines));
        Lap(clock, "output files");
        return outputs;
    }
}

/// <summary>Candidates of each stratum in ranking order, by index, with their ids and keys.</summary>
internal interface ITargetRanking
{
    Dictionary<string, int[]> ByStratum { get; }
    string Id(int index);
    string KeyHex(int index);
}

public sealed class DrawException(string message) : Exception(message);

internal sealed class ByteOrder : IComparer<byte[]>
{
    public static readonly ByteOrder Instance = new();
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
