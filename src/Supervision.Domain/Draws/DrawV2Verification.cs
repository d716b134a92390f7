using System.Text.RegularExpressions;

namespace Supervision.Domain.Draws;

/// <summary>Section 10: a /2 record checked in the specification's order, the first failure named (the checks of single lines and files are in DrawV2Checks.cs).</summary>
public static partial class DrawV2
{
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
}
