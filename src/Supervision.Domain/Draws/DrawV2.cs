using System.Text.RegularExpressions;

namespace Supervision.Domain.Draws;

/// <summary>
/// The draw, version <see cref="Algorithm"/> (docs/draw-algorithm.md): the randomness plan and both contributions inside the
/// commitment, every later act chained into the record hash, and strictly canonical files. Selection, teams, batches and
/// replacements are those of <see cref="DrawEngine.Run"/>. Pure and deterministic: time comes in as a parameter.
/// </summary>
public static partial class DrawV2
{
    public const string Algorithm = "supervision-draw/2";
    public const string Ceremony = "ceremony";
    public const string Beacon = "beacon";
    public const string DepartmentParty = "department";
    public const string DisciplineParty = "discipline";
    public const string RecordPublicImmediately = "immediately";
    public const string RecordPublicAtInspectionsStart = "inspections-start";
    public const int MaxValueLength = 500;
    public const int MaxDescriptionLength = 500;

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    public static partial Regex SourceName();

    [GeneratedRegex("^(0|[1-9][0-9]{0,9})$")]
    private static partial Regex Number();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();

    [GeneratedRegex("^[a-z-]{1,40}:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|-):[0-9a-f]{16}$")]
    private static partial Regex ActorForm();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")]
    private static partial Regex InstantForm();

    private static readonly string[] FileNames = ["parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas", "sources"];

    // ---- Freeze and commit (sections 2 and 3) ----

    /// <summary>The frozen files and the commitment up to (and with) the department's contribution hash; the discipline line completes it.</summary>
    /// <param name="Targets">When the targets were frozen as bytes (<see cref="DrawPools.BuildStreamed"/>): the targets file, whose
    /// text <paramref name="Files"/> then leaves empty.</param>
    public sealed record Proposal(DrawFiles Files, string CommitmentBase, FrozenTargets? Targets = null);

    /// <summary>The freeze of pools whose targets file is already bytes: the same files and commitment as <see cref="Freeze(DrawSetup, IEnumerable{PoolTarget}, IEnumerable{PoolExclusion}, IEnumerable{PoolInspector}, IEnumerable{PoolConflict}, IEnumerable{RandomnessSourceDeclaration}, string)"/>, files.Targets empty.</summary>
    public static Proposal Freeze(DrawSetup setup, FrozenTargets targets, IEnumerable<PoolExclusion> exclusions, IEnumerable<PoolInspector> inspectors,
        IEnumerable<PoolConflict> conflicts, IEnumerable<RandomnessSourceDeclaration> sources, string departmentContributionSha256)
    {
        var files = new DrawFiles(
            Canonical.File(ParameterLines(setup)),
            "",
            Canonical.File(exclusions.Select(x => Canonical.Line("X", x.Kind, Canonical.Id(x.Id), x.Label, x.Reason))),
            Canonical.File(inspectors.Select(i => Canonical.Line("I", Canonical.Id(i.Id), Canonical.Id(i.DepartmentId), i.Expert ? "1" : "0"))),
            Canonical.File(conflicts.Distinct().Select(c => Canonical.Line("C", Canonical.Id(c.InspectorId), Canonical.Id(c.TargetId)))),
            Canonical.File(DrawEngine.Quotas(setup.Sampling, targets.Pools).Select(DrawEngine.QuotaLine)),
            Canonical.File(sources.Select(s => Canonical.Line("S", s.Name, s.Kind, Instant(s.NotBefore), s.Description))));
        return new Proposal(files, CommitmentBase(setup.DrawId, files, departmentContributionSha256, targets.Sha256), targets);
    }

