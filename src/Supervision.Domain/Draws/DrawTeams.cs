using System.Buffers.Binary;

namespace Supervision.Domain.Draws;

/// <summary>The parameters file read back (docs/draw-algorithm.md, section 2.1).</summary>
internal sealed record DrawParameters(string Algorithm, string DrawId, int Batches, int InspectorsPerTarget, int LoadCap,
    DrawSampling Sampling, IReadOnlyList<(string DepartmentId, int Count)> Team)
{
    public int TeamSize => Team.Count > 0 ? Team.Sum(t => t.Count) : InspectorsPerTarget;

    /// <summary>Bounds a verifier enforces before replaying a record from anywhere (a hostile one must not exhaust it).</summary>
    public string? Limits() =>
        Batches is < 1 or > 100 ? $"batches must be 1 to 100, the record says {Batches}."
        : InspectorsPerTarget is < 1 or > 50 ? $"inspectors-per-target must be 1 to 50, the record says {InspectorsPerTarget}."
        : Team.Any(t => t.Count is < 1 or > 50) || Team.Sum(t => (long)t.Count) > 50 ? "a team has 1 to 50 members."
        : LoadCap < 0 ? "load-cap is 0 or more."
        : null;

    public static DrawParameters Parse(string file)
    {
        string algorithm = "", draw = "";
        int batches = 1, perTarget = 0, cap = 0;
        int? ratio = null, fixedCount = null;
        var classes = new List<ClassBasisPoints>();
        var team = new List<(string Position, string Department, int Count)>();
        foreach (var fields in Canonical.Lines(file).Select(l => l.Split('|')))
        {
            int Int(int index) => int.Parse(fields[index], NumberStyles.None, CultureInfo.InvariantCulture);
            switch (fields[1])
            {
                case "algorithm": algorithm = fields[2]; break;
                case "draw": draw = fields[2]; break;
                case "batches": batches = Int(2); break;
                case "inspectors-per-target": perTarget = Int(2); break;
                case "load-cap": cap = Int(2); break;
                case "sampling" when fields[2] == "ratio": ratio = Int(3); break;
                case "sampling" when fields[2] == "fixed": fixedCount = Int(3); break;
                case "sampling" when fields[2] == "class": classes.Add(new ClassBasisPoints(Canonical.Unescape(fields[3]), Int(4))); break;
                // /1: P|team|<department>|<count> in file order; /2: P|team|<position>|<department>|<count>, the lead department at 01.
                case "team" when fields.Length == 5: team.Add((fields[2], fields[3], Int(4))); break;
                case "team": team.Add(("", fields[2], Int(3))); break;
            }
        }
        return new DrawParameters(algorithm, draw, batches, perTarget, cap, new DrawSampling(ratio, fixedCount, classes.Count > 0 ? classes : null),
            team.OrderBy(t => t.Position, StringComparer.Ordinal).Select(t => (t.Department, t.Count)).ToList());
    }
}

/// <summary>
/// Teams for drawn targets (docs/draw-algorithm.md, section 5): for each target, the inspectors not in conflict with it,
/// ranked by HKDF-Expand(PRK, "I|target|inspector"); each slot takes the first candidate of its department who is not in
/// the team, not recused from this target and under the load cap; an expert cannot take the team's last open slot
/// while the team has no non-expert (专家 cannot form a team alone).
/// </summary>
internal sealed class TeamState
{
    private sealed record Candidate(string Id, string DepartmentId, bool Expert);
    private sealed record Member(int Slot, string? InspectorId, string DepartmentId);

    private readonly byte[] prk;
    private readonly DrawComputation computation;
    private readonly DrawParameters parameters;
    private readonly Candidate[] inspectors;
    /// <summary>Declared conflicts by target: the inspectors who may not inspect it.</summary>
    private readonly Dictionary<string, HashSet<string>> conflicts;
    private readonly byte[][] inspectorBytes;
    private readonly HashSet<string> expertIds;
    private readonly Dictionary<string, int> loads = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Member>> teams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> recused = new(StringComparer.Ordinal);
    private readonly HashSet<string> replacedTargets = new(StringComparer.Ordinal);

