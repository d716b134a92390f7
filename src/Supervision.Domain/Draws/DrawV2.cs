using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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
        Canonical.Line([ "A", number.ToString(CultureInfo.InvariantCulture), Instant(at), actor, kind, .. fields ]);

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

    // ---- Verification (section 10) ----

    private sealed record ParsedAct(int Number, string At, string Actor, string Kind, string[] Fields, string Line);

    public static Verification Verify(DrawRecordV2 record, string? expectCommitment = null, string? expectRecord = null) =>
        Verify(record, null, expectCommitment, expectRecord);

    /// <summary>
    /// The same verification with the targets file given as its UTF-8 bytes (a record read as a stream, <see cref="DrawRecordStream"/>);
    /// <c>record.Files.Targets</c> is then not read. Its problems are named in this path's own words: a caller wanting the
    /// reference wording for a record that does not match verifies it again with the string form.
    /// </summary>
    public static Verification Verify(DrawRecordV2 record, ReadOnlyMemory<byte>? targetsUtf8, string? expectCommitment, string? expectRecord)
    {
        if (record.Algorithm != Algorithm)
            return Verification.Differs("algorithm", null, Algorithm, record.Algorithm, $"This verifier implements {Algorithm}, the record says {record.Algorithm}.");

        var clock = DrawEngine.Phases is null ? null : System.Diagnostics.Stopwatch.StartNew();
        // 2. Strict canonical form of every file.
        var files = record.Files;
        var forms = new (string Name, string? Text, Func<string[], bool> Form)[]
        {
            ("parameters", files.Parameters, f => f[0] == "P" && f.Length >= 3),
            ("targets", targetsUtf8 is null ? files.Targets : "", f => f is ["T", _, var id, _] && Uuid().IsMatch(id)),
            ("exclusions", files.Exclusions, f => f is ["X", "target" or "inspector", var id, _, _] && Uuid().IsMatch(id)),
            ("inspectors", files.Inspectors, f => f is ["I", var id, var d, "0" or "1"] && Uuid().IsMatch(id) && Uuid().IsMatch(d)),
            ("conflicts", files.Conflicts, f => f is ["C", var i, var t] && Uuid().IsMatch(i) && Uuid().IsMatch(t)),
            ("quotas", files.Quotas, f => f is ["Q", _, var n, var q] && Number().IsMatch(n) && Number().IsMatch(q)),
            ("sources", files.Sources, f => f is ["S", _, _, _, _]),
            ("outputs.targets", record.Outputs.Targets, f => f is ["S", _, var r, var id, var k] && r.Length == 7 && r.All(char.IsAsciiDigit) && Uuid().IsMatch(id) && Hex64().IsMatch(k)),
            ("outputs.teams", record.Outputs.Teams, f => f is ["M", var t, var s, var i, var d] && Uuid().IsMatch(t) && IsSlot(s) && (i == "-" || Uuid().IsMatch(i)) && (d == "*" || Uuid().IsMatch(d))),
            ("outputs.batches", record.Outputs.Batches, f => f is ["B", var b, var t] && b.Length == 3 && b.All(char.IsAsciiDigit) && Uuid().IsMatch(t)),
            ("outputs.replacements", record.Outputs.Replacements, IsReplacementLine),
        };
        foreach (var (name, text, form) in forms)
        {
            if (Canonical.FileProblem(text, form) is { } problem)
                return Verification.Differs("canonical." + name, null, null, null, $"canonical.{name}: {problem}");
            if (name == "targets" && targetsUtf8 is { } bytes && CanonicalUtf8.TargetsFileProblem(bytes.Span) is { } byteProblem)
                return Verification.Differs("canonical.targets", null, null, null, $"canonical.targets: {byteProblem}");
        }
        var targets = targetsUtf8 ?? Canonical.Utf8.GetBytes(files.Targets);
        DrawEngine.Lap(clock, "verify: canonical forms");

        // 3. The commitment.
        var commitmentLines = Canonical.Lines(record.Commitment ?? "");
        if (commitmentLines.Length != 11 || !record.Commitment!.EndsWith('\n'))
            return Verification.Differs("commitment", null, null, null, "The commitment does not have its eleven LF-terminated lines.");
        var departmentSha = commitmentLines[9].StartsWith("contribution|department|", StringComparison.Ordinal) ? commitmentLines[9]["contribution|department|".Length..] : "";
        var disciplineSha = commitmentLines[10].StartsWith("contribution|discipline|", StringComparison.Ordinal) ? commitmentLines[10]["contribution|discipline|".Length..] : "";
        if (!Hex64().IsMatch(departmentSha) || !Hex64().IsMatch(disciplineSha))
            return Verification.Differs("commitment", 10, null, null, "The commitment's contribution lines are not two 64-hex hashes, department then discipline.");
        var expected = Commitment(CommitmentBase(record.DrawId, files, departmentSha, CanonicalUtf8.Sha256Hex(targets.Span)), disciplineSha);
        if (expected != record.Commitment)
        {
            var line = Enumerable.Range(0, 11).First(i => Canonical.Lines(expected)[i] != commitmentLines[i]);
            return Verification.Differs("commitment", line + 1, Canonical.Lines(expected)[line], commitmentLines[line], $"commitment differs at line {line + 1}: the files or the draw id do not hash to what it says.");
        }
        var commitmentSha = Canonical.Sha256Hex(record.Commitment);
        if (commitmentSha != record.CommitmentSha256)
            return Verification.Differs("commitmentSha256", null, commitmentSha, record.CommitmentSha256, "The commitment's hash is not the recorded one.");
        if (expectCommitment is not null && expectCommitment != commitmentSha)
            return Verification.Differs("expect.commitment", null, expectCommitment, commitmentSha, "The commitment is not the published one.");

        // 4. The files' contents.
        if (ParseParameters(files.Parameters, Canonical.Id(record.DrawId)) is { Problem: { } parametersProblem })
            return Verification.Differs("files.parameters", null, null, null, $"files.parameters: {parametersProblem}");
        var parameters = ParseParameters(files.Parameters, Canonical.Id(record.DrawId)).Parameters!;
        DrawEngine.Lap(clock, "verify: commitment");
        var (pools, duplicateId) = CanonicalUtf8.Strata(targets.Span);
        DrawEngine.Lap(clock, "verify: strata");
        if (TargetsProblem(pools, duplicateId, parameters) is { } targetsProblem)
            return Verification.Differs("files.targets", null, null, null, $"files.targets: {targetsProblem}");
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in Canonical.Lines(files.Sources!).Select(l => l.Split('|')))
        {
            if (!SourceName().IsMatch(f[1]) || f[2] is not (Ceremony or Beacon) || !InstantForm().IsMatch(f[3]) || !IsInstant(f[3]) || !sources.TryAdd(f[1], f[3]))
                return Verification.Differs("files.sources", null, null, null, $"files.sources: '{string.Join('|', f)}' is not a source line (name, ceremony or beacon, an instant; each name once).");
        }
        if (sources.Count == 0) return Verification.Differs("files.sources", null, null, null, "files.sources: no source of randomness is declared.");
        var quotas = Canonical.File(DrawEngine.Quotas(parameters.Sampling, pools).Select(DrawEngine.QuotaLine));
        if (DrawEngine.FirstDifference("files.quotas", quotas, files.Quotas) is { } quotasDiffer) return quotasDiffer;

        // 5. The acts and the chain.
        var acts = new List<ParsedAct>();
        foreach (var (line, index) in (record.Acts ?? []).Select((l, i) => (l, i)))
        {
            if (ParseAct(line, index + 1) is not { } act)
                return Verification.Differs("acts", index + 1, null, line, $"acts: act {index + 1} is not of an act's form: '{line}'.");
            acts.Add(act);
        }
        if (ActsProblem(acts, sources) is { } actsProblem) return Verification.Differs("acts", null, null, null, $"acts: {actsProblem}");
        var head = ChainHead(commitmentSha, acts.Select(a => a.Line));
        if (head != record.RecordSha256)
            return Verification.Differs("recordSha256", null, head, record.RecordSha256, "The chain over the acts does not end in the record's hash.");
        if (expectRecord is not null && expectRecord != head)
            return Verification.Differs("expect.record", null, expectRecord, head, "The record's hash is not the published one: an act was added, dropped or changed.");

        // 6. Values and contributions.
        foreach (var act in acts.Where(a => a.Kind == "randomness"))
        {
            var value = Canonical.UnescapeStrict(act.Fields[1]);
            if (value.Length == 0 || CanonicalValue(value) != value)
                return Verification.Differs($"randomness.{Canonical.UnescapeStrict(act.Fields[0])}", null, CanonicalValue(value), value, "The recorded value is not in its canonical form.");
        }
        var contributions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var act in acts.Where(a => a.Kind == "contribution"))
        {
            var (party, hex) = (act.Fields[0], act.Fields[1]);
            if (!Hex64().IsMatch(hex) || ContributionSha256(hex) != (party == DepartmentParty ? departmentSha : disciplineSha))
                return Verification.Differs($"contribution.{party}", null, party == DepartmentParty ? departmentSha : disciplineSha, hex, "The revealed contribution does not hash to the committed value.");
            contributions[party] = hex;
        }

        // 7. The draw.
        var drawAct = acts.FirstOrDefault(a => a.Kind == "draw");
        if (drawAct is null)
        {
            foreach (var (name, text) in new[] { ("targets", record.Outputs.Targets), ("teams", record.Outputs.Teams), ("batches", record.Outputs.Batches), ("replacements", record.Outputs.Replacements) })
                if (text.Length > 0) return Verification.Differs("outputs." + name, null, "", text, $"outputs.{name}: there is no draw act, so there is no output.");
            return Verification.Match();
        }
        var values = acts.Where(a => a.Kind == "randomness").Select(a => (Canonical.UnescapeStrict(a.Fields[0]), Canonical.UnescapeStrict(a.Fields[1]))).ToList();
        var prk = DeriveKey(record.Commitment, RandomnessText(values, contributions[DepartmentParty], contributions[DisciplineParty]));
        DrawOutputs outputs;
        try
        {
            outputs = DrawEngine.Run(files, targets, prk, []);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException or KeyNotFoundException or InvalidOperationException or DrawException)
        {
            return Verification.Differs("files", null, null, null, $"The files cannot be replayed: {e.Message}");
        }
        clock?.Restart();
        var drawDiffers = DrawEngine.FirstDifference("outputs.targets", outputs.Targets, record.Outputs.Targets)
            ?? DrawEngine.FirstDifference("outputs.teams", outputs.Teams, record.Outputs.Teams)
            ?? DrawEngine.FirstDifference("outputs.batches", outputs.Batches, record.Outputs.Batches);
        DrawEngine.Lap(clock, "verify: compare outputs");
        if (drawDiffers is not null) return drawDiffers;
        if (!parameters.PartialTeams && EmptySlots(outputs.Teams) is { Count: > 0 } empty)
            return Verification.Differs("outputs.teams", null, null, empty[0], $"outputs.teams: the task allows no partial team, yet {empty[0]} is empty.");
        if (drawAct.Fields[0] != Canonical.Sha256Hex(record.Outputs.Targets) || drawAct.Fields[1] != Canonical.Sha256Hex(record.Outputs.Teams)
            || drawAct.Fields[2] != Canonical.Sha256Hex(record.Outputs.Batches))
            return Verification.Differs("acts.draw", drawAct.Number, null, drawAct.Line, "acts.draw: the draw act does not hold the hashes of these outputs.");

        // 8. Recusals and replacements, in act order.
        var requests = acts.Where(a => a.Kind is "inspector" or "target").Select(a => a.Kind == "inspector"
            ? new ReplacementRequest("inspector", Guid.Parse(a.Fields[0]), Guid.Parse(a.Fields[1]), Canonical.UnescapeStrict(a.Fields[2]))
            : new ReplacementRequest("target", Guid.Parse(a.Fields[0]), null, Canonical.UnescapeStrict(a.Fields[1]))).ToList();
        if (requests.Count > 0)
        {
            try
            {
                outputs = DrawEngine.Run(files, targets, prk, requests);
            }
            catch (Exception e) when (e is DrawException or KeyNotFoundException or InvalidOperationException or ArgumentException)
            {
                return Verification.Differs("replacements", null, null, null, $"replacements: {e.Message}");
            }
        }
        return DrawEngine.FirstDifference("outputs.replacements", outputs.Replacements, record.Outputs.Replacements) ?? Verification.Match();
    }

    private static bool IsSlot(string s) => s.Length == 2 && s.All(char.IsAsciiDigit) && s != "00";

    private static bool IsReplacementLine(string[] f) => f switch
    {
        ["R", var s, "inspector", var t, var i, var n] => IsSequence(s) && Uuid().IsMatch(t) && Uuid().IsMatch(i) && (n == "-" || Uuid().IsMatch(n)),
        ["R", var s, "target", var t, var n] => IsSequence(s) && Uuid().IsMatch(t) && (n == "-" || Uuid().IsMatch(n)),
        ["R", var s, "member", var t, var slot, var i, var d] => IsSequence(s) && Uuid().IsMatch(t) && IsSlot(slot) && (i == "-" || Uuid().IsMatch(i)) && (d == "*" || Uuid().IsMatch(d)),
        _ => false,
    };

    private static bool IsSequence(string s) => s.Length == 4 && s.All(char.IsAsciiDigit);

    private static bool IsInstant(string s) =>
        DateTime.TryParseExact(s, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _);

    private sealed record Parameters(DrawSampling Sampling, bool PartialTeams);

    private static (Parameters? Parameters, string? Problem) ParseParameters(string file, string drawId)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int? ratio = null, fixedCount = null;
        var classes = new List<ClassBasisPoints>();
        var partial = false;
        var teamDepartments = new HashSet<string>(StringComparer.Ordinal);
        var positions = new List<int>();
        static bool Int(string s, int min, int max, out int value)
        {
            value = 0;
            return Number().IsMatch(s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
        }
        foreach (var f in Canonical.Lines(file).Select(l => l.Split('|')))
        {
            var key = f[1];
            seen[key] = seen.GetValueOrDefault(key) + 1;
            var ok = key switch
            {
                "algorithm" => f.Length == 3 && f[2] == Algorithm,
                "draw" => f.Length == 3 && f[2] == drawId,
                "batches" => f.Length == 3 && Int(f[2], 1, 100, out _),
                "inspectors-per-target" => f.Length == 3 && Int(f[2], 1, 50, out _),
                "load-cap" => f.Length == 3 && Int(f[2], 0, int.MaxValue, out _),
                "partial-teams" => f.Length == 3 && f[2] is "0" or "1" && ((partial = f[2] == "1") || true),
                "plan" or "task" => f.Length == 3,
                "pool-as-of-sequence" => f.Length == 3 && Number().IsMatch(f[2]),
                "record-public" => f.Length == 3 && f[2] is RecordPublicImmediately or RecordPublicAtInspectionsStart,
                "replaces" => f.Length == 3 && Uuid().IsMatch(f[2]),
                "sampling" => f switch
                {
                    [_, _, "ratio", var bp] when Int(bp, 1, 10000, out var v) => (ratio = v) > 0,
                    [_, _, "fixed", var n] when Int(n, 1, int.MaxValue, out var v) => (fixedCount = v) > 0,
                    [_, _, "class", var c, var bp] when Int(bp, 1, 10000, out var v) && classes.All(x => x.CreditClass != Canonical.UnescapeStrict(c)) =>
                        Add(classes, new ClassBasisPoints(Canonical.UnescapeStrict(c), v)),
                    _ => false,
                },
                "team" => f is [_, _, var position, var department, var count] && position.Length == 2 && Int(position.TrimStart('0'), 1, 50, out var p)
                    && Uuid().IsMatch(department) && teamDepartments.Add(department) && Int(count, 1, 50, out _) && Add(positions, p),
                "window" => f.Length == 4 && DateOnly.TryParseExact(f[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    && DateOnly.TryParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                _ => false,
            };
            if (!ok) return (null, $"'{string.Join('|', f)}' is not a valid parameter line.");
        }
        foreach (var key in new[] { "algorithm", "batches", "draw", "inspectors-per-target", "load-cap", "partial-teams", "plan", "pool-as-of-sequence", "record-public", "task", "window" })
            if (seen.GetValueOrDefault(key) != 1) return (null, $"the key '{key}' must appear exactly once.");
        if (seen.GetValueOrDefault("replaces") > 1) return (null, "the key 'replaces' appears more than once.");
        var forms = (ratio is null ? 0 : 1) + (fixedCount is null ? 0 : 1) + (classes.Count > 0 ? 1 : 0);
        if (forms != 1 || (ratio is not null && seen["sampling"] != 1) || (fixedCount is not null && seen["sampling"] != 1))
            return (null, "exactly one sampling form is required.");
        if (!positions.SequenceEqual(Enumerable.Range(1, positions.Count))) return (null, "team positions are consecutive from 01.");
        var teamTotal = Canonical.Lines(file).Select(l => l.Split('|')).Where(f => f[1] == "team").Sum(f => long.Parse(f[4], CultureInfo.InvariantCulture));
        if (teamTotal > 50) return (null, "a team has at most 50 members.");
        return (new Parameters(new DrawSampling(ratio, fixedCount, classes.Count > 0 ? classes : null), partial), null);
    }

    private static bool Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return true;
    }

    /// <summary>Every stratum has a sampling line, and every target is there once (strata from <see cref="CanonicalUtf8.Strata"/>).</summary>
    private static string? TargetsProblem(IReadOnlyDictionary<string, int> pools, string? duplicateId, Parameters parameters)
    {
        var strata = parameters.Sampling.ByCreditClass
            ? parameters.Sampling.ClassBasisPoints!.Select(c => Canonical.Field(c.CreditClass)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal) { "*" };
        if (pools.Keys.Order(StringComparer.Ordinal).FirstOrDefault(s => !strata.Contains(s)) is { } hole)
            return $"stratum '{hole}' has no sampling line (a silent hole: its targets could never be drawn).";
        return duplicateId is not null ? $"target {duplicateId} appears twice." : null;
    }

    private static ParsedAct? ParseAct(string? line, int expectedNumber)
    {
        if (line is null || line.Contains('\n') || !line.IsNormalized(NormalizationForm.FormC)) return null;
        var f = line.Split('|');
        if (f.Length < 5 || f[0] != "A" || f[1] != expectedNumber.ToString(CultureInfo.InvariantCulture) || !f.All(Canonical.IsWellEscaped)) return null;
        if (!InstantForm().IsMatch(f[2]) || !IsInstant(f[2]) || !(f[3] == "system" || ActorForm().IsMatch(f[3]))) return null;
        var rest = f[5..];
        var ok = (f[4], rest) switch
        {
            ("commit", []) => true,
            ("randomness", [var name, var value, var first]) => SourceName().IsMatch(name) && value.Length > 0 && (first == "system" || ActorForm().IsMatch(first)),
            ("contribution", [DepartmentParty or DisciplineParty, _]) => true,
            ("draw", [var a, var b, var c]) => Hex64().IsMatch(a) && Hex64().IsMatch(b) && Hex64().IsMatch(c),
            ("inspector", [var t, var i, var reason]) => Uuid().IsMatch(t) && Uuid().IsMatch(i) && IsReason(reason),
            ("target", [var t, var reason]) => Uuid().IsMatch(t) && IsReason(reason),
            ("void", [var countersigner, var reason]) => (countersigner == "-" || ActorForm().IsMatch(countersigner)) && IsReason(reason),
            _ => false,
        };
        return ok ? new ParsedAct(expectedNumber, f[2], f[3], f[4], rest, line) : null;
    }

    /// <summary>1 to 1000 code points, no white space at either end (NFC is checked on the whole act line).</summary>
    private static bool IsReason(string escaped)
    {
        var reason = Canonical.UnescapeStrict(escaped);
        var length = reason.EnumerateRunes().Count();
        return length is > 0 and <= 1000 && reason.Trim() == reason;
    }

    private static string Role(string actor) => actor == "system" ? actor : actor[..actor.IndexOf(':')];

    /// <summary>Section 9, who acts: each kind of act by the role the protocol gives it.</summary>
    private static string? RoleProblem(ParsedAct act)
    {
        const string discipline = "discipline-inspector", planner = "planner", approver = "approver";
        var role = Role(act.Actor);
        var allowed = act.Kind switch
        {
            "commit" => role == discipline,
            "randomness" => role == discipline && Role(act.Fields[2]) == discipline,
            "contribution" => act.Fields[0] == DisciplineParty ? role == discipline : role is planner or discipline,
            "draw" => role == planner,
            "inspector" or "target" => role == approver,
            "void" => role == approver && (act.Fields[0] == "-" || Role(act.Fields[0]) == discipline),
            _ => true,
        };
        return allowed ? null : $"the actor's role '{role}' may not do this (section 9, who acts).";
    }

    /// <summary>The person behind an actor field: its keyed digest (the same person under another role or department is still the same person).</summary>
    private static string Person(string actor) => actor == "system" ? actor : actor[(actor.LastIndexOf(':') + 1)..];

    private static string? ActsProblem(IReadOnlyList<ParsedAct> acts, IReadOnlyDictionary<string, string> sources)
    {
        if (acts.Count == 0) return "a record has at least the commit act.";
        foreach (var act in acts)
        {
            if (RoleProblem(act) is { } role) return $"act {act.Number} ({act.Kind}): {role}";
        }
        if (acts[0].Kind != "commit") return "the first act is the commit.";
        if (acts.Skip(1).Any(a => a.Kind == "commit")) return "there is one commit act.";
        for (var i = 1; i < acts.Count; i++)
            if (string.CompareOrdinal(acts[i].At, acts[i - 1].At) < 0) return $"act {i + 1} is dated before act {i}.";
        var committedAt = acts[0].At;
        foreach (var (name, notBefore) in sources)
            if (string.CompareOrdinal(notBefore, committedAt) <= 0) return $"source '{name}' was declared available at {notBefore}, not after the commitment at {committedAt}.";
        int IndexOf(string kind, string? first = null) => acts.ToList().FindIndex(a => a.Kind == kind && (first is null || a.Fields[0] == first));
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var act in acts.Where(a => a.Kind == "randomness"))
        {
            var name = act.Fields[0];
            if (!sources.TryGetValue(name, out var notBefore)) return $"act {act.Number} records a value for '{name}', which is not a declared source.";
            if (!recorded.Add(name)) return $"act {act.Number} records a second value for '{name}'.";
            if (string.CompareOrdinal(act.At, notBefore) < 0) return $"act {act.Number} records '{name}' at {act.At}, before its declared moment {notBefore}.";
            if (Person(act.Fields[2]) == Person(act.Actor)) return $"act {act.Number}: the value of '{name}' was entered twice by the same person.";
        }
        if (acts.Count(a => a.Kind == "contribution" && a.Fields[0] == DisciplineParty) > 1 || acts.Count(a => a.Kind == "contribution" && a.Fields[0] == DepartmentParty) > 1)
            return "each party reveals its contribution once.";
        var lastRandomness = acts.ToList().FindLastIndex(a => a.Kind == "randomness");
        var discipline = IndexOf("contribution", DisciplineParty);
        var department = IndexOf("contribution", DepartmentParty);
        var draw = IndexOf("draw");
        if (discipline >= 0 && (recorded.Count < sources.Count || discipline < lastRandomness)) return "the discipline contribution is revealed only after every declared value is recorded.";
        if (department >= 0 && (discipline < 0 || department < discipline)) return "the department contribution is revealed after the discipline one.";
        if (acts.Count(a => a.Kind == "draw") > 1) return "there is one draw act.";
        if (draw >= 0 && (discipline < 0 || department < 0 || draw < department || recorded.Count < sources.Count)) return "the draw follows every value and both contributions.";
        if (department >= 0 && !(department + 1 < acts.Count && acts[department + 1].Kind is "draw" or "void"))
            return "the department contribution is revealed by the draw (or by a void), in the act just before it.";
        foreach (var act in acts.Where(a => a.Kind is "inspector" or "target"))
            if (draw < 0 || act.Number - 1 < draw) return $"act {act.Number}: a recusal or replacement follows the draw.";
        var voids = acts.Where(a => a.Kind == "void").ToList();
        if (voids.Count > 1 || (voids.Count == 1 && voids[0].Number != acts.Count)) return "a void is the last act, and there is one.";
        if (voids.Count == 1)
        {
            var v = voids[0];
            var needsCountersign = recorded.Count > 0 || draw >= 0 || sources.Values.Any(notBefore => string.CompareOrdinal(v.At, notBefore) >= 0);
            if (needsCountersign && v.Fields[0] == "-") return "a void after randomness exists, or after a source's moment, needs a countersignature.";
            if (v.Fields[0] != "-" && Person(v.Fields[0]) == Person(v.Actor)) return "the countersigner of a void is another person.";
        }
        return null;
    }

}
