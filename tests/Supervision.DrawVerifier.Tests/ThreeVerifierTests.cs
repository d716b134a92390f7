using System.Text;
using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// The acceptance of issue 12: the reference verifier (C#), the independent Python one and the browser's JavaScript one (run in
/// Node, the same file the public page runs) agree on every one of ≥ 200 generated /2 records and on every tampering case, each
/// checked against the published hashes. The Python and Node verifiers each run once over the whole batch.
/// </summary>
public sealed class ThreeVerifierTests
{
    private const string PythonBatch = """
        import contextlib, io, json, sys
        sys.path.insert(0, sys.argv[1])
        import verify_draw
        for line in open(sys.argv[2], encoding="utf-8"):
            item = json.loads(line)
            args = [item["path"]] + (["--expect-commitment", item["commitment"], "--expect-record", item["record"]] if item["commitment"] else [])
            out = io.StringIO()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
                code = verify_draw.main(args)
            text = out.getvalue().strip()
            part = "MATCH" if code == 0 else text[len("MISMATCH: "):].split(":")[0].split(" ")[0] if code == 1 else "UNREADABLE"
            print(item["name"] + "\t" + part)
        """;

    private const string NodeBatch = """
        const fs = require('fs');
        const { verifyDrawRecord } = require(process.argv[2]);
        (async () => {
          for (const line of fs.readFileSync(process.argv[3], 'utf8').split('\n').filter(Boolean)) {
            const item = JSON.parse(line);
            const record = JSON.parse(fs.readFileSync(item.path, 'utf8'));
            const v = await verifyDrawRecord(record, item.commitment ? { expectCommitment: item.commitment, expectRecord: item.record } : {});
            console.log(item.name + '\t' + (v.matches ? 'MATCH' : v.part));
          }
        })();
        """;

    [Fact]
    public async Task Three_verifiers_agree_on_every_generated_record_and_every_tampering()
    {
        var folder = Directory.CreateTempSubdirectory("three-verifiers-").FullName;
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var expected = new Dictionary<string, string>();
        var manifest = new StringBuilder();
        void Add(string name, DrawRecordV2 record, string? commitment, string? recordHash, string part)
        {
            var path = Path.Combine(folder, name + ".json");
            File.WriteAllText(path, JsonSerializer.Serialize(record, json), new UTF8Encoding(false));
            manifest.Append(JsonSerializer.Serialize(new { name, path, commitment, record = recordHash })).Append('\n');
            var verdict = DrawV2.Verify(record, commitment, recordHash);
            expected[name] = verdict.Matches ? "MATCH" : verdict.Part!;
            Assert.True(expected[name] == part, $"{name}: the reference verifier says {expected[name]}: {verdict.Message}");
        }

        foreach (var seed in Enumerable.Range(0, RecordFactoryV2.Seeds))
        {
            var record = RecordFactoryV2.Build(seed);
            Add($"record-{seed:D3}", record, record.CommitmentSha256, record.RecordSha256, "MATCH");
            if (seed % 11 != 3) continue;
            foreach (var (t, i) in TamperingV2.For(record).Select((t, i) => (t, i)))
            {
                Add($"tampered-{seed:D3}-{i:D2}", t.Record, t.WithExpectations ? t.PublishedCommitment ?? record.CommitmentSha256 : null,
                    t.WithExpectations ? record.RecordSha256 : null, t.Part);
            }
        }
        var manifestPath = Path.Combine(folder, "manifest.jsonl");
        File.WriteAllText(manifestPath, manifest.ToString(), new UTF8Encoding(false));
        Assert.True(expected.Count(e => e.Key.StartsWith("record-", StringComparison.Ordinal)) >= 200);
        Assert.True(expected.Count(e => e.Key.StartsWith("tampered-", StringComparison.Ordinal)) >= 100);

        var script = Path.Combine(folder, "batch.py");
        File.WriteAllText(script, PythonBatch);
        var python = await Verifiers.Run("python", "python3", [script, Path.Combine(Verifiers.RepoRoot, "tools"), manifestPath], TimeSpan.FromMinutes(5));
        var nodeScript = Path.Combine(folder, "batch.js");
        File.WriteAllText(nodeScript, NodeBatch);
        var node = await Verifiers.Run("node", "node", [nodeScript, Path.Combine(Verifiers.RepoRoot, "src", "Supervision.Api", "Public", "draw-verify.js"), manifestPath], TimeSpan.FromMinutes(5));

        foreach (var (name, verdicts) in new[] { ("python", python), ("node", node) })
        {
            Assert.True(verdicts.ExitCode == 0, verdicts.ToString());
            var got = verdicts.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1].Trim());
            var disagreements = expected.Where(e => got.GetValueOrDefault(e.Key) != e.Value).Select(e => $"{e.Key}: C# {e.Value}, {name} {got.GetValueOrDefault(e.Key) ?? "(nothing)"}").ToList();
            Assert.True(disagreements.Count == 0, $"{name} disagrees on {disagreements.Count} of {expected.Count}:\n{string.Join("\n", disagreements.Take(30))}");
        }
        Directory.Delete(folder, recursive: true);
    }
}
