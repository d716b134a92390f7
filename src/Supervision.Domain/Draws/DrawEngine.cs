namespace Supervision.Domain.Draws;

/// <summary>
/// The draw, version <see cref="Algorithm"/>: freeze and commit, then derive a key from witnessed randomness, then rank
/// every candidate by a keyed hash and take the quota. Pure and deterministic: no clock, no System.Random, no floating
/// point, no culture. docs/draw-algorithm.md is the specification; this is one implementation of it.
/// </summary>
public static partial class DrawEngine
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

    internal static byte[] KeyFor(byte[] prk, string info)
    {
        var key = new byte[32];
        RankKey(prk, info, key);
        return key;
    }

    internal static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
