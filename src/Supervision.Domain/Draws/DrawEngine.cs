using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Supervision.Domain.Draws;

/// <summary>
/// The draw, version <see cref="Algorithm"/>: freeze and commit, then derive a key from witnessed randomness, then rank
/// every candidate by a keyed hash and take the quota. Pure and deterministic: no clock, no System.Random, no floating
/// point, no culture. docs/draw-algorithm.md is the specification; this is one implementation of it.
/// </summary>
public static class DrawEngine
{
    public const string Algorithm = "supervision-draw/1";
    private static readonly string[] CommitmentParts = ["parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas"];

    // ---- 1. Freeze and commit ----

    public sealed record Frozen(DrawFiles Files, string Commitment, string CommitmentSha256);

    public static Frozen Freeze(DrawSetup setup, IEnumerable<PoolTarget> targets, IEnumerable<PoolExclusion> exclusions,
        IEnumerable<PoolInspector> inspectors, IEnumerable<PoolConflict> conflicts, string serverSecretSha256)
    {
        var targetList = targets.ToList();
        var parameters = Canonical.File(ParameterLines(setup));
        var targetFile = Canonical.File(targetList.Select(t => Canonical.Line("T", t.Stratum, Canonical.Id(t.Id), t.Identifier)));
        var exclusionFile = Canonical.File(exclusions.Select(x => Canonical.Line("X", x.Kind, Canonical.Id(x.Id), x.Label, x.Reason)));
        var inspectorFile = Canonical.File(inspectors.Select(i => Canonical.Line("I", Canonical.Id(i.Id), Canonical.Id(i.DepartmentId), i.Expert ? "1" : "0", i.StaffCode)));
        var conflictFile = Canonical.File(conflicts.Distinct().Select(c => Canonical.Line("C", Canonical.Id(c.InspectorId), Canonical.Id(c.TargetId))));
        var pools = targetList.GroupBy(t => Canonical.Field(t.Stratum)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var quotaFile = Canonical.File(Quotas(setup.Sampling, pools).Select(QuotaLine));
        var files = new DrawFiles(parameters, targetFile, exclusionFile, inspectorFile, conflictFile, quotaFile);
        var commitment = Commitment(setup.DrawId, files, serverSecretSha256);
        return new Frozen(files, commitment, Canonical.Sha256Hex(commitment));
    }

    /// <summary>Strata are kept in their escaped file form throughout, so the quota line must not escape them again.</summary>
    internal static string QuotaLine((string Stratum, int Pool, int Quota) q) => $"Q|{q.Stratum}|{Number(q.Pool)}|{Number(q.Quota)}";

    public static IEnumerable<string> ParameterLines(DrawSetup setup)
    {
        yield return Canonical.Line("P", "algorithm", Algorithm);
        yield return Canonical.Line("P", "batches", Number(setup.Batches));
        yield return Canonical.Line("P", "draw", Canonical.Id(setup.DrawId));
        yield return Canonical.Line("P", "inspectors-per-target", Number(setup.InspectorsPerTarget));
        yield return Canonical.Line("P", "load-cap", Number(setup.LoadCap));
        yield return Canonical.Line("P", "plan", setup.PlanNumber);
        yield return Canonical.Line("P", "pool-as-of-sequence", setup.PoolAsOfSequence.ToString(CultureInfo.InvariantCulture));
        var sampling = setup.Sampling;
        if (sampling.RatioBasisPoints is { } bp) yield return Canonical.Line("P", "sampling", "ratio", Number(bp));
        if (sampling.FixedCount is { } count) yield return Canonical.Line("P", "sampling", "fixed", Number(count));
        foreach (var c in sampling.ClassBasisPoints ?? []) yield return Canonical.Line("P", "sampling", "class", c.CreditClass, Number(c.BasisPoints));
        yield return Canonical.Line("P", "task", setup.TaskNumber);
        foreach (var slot in setup.TeamComposition) yield return Canonical.Line("P", "team", Canonical.Id(slot.DepartmentId), Number(slot.Count));
        yield return Canonical.Line("P", "window", setup.WindowFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            setup.WindowTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public static string Commitment(Guid drawId, DrawFiles files, string serverSecretSha256)
    {
        var text = new StringBuilder();
        text.Append(Algorithm).Append('\n');
        text.Append("draw|").Append(Canonical.Id(drawId)).Append('\n');
        foreach (var (part, content) in CommitmentParts.Zip(FileContents(files)))
            text.Append(part).Append('|').Append(Canonical.Sha256Hex(content)).Append('\n');
        text.Append("server-secret-sha256|").Append(serverSecretSha256).Append('\n');
        return text.ToString();
    }

    private static IEnumerable<string> FileContents(DrawFiles f) => [f.Parameters, f.Targets, f.Exclusions, f.Inspectors, f.Conflicts, f.Quotas];

    /// <summary>
    /// Quotas per stratum in integers: exact quota = pool × basis points / 10000; the total is the exact sum rounded up
    /// (the plan's ratio is a floor, 不低于); each stratum gets its floor, and the seats left go to the largest
    /// remainders, ties to the bytewise-smaller stratum. A fixed count is one stratum, capped by the pool.
    /// </summary>
    public static IReadOnlyList<(string Stratum, int Pool, int Quota)> Quotas(DrawSampling sampling, IReadOnlyDictionary<string, int> pools)
    {
        var strata = pools.Keys.Order(Canonical.Utf8ByteOrder.Instance).ToList();
        if (sampling.FixedCount is { } fixedCount)
            return strata.Select(s => (s, pools[s], Math.Min(fixedCount, pools[s]))).ToList();

        long BasisPointsFor(string stratum) => sampling.RatioBasisPoints
            ?? sampling.ClassBasisPoints?.FirstOrDefault(c => Canonical.Field(c.CreditClass) == stratum)?.BasisPoints ?? 0;
        var numerators = strata.Select(s => (Stratum: s, Numerator: pools[s] * BasisPointsFor(s))).ToList();
        var total = (int)((numerators.Sum(n => n.Numerator) + 9999) / 10000);
        var quotas = numerators.ToDictionary(n => n.Stratum, n => (int)(n.Numerator / 10000), StringComparer.Ordinal);
        var left = total - quotas.Values.Sum();
        foreach (var (stratum, _) in numerators.Where(n => n.Numerator % 10000 > 0)
                     .OrderByDescending(n => n.Numerator % 10000).ThenBy(n => n.Stratum, Canonical.Utf8ByteOrder.Instance).Take(left))
            quotas[stratum]++;
        return strata.Select(s => (s, pools[s], Math.Min(quotas[s], pools[s]))).ToList();
    }

    // ---- 2. Randomness ----

    /// <summary>
    /// The canonical form of a source's raw value. A server secret is 32 bytes in lowercase hex; anything read out or
    /// fetched (witness values, beacons) is NFC, trimmed, with every run of white space made one space.
    /// </summary>
    public static string CanonicalRandomness(string source, string raw)
    {
        if (source == "server-secret") return raw.Trim().ToLowerInvariant();
        var nfc = raw.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(nfc.Length);
        var space = false;
        foreach (var c in nfc.Trim())
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space) builder.Append(' ');
            space = false;
            builder.Append(c);
        }
        return builder.ToString();
    }

    public static string RandomnessText(IEnumerable<RandomnessSource> sources) =>
        Canonical.File(sources.Select(s => Canonical.Line("R", s.Source, s.Canonical)));

    /// <summary>PRK = HKDF-Extract(salt = SHA-256(commitment), IKM = canonical randomness), SHA-256 (RFC 5869).</summary>
    public static byte[] DeriveKey(string commitment, IEnumerable<RandomnessSource> sources)
    {
        var salt = SHA256.HashData(Canonical.Utf8.GetBytes(commitment));
        return HKDF.Extract(HashAlgorithmName.SHA256, Canonical.Utf8.GetBytes(RandomnessText(sources)), salt);
    }

    /// <summary>HKDF-Expand(PRK, info, 32): with one block, HMAC-SHA256(PRK, info ‖ 0x01).</summary>
    public static void RankKey(ReadOnlySpan<byte> prk, string info, Span<byte> key)
    {
        Span<byte> buffer = stackalloc byte[512];
        var length = Canonical.Utf8.GetBytes(info, buffer);
        ExpandFirstBlock(prk, buffer[..length], key, buffer);
    }

    /// <summary>The first 32 bytes of HKDF-Expand(PRK, info, L): T(1) = HMAC-SHA256(PRK, info ‖ 0x01) (RFC 5869, 2.3).</summary>
    public static void ExpandFirstBlock(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> info, Span<byte> key, Span<byte> scratch)
    {
        if (!info.Overlaps(scratch)) info.CopyTo(scratch);
        scratch[info.Length] = 0x01;
        HMACSHA256.HashData(prk, scratch[..(info.Length + 1)], key);
    }

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

    internal static byte[] KeyFor(byte[] prk, string info)
    {
        var key = new byte[32];
        RankKey(prk, info, key);
        return key;
    }

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    // ---- 4. Verification ----

    /// <summary>Replays a record from its own contents and reports a match or the first difference.</summary>
    public static Verification Verify(DrawRecord record)
    {
        if (record.Algorithm != Algorithm)
            return Verification.Differs("algorithm", null, Algorithm, record.Algorithm, $"This verifier implements {Algorithm}, the record says {record.Algorithm}.");
        var commitmentLines = Canonical.Lines(record.Commitment);
        var secretLine = commitmentLines.FirstOrDefault(l => l.StartsWith("server-secret-sha256|", StringComparison.Ordinal));
        var expectedCommitment = Commitment(record.DrawId, record.Files, secretLine?["server-secret-sha256|".Length..] ?? "");
        if (FirstDifference("commitment", expectedCommitment, record.Commitment) is { } commitmentDiffers) return commitmentDiffers;
        if (Canonical.Sha256Hex(record.Commitment) != record.CommitmentSha256)
            return Verification.Differs("commitmentSha256", null, Canonical.Sha256Hex(record.Commitment), record.CommitmentSha256, "The commitment's hash is not the recorded one.");

        DrawParameters parameters;
        try
        {
            parameters = DrawParameters.Parse(record.Files.Parameters);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException)
        {
            return Verification.Differs("files.parameters", null, null, null, $"The parameters file cannot be read: {e.Message}");
        }
        if (parameters.Limits() is { } outOfBounds) return Verification.Differs("files.parameters", null, null, null, outOfBounds);
        if (parameters.Algorithm != Algorithm || parameters.DrawId != Canonical.Id(record.DrawId))
            return Verification.Differs("files.parameters", null, Algorithm, parameters.Algorithm, "The parameters name another algorithm or draw.");
        var pools = StratumSizes(record.Files.Targets);
        var quotas = Canonical.File(Quotas(parameters.Sampling, pools).Select(QuotaLine));
        if (FirstDifference("files.quotas", quotas, record.Files.Quotas) is { } quotasDiffer) return quotasDiffer;

        foreach (var source in record.Randomness)
        {
            if (CanonicalRandomness(source.Source, source.Raw) != source.Canonical)
                return Verification.Differs($"randomness.{source.Source}", null, CanonicalRandomness(source.Source, source.Raw), source.Canonical, $"The canonical form of the {source.Source} value does not follow from its raw value.");
        }
        if (record.Randomness.Count(s => s.Source == "server-secret") != 1 || record.Randomness.Count(s => s.Source == "witness") < 1)
            return Verification.Differs("randomness", null, "one server-secret and at least one witness", string.Join(",", record.Randomness.Select(s => s.Source)), "The randomness sources are incomplete.");
        var secret = record.Randomness.Single(s => s.Source == "server-secret").Canonical;
        var secretHash = secret.Length == 64 && secret.All(char.IsAsciiHexDigitLower) ? Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(secret))) : "";
        if (secretLine is null || secretHash != secretLine["server-secret-sha256|".Length..])
            return Verification.Differs("randomness.server-secret", null, secretLine, secretHash, "The revealed server secret does not hash to the value in the commitment.");