    public TeamState(DrawFiles files, byte[] prk, DrawParameters parameters, DrawComputation computation)
    {
        this.prk = prk;
        this.computation = computation;
        this.parameters = parameters;
        inspectors = Canonical.Lines(files.Inspectors).Select(l => l.Split('|')).Select(f => new Candidate(f[1], f[2], f[3] == "1")).ToArray();
        inspectorBytes = inspectors.Select(i => Canonical.Utf8.GetBytes(i.Id)).ToArray();
        conflicts = Canonical.Lines(files.Conflicts).Select(l => l.Split('|'))
            .GroupBy(f => f[2], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(f => f[1]).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        expertIds = inspectors.Where(i => i.Expert).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
    }

    private bool InConflict(string inspectorId, string targetId) => conflicts.TryGetValue(targetId, out var set) && set.Contains(inspectorId);

    private readonly Dictionary<string, List<Candidate>> rankings = new(StringComparer.Ordinal);

    /// <summary>Ranks the inspectors for many targets at once, on all cores (rankings do not depend on each other).</summary>
    public void PrepareRankings(IEnumerable<string> targetIds)
    {
        var targets = targetIds.Where(t => !rankings.ContainsKey(t)).Distinct().ToArray();
        var computed = new List<Candidate>[targets.Length];
        var workers = Math.Max(1, Math.Min(computation.Workers, targets.Length));
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
        {
            using var keys = new LabelKeys(prk, computation.Vectorized);
            var scratch = new RankScratch();
            for (var t = worker; t < targets.Length; t += workers) computed[t] = Rank(targets[t], keys, scratch);
        });
        for (var t = 0; t < targets.Length; t++) rankings[targets[t]] = computed[t];
    }

    private List<Candidate> Ranking(string targetId)
    {
        if (rankings.TryGetValue(targetId, out var ranking)) return ranking;
        using var keys = new LabelKeys(prk, computation.Vectorized);
        return rankings[targetId] = Rank(targetId, keys, new RankScratch());
    }

    /// <summary>One worker's buffers for the labels "I|target|inspector" of one target and their keys, reused target after target.</summary>
    private sealed class RankScratch
    {
        public byte[] Labels = new byte[4096];
        public int[] Starts = new int[64];
        public int[] Lengths = new int[64];
        public byte[] Keys = new byte[64 * 32];
        public Keyed[] Order = new Keyed[64];

        public void Ensure(int count, int bytes)
        {
            if (Labels.Length < bytes) Labels = new byte[bytes * 2];
            if (Starts.Length >= count) return;
            Starts = new int[count * 2];
            Lengths = new int[count * 2];
            Keys = new byte[count * 2 * 32];
            Order = new Keyed[count * 2];
        }
    }

    /// <summary>A candidate's key as four big-endian words (compared in that order) and the candidate's position.</summary>
    private readonly record struct Keyed(ulong K0, ulong K1, ulong K2, ulong K3, int Inspector);

