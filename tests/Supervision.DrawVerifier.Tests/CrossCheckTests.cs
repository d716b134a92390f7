using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// The cross-check: the independent Python verifier (written from docs/draw-algorithm.md alone) and the .NET verifier
/// (the reference engine) must agree on every record: MATCH for genuine records, MISMATCH naming the same part for tampered ones.
/// </summary>
public sealed class CrossCheckTests(TempDirectory temp) : IClassFixture<TempDirectory>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEnumerable<object[]> Seeds() => RecordFactory.AllSeeds();

    [PythonFact]
    public async Task The_worked_example_of_the_spec_matches_in_both_verifiers()
    {
        var (python, dotnet) = await Verifiers.RunBoth(Path.Combine(Verifiers.RepoRoot, "docs", "draw-example-record-1.json"));
        AssertMatch(python, "the worked example");
        AssertMatch(dotnet, "the worked example");
    }

    [PythonTheory]
    [MemberData(nameof(Seeds))]
    public async Task A_generated_record_matches_in_both_verifiers(int seed)
    {
        var record = RecordFactory.Build(seed);
        var inProcess = DrawEngine.Verify(record);
        Assert.True(inProcess.Matches, $"seed {seed}: the engine does not verify its own record: {inProcess.Message}");

        var (python, dotnet) = await Verifiers.RunBoth(Verifiers.Write(record, temp.Path, $"seed-{seed}"));
        AssertMatch(dotnet, Describe(seed, record));
        AssertMatch(python, Describe(seed, record));
    }

    [Fact]
    public void The_generated_records_cover_the_shapes_the_cross_check_is_for()
    {
        var records = Enumerable.Range(0, RecordFactory.Seeds).Select(s => RecordFactory.Build(s)).ToList();
        bool Any(Func<DrawRecord, bool> shape) => records.Any(shape);
        bool Param(DrawRecord r, string prefix) => RecordFactory.Lines(r.Files.Parameters).Any(l => l.StartsWith(prefix, StringComparison.Ordinal));

        Assert.True(Any(r => Param(r, "P|sampling|ratio|")), "ratio sampling");
        Assert.True(Any(r => Param(r, "P|sampling|fixed|")), "fixed sampling");
        Assert.True(Any(r => Param(r, "P|sampling|class|")), "class sampling");
        Assert.True(Any(r => RecordFactory.Lines(r.Files.Targets).Any(l => l.StartsWith("T|-|", StringComparison.Ordinal))), "a '-' stratum");
        Assert.True(Any(r => !Param(r, "P|sampling|class|Z|") && RecordFactory.Lines(r.Files.Targets).Any(l => l.StartsWith("T|Z|", StringComparison.Ordinal))),
            "a class with targets but no ratio line");
        Assert.True(Any(r => Param(r, "P|load-cap|") && !r.Files.Parameters.Contains("P|load-cap|0\n", StringComparison.Ordinal)
            && r.Outputs.Targets.Contains("S|A|", StringComparison.Ordinal) && r.Outputs.Targets.Contains("S|AB|", StringComparison.Ordinal)),
            "strata named 'A' and 'AB' both drawn under a load cap (processing order of a prefix stratum)");
        Assert.True(Any(r => Param(r, "P|team|")), "joint teams");
        Assert.True(Any(r => RecordFactory.Lines(r.Files.Inspectors).Any(l => l.Split('|')[3] == "1")), "experts");
        Assert.True(Any(r => r.Files.Conflicts.Length > 0), "conflicts");
        Assert.True(Any(r => Param(r, "P|load-cap|") && !r.Files.Parameters.Contains("P|load-cap|0\n", StringComparison.Ordinal)), "load caps");
        Assert.True(Any(r => r.Outputs.Batches.Length > 0), "batches");
        Assert.True(Any(r => r.Replacements.Any(q => q.Kind == "inspector")), "inspector recusals");
        Assert.True(Any(r => r.Replacements.Any(q => q.Kind == "target")), "target replacements");
        Assert.True(Any(r => r.Replacements.Count > 1), "several replacement requests");
        Assert.True(Any(r => r.Files.Targets.Contains("%7C", StringComparison.Ordinal) && r.Files.Targets.Contains("%25", StringComparison.Ordinal)), "escaped identifiers");
        Assert.True(Any(r => r.Files.Inspectors.Contains("%7C", StringComparison.Ordinal)), "escaped staff codes");
        Assert.True(Any(r => r.Randomness.Any(s => s.Canonical.Contains('|', StringComparison.Ordinal) && s.Canonical.Contains('%', StringComparison.Ordinal))), "'|' and '%' in witness values");
        Assert.True(Any(r => r.Randomness.Count(s => s.Source == "witness") > 1), "several witness sources");
        Assert.True(Any(r => r.Randomness.Any(s => s.Source == "drand")), "a beacon source");
        Assert.True(Any(r => RecordFactory.Lines(r.Outputs.Teams).Any(l => l.Split('|')[3] == "-")), "an empty slot");
    }

    public static IEnumerable<object[]> FewSeeds() => Enumerable.Range(0, 6).Select(s => new object[] { s });

    [PythonTheory]
    [MemberData(nameof(FewSeeds))]
    public async Task Class_names_with_escaped_characters_match_in_both_verifiers(int seed)
    {
        var record = RecordFactory.Build(seed, specialClasses: true);
        var (python, dotnet) = await Verifiers.RunBoth(Verifiers.Write(record, temp.Path, $"special-classes-{seed}"));
        AssertMatch(dotnet, Describe(seed, record));
        AssertMatch(python, Describe(seed, record));
    }

    [PythonFact]
    public async Task A_large_record_matches_in_both_verifiers()
    {
        var record = RecordFactory.Build(seed: 4, targetCount: 20_000, requests: 3);
        var (python, dotnet) = await Verifiers.RunBoth(Verifiers.Write(record, temp.Path, "large"));
        AssertMatch(dotnet, "20,000 targets");
        AssertMatch(python, "20,000 targets");
    }

    public static IEnumerable<object[]> Tamperings() =>
        from seed in new[] { 1, 7, 14 }
        from kind in new[] { "targets-file", "witness-raw", "outputs-targets", "outputs-teams", "outputs-batches", "server-secret", "replacement-inspector" }
        select new object[] { kind, seed };

    [PythonTheory]
    [MemberData(nameof(Tamperings))]
    public async Task Tampering_is_found_by_both_verifiers_and_both_name_the_part(string kind, int seed)
    {
        // The first record from this seed on that has what the tampering needs (an inspector recusal for "replacement-inspector").
        var record = Enumerable.Range(seed, 20).Select(s => RecordFactory.Build(s, requests: 3))
            .First(r => kind != "replacement-inspector" || r.Replacements.Any(q => q.Kind == "inspector"));
        var (tampered, part) = Tamper(record, kind);
        Assert.False(DrawEngine.Verify(tampered).Matches, $"{kind}: the tampering changed nothing");

        var (python, dotnet) = await Verifiers.RunBoth(Verifiers.Write(tampered, temp.Path, $"tampered-{kind}-{seed}"));
        foreach (var verdict in new[] { python, dotnet })
        {
            Assert.True(verdict.ExitCode == 1 && verdict.Stdout.StartsWith("MISMATCH: ", StringComparison.Ordinal), $"{kind}, seed {seed}: {verdict}");
            Assert.True(verdict.Stdout.Contains(part, StringComparison.OrdinalIgnoreCase), $"{kind}, seed {seed}: the message does not name '{part}': {verdict}");
        }
    }

    [PythonFact]
    public async Task Unreadable_input_exits_2_in_both_verifiers()
    {
        var notJson = Path.Combine(temp.Path, "not-json.json");
        await File.WriteAllTextAsync(notJson, "{ this is not JSON");
        var missing = Path.Combine(temp.Path, "does-not-exist.json");
        foreach (var path in new[] { notJson, missing })
        {
            var (python, dotnet) = await Verifiers.RunBoth(path);
            Assert.True(python.ExitCode == 2, python.ToString());
            Assert.True(dotnet.ExitCode == 2, dotnet.ToString());
        }
    }

    /// <summary>One changed byte (or value) in one part of the record, and the part both verifiers must name.</summary>
    private static (DrawRecord Record, string Part) Tamper(DrawRecord record, string kind)
    {
        switch (kind)
        {
            case "targets-file":
                {
                    var targets = record.Files.Targets;
                    var at = targets.IndexOf('\n', targets.Length / 2) - 1; // last byte of a line in the middle: part of an identifier
                    return (record with { Files = record.Files with { Targets = Flip(targets, at) } }, "commitment");
                }
            case "witness-raw":
                {
                    var i = IndexOf(record.Randomness, s => s.Source == "witness");
                    var witness = record.Randomness[i];
                    var changed = witness with { Raw = Flip(witness.Raw, witness.Raw.TrimEnd().Length - 1) }; // canonical left as recorded
                    return (record with { Randomness = Replace(record.Randomness, i, changed) }, "randomness");
                }
            case "outputs-targets":
                {
                    var text = record.Outputs.Targets;
                    Assert.NotEmpty(text);
                    return (record with { Outputs = record.Outputs with { Targets = Flip(text, text.Length - 2) } }, "outputs.targets");
                }
            case "outputs-teams":
                {
                    var text = record.Outputs.Teams;
                    Assert.NotEmpty(text);
                    var at = text.IndexOf('\n', StringComparison.Ordinal) - 5; // inside the department (or, for '*', the inspector) of the first line
                    return (record with { Outputs = record.Outputs with { Teams = Flip(text, at) } }, "outputs.teams");
                }
            case "outputs-batches":
                {
                    var text = record.Outputs.Batches;
                    if (text.Length == 0)
                        return (record with { Outputs = record.Outputs with { Batches = "B|001|" + RecordFactory.Lines(record.Outputs.Targets)[0].Split('|')[3] + "\n" } }, "outputs.batches");
                    return (record with { Outputs = record.Outputs with { Batches = Flip(text, text.Length - 2) } }, "outputs.batches");
                }
            case "server-secret":
                {
                    var i = IndexOf(record.Randomness, s => s.Source == "server-secret");
                    var secret = record.Randomness[i].Canonical;
                    var changed = Flip(secret, 10);
                    return (record with { Randomness = Replace(record.Randomness, i, new RandomnessSource("server-secret", changed, changed)) }, "server-secret");
                }
            case "replacement-inspector":
                {
                    // Reasons are not part of the outputs; the inspector of a recusal is. Recuse another inspector of the pool instead.
                    var i = IndexOf(record.Replacements, q => q.Kind == "inspector");
                    var request = record.Replacements[i];
                    var other = RecordFactory.Lines(record.Files.Inspectors).Select(l => Guid.Parse(l.Split('|')[1])).First(g => g != request.InspectorId);
                    return (record with { Replacements = Replace(record.Replacements, i, request with { InspectorId = other }) }, "replacements");
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static string Flip(string text, int index)
    {
        var c = text[index];
        var replacement = c switch { >= '0' and < '9' => (char)(c + 1), '9' => '0', >= 'a' and < 'f' => (char)(c + 1), 'f' => 'a', 'x' => 'y', _ => 'x' };
        return string.Concat(text.AsSpan(0, index), replacement.ToString(), text.AsSpan(index + 1));
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> predicate)
    {
        for (var i = 0; i < items.Count; i++)
            if (predicate(items[i])) return i;
        throw new InvalidOperationException("the generated record lacks the item to tamper with");
    }

    private static List<T> Replace<T>(IReadOnlyList<T> items, int index, T item) => items.Select((x, i) => i == index ? item : x).ToList();

    private static void AssertMatch(Verdict verdict, string what) =>
        Assert.True(verdict.ExitCode == 0 && verdict.Stdout.Trim() == "MATCH", $"{what}: {verdict}");

    private static string Describe(int seed, DrawRecord record) =>
        $"seed {seed} ({string.Join(", ", RecordFactory.Lines(record.Files.Parameters).Where(l => l.StartsWith("P|sampling", StringComparison.Ordinal) || l.StartsWith("P|team", StringComparison.Ordinal) || l.StartsWith("P|load", StringComparison.Ordinal) || l.StartsWith("P|batches", StringComparison.Ordinal)))}; " +
        $"{record.Replacements.Count} replacement requests; record {JsonSerializer.Serialize(record.Replacements, Json)})";
}