    public static Proposal Freeze(DrawSetup setup, IEnumerable<PoolTarget> targets, IEnumerable<PoolExclusion> exclusions, IEnumerable<PoolInspector> inspectors,
        IEnumerable<PoolConflict> conflicts, IEnumerable<RandomnessSourceDeclaration> sources, string departmentContributionSha256)
    {
        var targetList = targets.ToList();
        var files = new DrawFiles(
            Canonical.File(ParameterLines(setup)),
            Canonical.File(targetList.Select(t => Canonical.Line("T", t.Stratum, Canonical.Id(t.Id), t.Identifier))),
            Canonical.File(exclusions.Select(x => Canonical.Line("X", x.Kind, Canonical.Id(x.Id), x.Label, x.Reason))),
            Canonical.File(inspectors.Select(i => Canonical.Line("I", Canonical.Id(i.Id), Canonical.Id(i.DepartmentId), i.Expert ? "1" : "0"))),
            Canonical.File(conflicts.Distinct().Select(c => Canonical.Line("C", Canonical.Id(c.InspectorId), Canonical.Id(c.TargetId)))),
            Canonical.File(DrawEngine.Quotas(setup.Sampling, targetList.GroupBy(t => Canonical.Field(t.Stratum)).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal))
                .Select(DrawEngine.QuotaLine)),
            Canonical.File(sources.Select(s => Canonical.Line("S", s.Name, s.Kind, Instant(s.NotBefore), s.Description))));
        return new Proposal(files, CommitmentBase(setup.DrawId, files, departmentContributionSha256));
    }

    public static IEnumerable<string> ParameterLines(DrawSetup setup)
    {
        static string N(long value) => value.ToString(CultureInfo.InvariantCulture);
        yield return Canonical.Line("P", "algorithm", Algorithm);
        yield return Canonical.Line("P", "batches", N(setup.Batches));
        yield return Canonical.Line("P", "draw", Canonical.Id(setup.DrawId));
        yield return Canonical.Line("P", "inspectors-per-target", N(setup.InspectorsPerTarget));
        yield return Canonical.Line("P", "load-cap", N(setup.LoadCap));
        yield return Canonical.Line("P", "partial-teams", setup.PartialTeams ? "1" : "0");
        yield return Canonical.Line("P", "plan", setup.PlanNumber);
        yield return Canonical.Line("P", "pool-as-of-sequence", N(setup.PoolAsOfSequence));
        yield return Canonical.Line("P", "record-public", setup.RecordPublic);
        if (setup.ReplacesDrawId is { } replaces) yield return Canonical.Line("P", "replaces", Canonical.Id(replaces));
        var sampling = setup.Sampling;
        if (sampling.RatioBasisPoints is { } bp) yield return Canonical.Line("P", "sampling", "ratio", N(bp));
        if (sampling.FixedCount is { } count) yield return Canonical.Line("P", "sampling", "fixed", N(count));
        foreach (var c in sampling.ClassBasisPoints ?? []) yield return Canonical.Line("P", "sampling", "class", c.CreditClass, N(c.BasisPoints));
        yield return Canonical.Line("P", "task", setup.TaskNumber);
        for (var i = 0; i < setup.TeamComposition.Count; i++)
            yield return Canonical.Line("P", "team", (i + 1).ToString("D2", CultureInfo.InvariantCulture), Canonical.Id(setup.TeamComposition[i].DepartmentId), N(setup.TeamComposition[i].Count));
        yield return Canonical.Line("P", "window", setup.WindowFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), setup.WindowTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public static string CommitmentBase(Guid drawId, DrawFiles files, string departmentContributionSha256) =>
        CommitmentBase(drawId, files, departmentContributionSha256, null);

    /// <param name="targetsSha256">The targets file's hash when it was computed over its bytes (files.Targets is then not read).</param>
    public static string CommitmentBase(Guid drawId, DrawFiles files, string departmentContributionSha256, string? targetsSha256)
    {
        var text = new StringBuilder();
        text.Append(Algorithm).Append('\n').Append("draw|").Append(Canonical.Id(drawId)).Append('\n');
        foreach (var (name, content) in FileNames.Zip(Contents(files)))
            text.Append(name).Append('|').Append(name == "targets" && targetsSha256 is not null ? targetsSha256 : Canonical.Sha256Hex(content ?? "")).Append('\n');
        return text.Append("contribution|department|").Append(departmentContributionSha256).Append('\n').ToString();
    }

    public static string Commitment(string commitmentBase, string disciplineContributionSha256) =>
        commitmentBase + "contribution|discipline|" + disciplineContributionSha256 + "\n";

    private static IEnumerable<string?> Contents(DrawFiles f) => [f.Parameters, f.Targets, f.Exclusions, f.Inspectors, f.Conflicts, f.Quotas, f.Sources];

    /// <summary>SHA-256 of a contribution's 32 bytes (not of its hex text).</summary>
    public static string ContributionSha256(string hex) => Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(hex)));

    public static bool IsContribution(string? hex) => hex is not null && Hex64().IsMatch(hex);

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // ---- Randomness (section 4) ----

    /// <summary>NFC, white space (Unicode White_Space) trimmed, every run of it made one U+0020.</summary>
    public static string CanonicalValue(string raw) => DrawEngine.CanonicalRandomness("value", raw);

    public static string RandomnessText(IEnumerable<(string Name, string Value)> values, string departmentHex, string disciplineHex) =>
        Canonical.File(values.Select(v => Canonical.Line("R", v.Name, v.Value))
            .Append(Canonical.Line("K", DepartmentParty, departmentHex)).Append(Canonical.Line("K", DisciplineParty, disciplineHex)));

    public static byte[] DeriveKey(string commitment, string randomnessText) =>
        HKDF.Extract(HashAlgorithmName.SHA256, Canonical.Utf8.GetBytes(randomnessText), SHA256.HashData(Canonical.Utf8.GetBytes(commitment)));

    // ---- Acts and the chain (section 9) ----

    /// <summary>role:department:digest, where the digest is 16 hex of a keyed hash of the user id (computed by the caller, who holds the key).</summary>
    public static string ActorField(string role, Guid? departmentId, string digest) =>
        $"{role}:{(departmentId is { } d ? Canonical.Id(d) : "-")}:{digest}";

    public static string Act(int number, DateTimeOffset at, string actor, string kind, params string[] fields) =>
        Canonical.Line(["A", number.ToString(CultureInfo.InvariantCulture), Instant(at), actor, kind, .. fields]);

    public static string Chain(string previous, string act) => Canonical.Sha256Hex(previous + act + "\n");

    public static string ChainHead(string commitmentSha256, IEnumerable<string> acts) => acts.Aggregate(commitmentSha256, Chain);

    /// <summary>The outputs of the draw proper (sections 5, 6, 8) and the draw act's three hashes.</summary>
    public static DrawOutputs Draw(DrawFiles files, string commitment, IEnumerable<(string Name, string Value)> values, string departmentHex, string disciplineHex,
        IReadOnlyList<ReplacementRequest> replacements) =>
        DrawEngine.Run(files, DeriveKey(commitment, RandomnessText(values, departmentHex, disciplineHex)), replacements);

    /// <summary>The same draw with the targets file as its UTF-8 bytes (frozen by <see cref="CanonicalTargetsWriter"/>); files.Targets is not read.</summary>
    public static DrawOutputs Draw(DrawFiles files, ReadOnlyMemory<byte> targetsUtf8, string commitment, IEnumerable<(string Name, string Value)> values,
        string departmentHex, string disciplineHex, IReadOnlyList<ReplacementRequest> replacements) =>
        DrawEngine.Run(files, targetsUtf8, DeriveKey(commitment, RandomnessText(values, departmentHex, disciplineHex)), replacements);

    /// <summary>The slots left empty in the initial teams: "target slot department" for each.</summary>
    public static IReadOnlyList<string> EmptySlots(string teams) =>
        // Only an empty slot's inspector field is "-" (ids are UUIDs, slots digits, departments "*" or UUIDs): most files need no split.
        !teams.Contains("|-|", StringComparison.Ordinal) ? []
        : Canonical.Lines(teams).Select(l => l.Split('|')).Where(f => f[3] == "-").Select(f => $"{f[1]} slot {f[2]} ({f[4]})").ToList();
}