    /// <summary>The inspectors not in conflict with the target, by HKDF-Expand(PRK, "I|target|inspector") ascending, ties by id.</summary>
    private List<Candidate> Rank(string targetId, LabelKeys keys, RankScratch scratch)
    {
        conflicts.TryGetValue(targetId, out var excluded);
        var prefix = Canonical.Utf8.GetByteCount(targetId) + 3;
        var count = 0;
        var bytes = 0;
        foreach (var id in inspectorBytes) bytes += prefix + id.Length;
        scratch.Ensure(inspectors.Length, bytes);
        var labels = scratch.Labels.AsSpan();
        var at = 0;
        for (var i = 0; i < inspectors.Length; i++)
        {
            if (excluded is not null && excluded.Contains(inspectors[i].Id)) continue;
            // "I|" + target + "|" + inspector, written straight into the batch's buffer.
            var label = labels[at..];
            label[0] = (byte)'I';
            label[1] = (byte)'|';
            Canonical.Utf8.GetBytes(targetId, label[2..]);
            label[prefix - 1] = (byte)'|';
            inspectorBytes[i].CopyTo(label[prefix..]);
            scratch.Starts[count] = at;
            scratch.Lengths[count] = prefix + inspectorBytes[i].Length;
            scratch.Order[count] = new Keyed(0, 0, 0, 0, i);
            at += scratch.Lengths[count];
            count++;
        }
        keys.Compute(labels, scratch.Starts.AsSpan(0, count), scratch.Lengths.AsSpan(0, count), scratch.Keys);
        for (var n = 0; n < count; n++)
        {
            var key = scratch.Keys.AsSpan(n * 32, 32);
            scratch.Order[n] = new Keyed(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt64BigEndian(key[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(key[16..]), BinaryPrimitives.ReadUInt64BigEndian(key[24..]), scratch.Order[n].Inspector);
        }
        var order = scratch.Order.AsSpan(0, count);
        order.Sort((x, y) =>
            x.K0 != y.K0 ? x.K0.CompareTo(y.K0) : x.K1 != y.K1 ? x.K1.CompareTo(y.K1) : x.K2 != y.K2 ? x.K2.CompareTo(y.K2)
            : x.K3 != y.K3 ? x.K3.CompareTo(y.K3) : string.CompareOrdinal(inspectors[x.Inspector].Id, inspectors[y.Inspector].Id));
        var ranking = new List<Candidate>(count);
        foreach (var keyed in order) ranking.Add(inspectors[keyed.Inspector]);
        return ranking;
    }

    private bool CanTake(Candidate c, string targetId, IReadOnlyCollection<Member> team, int openSlotsAfter) =>
        team.All(m => m.InspectorId != c.Id)
        && !(recused.TryGetValue(targetId, out var out_) && out_.Contains(c.Id))
        && (parameters.LoadCap == 0 || loads.GetValueOrDefault(c.Id) < parameters.LoadCap)
        && !(c.Expert && openSlotsAfter == 0 && !team.Any(m => m.InspectorId is { } id && !IsExpert(id)));

    private bool IsExpert(string id) => expertIds.Contains(id);

    public IEnumerable<string> DrawTeam(string targetId, string prefix)
    {
        var ranking = Ranking(targetId);
        // Used once here; a later recusal ranks this target again (the same keys, so the same order).
        rankings.Remove(targetId);
        var team = new List<Member>();
        var slots = parameters.Team.Count > 0
            ? parameters.Team.SelectMany(t => Enumerable.Repeat(t.DepartmentId, t.Count)).ToList()
            : Enumerable.Repeat("*", parameters.InspectorsPerTarget).ToList();
        foreach (var department in slots)
        {
            var openSlotsAfter = slots.Count - team.Count - 1;
            var pick = ranking.FirstOrDefault(c => (department == "*" || c.DepartmentId == department) && CanTake(c, targetId, team, openSlotsAfter));
            team.Add(new Member(team.Count + 1, pick?.Id, department));
            if (pick is not null) loads[pick.Id] = loads.GetValueOrDefault(pick.Id) + 1;
        }
        teams[targetId] = team;
        return team.Select(m => $"{prefix}|{targetId}|{m.Slot:D2}|{m.InspectorId ?? "-"}|{m.DepartmentId}");
    }

    /// <summary>The next inspector in this target's ranking takes the recused one's slot, under the same rules.</summary>
    public string? Recuse(string targetId, string inspectorId, string seq)
    {
        var team = teams[targetId];
        var index = team.FindIndex(m => m.InspectorId == inspectorId);
        if (index < 0) throw new DrawException($"Replacement {seq}: inspector {inspectorId} is not in the team of target {targetId}.");
        var member = team[index];
        if (!recused.TryGetValue(targetId, out var set)) recused[targetId] = set = new HashSet<string>(StringComparer.Ordinal);
        set.Add(inspectorId);
        loads[inspectorId]--;
        var rest = team.Where((_, i) => i != index).ToList();
        var pick = Ranking(targetId).FirstOrDefault(c => (member.DepartmentId == "*" || c.DepartmentId == member.DepartmentId) && CanTake(c, targetId, rest, 0));
        team[index] = member with { InspectorId = pick?.Id };
        if (pick is not null) loads[pick.Id] = loads.GetValueOrDefault(pick.Id) + 1;
        return pick?.Id;
    }

    /// <summary>A replaced target gives its team's load back.</summary>
    public void Release(string targetId)
    {
        if (!teams.Remove(targetId, out var team)) return;
        foreach (var member in team.Where(m => m.InspectorId is not null)) loads[member.InspectorId!]--;
    }

    public void MarkReplaced(string targetId) => replacedTargets.Add(targetId);

    public bool WasReplaced(string targetId) => replacedTargets.Contains(targetId);
}