        // The draw itself first (sections 5, 6, 8), then the replacements (section 7): a wrong draw is named as such,
        // not as a replacement that no longer fits it.
        var prk = DeriveKey(record.Commitment, record.Randomness);
        DrawOutputs outputs;
        try
        {
            outputs = Run(record.Files, prk, []);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException or KeyNotFoundException or InvalidOperationException or DrawException)
        {
            // A record is data from anywhere: a malformed file is a named difference, never a crash of the verifier.
            return Verification.Differs("files", null, null, null, $"The files cannot be replayed: {e.Message}");
        }
        var drawn = outputs;
        var drawDiffers = FirstDifference("outputs.targets", drawn.Targets, record.Outputs.Targets)
            ?? FirstDifference("outputs.teams", drawn.Teams, record.Outputs.Teams)
            ?? FirstDifference("outputs.batches", drawn.Batches, record.Outputs.Batches);
        if (drawDiffers is not null) return drawDiffers;
        if (record.Replacements.Count == 0)
            return FirstDifference("outputs.replacements", outputs.Replacements, record.Outputs.Replacements) ?? Verification.Match();
        try
        {
            outputs = Run(record.Files, prk, record.Replacements);
        }
        catch (Exception e) when (e is DrawException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return Verification.Differs("replacements", null, null, null, e.Message);
        }
        return FirstDifference("outputs.replacements", outputs.Replacements, record.Outputs.Replacements) ?? Verification.Match();
    }

    private static Dictionary<string, int> StratumSizes(string targets)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = sizes.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var text in Canonical.Lines(targets))
        {
            if (text.Length < 3) continue;
            var rest = text.AsSpan(2);
            var stratum = rest[..Math.Max(0, rest.IndexOf('|'))];
            lookup[stratum] = lookup.TryGetValue(stratum, out var n) ? n + 1 : 1;
        }
        return sizes;
    }

    /// <summary>The first differing line of two files, named by part (shared by every algorithm version).</summary>
    internal static Verification? FirstDifference(string part, string expected, string actual)
    {
        if (expected == actual) return null;
        var e = Canonical.Lines(expected);
        var a = Canonical.Lines(actual);
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : null;
            var right = i < a.Length ? a[i] : null;
            if (left != right)
                return Verification.Differs(part, i + 1, left, right, $"{part} differs at line {i + 1}: expected '{left ?? "(nothing)"}', the record has '{right ?? "(nothing)"}'.");
        }
        return Verification.Differs(part, null, null, null, $"{part} differs in its line endings or encoding.");
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
