using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Supervision.Domain.Draws;

// Measures a supervision-draw/2 draw on a pool of N candidates (default 1,000,000) at 3%, with M inspectors (default 50),
// against the raw limit of the same machine in the same run: one HMAC-SHA256 per candidate label, on all cores.
// Each step runs R times (default 3); the median is reported.
//   dotnet run --project ops/bench/DrawBench -c Release -- [candidates] [inspectors] [runs]
var candidates = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var inspectorCount = args.Length > 1 ? int.Parse(args[1]) : 50;
var runs = args.Length > 2 ? int.Parse(args[2]) : 3;
var output = Path.Combine(Path.GetTempPath(), "draw-bench-record.json");
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var relaxed = new JsonSerializerOptions(json) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

var department = new Guid("00000000-0000-4000-8000-0000000000d1");
var targets = Enumerable.Range(0, candidates).Select(n => new PoolTarget(new Guid($"10000000-0000-4000-8000-{n:D12}"), $"91130500MA{n:D8}", "*")).ToList();
var inspectors = Enumerable.Range(0, inspectorCount).Select(n => new PoolInspector(new Guid($"20000000-0000-4000-8000-{n:D12}"), department, n % 10 == 0, "")).ToList();
var conflicts = Enumerable.Range(0, 1000).Select(n => new PoolConflict(inspectors[n % inspectorCount].Id, targets[n * 7 % candidates].Id)).ToList();
var setup = new DrawSetup(Guid.NewGuid(), "2027001", "2027001-01", 1, new DrawSampling(300, null, null), 2, [], 0, 1, new DateOnly(2027, 3, 1), new DateOnly(2027, 4, 30));
var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D 第2027076期开奖号码") };
var departmentHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
var disciplineHex = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
(string, string)[] values = [("fc3d", "3 9 1")];

static TimeSpan Median(IEnumerable<TimeSpan> times) => times.Order().ElementAt(times.Count() / 2);
TimeSpan Time(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed;
}

// The raw limit: N keyed hashes of labels of the same length, spread over all cores, nothing else.
var labels = targets.Select(t => Encoding.UTF8.GetBytes($"T|*|{t.Id:D}")).ToArray();
var key = RandomNumberGenerator.GetBytes(32);
var hmacLoop = Median(Enumerable.Range(0, runs).Select(_ => Time(() => Parallel.For(0, Environment.ProcessorCount, worker =>
{
    using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
    Span<byte> digest = stackalloc byte[32];
    for (var i = worker; i < labels.Length; i += Environment.ProcessorCount)
    {
        hmac.AppendData(labels[i]);
        hmac.GetHashAndReset(digest);
    }
}))).ToList());
labels = null!;
GC.Collect();

DrawV2.Proposal proposal = null!;
var freeze = Median(Enumerable.Range(0, runs).Select(_ => Time(() =>
    proposal = DrawV2.Freeze(setup, targets, [], inspectors, conflicts, sources, DrawV2.ContributionSha256(departmentHex)))).ToList());
var commitment = DrawV2.Commitment(proposal.CommitmentBase, DrawV2.ContributionSha256(disciplineHex));
// From here on only the frozen files exist, as in the service after the commitment and in an auditor's verifier.
targets = null!;
conflicts = null!;
GC.Collect();

DrawOutputs outputs = null!;
var draw = Median(Enumerable.Range(0, runs).Select(_ => Time(() => outputs = DrawV2.Draw(proposal.Files, commitment, values, departmentHex, disciplineHex, []))).ToList());

var at = new DateTimeOffset(2027, 3, 20, 2, 0, 0, TimeSpan.Zero);
const string actor = "planner:00000000-0000-4000-8000-0000000000d1:1111111111111111";
const string other = "discipline-inspector:00000000-0000-4000-8000-0000000000e1:3333333333333333";
const string second = "discipline-inspector:00000000-0000-4000-8000-0000000000e1:4444444444444444";
var acts = new List<string>
{
    DrawV2.Act(1, at, other, "commit"),
    DrawV2.Act(2, sources[0].NotBefore.AddMinutes(5), second, "randomness", "fc3d", "3 9 1", other),
    DrawV2.Act(3, sources[0].NotBefore.AddMinutes(6), other, "contribution", "discipline", disciplineHex),
    DrawV2.Act(4, sources[0].NotBefore.AddMinutes(7), actor, "contribution", "department", departmentHex),
};
acts.Add(DrawV2.Act(5, sources[0].NotBefore.AddMinutes(7), actor, "draw", Canonical.Sha256Hex(outputs.Targets), Canonical.Sha256Hex(outputs.Teams), Canonical.Sha256Hex(outputs.Batches)));
var commitmentSha = Canonical.Sha256Hex(commitment);
var record = new DrawRecordV2(DrawV2.Algorithm, setup.DrawId, proposal.Files, commitment, commitmentSha, acts, DrawV2.ChainHead(commitmentSha, acts), outputs);
var write = Time(() =>
{
    using var file = File.Create(output);
    JsonSerializer.Serialize(file, record, relaxed);
});

Verification verdict = null!;
var verify = Median(Enumerable.Range(0, runs).Select(_ => Time(() =>
{
    using var file = File.OpenRead(output);
    var reread = JsonSerializer.Deserialize<DrawRecordV2>(file, json)!;
    verdict = DrawV2.Verify(reread, record.CommitmentSha256, record.RecordSha256);
})).ToList());

var selected = Canonical.Lines(outputs.Targets).Length;
Console.WriteLine($"{DrawV2.Algorithm}: pool {candidates:N0} targets, {inspectorCount} inspectors, {Environment.ProcessorCount} cores; selected {selected:N0}; " +
                  $"record {new FileInfo(output).Length / 1048576.0:F1} MiB at {output}; median of {runs} runs");
Console.WriteLine($"raw limit: {candidates:N0} HMAC-SHA256 on all cores          {hmacLoop.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"freeze (canonical files, hashes)                    {freeze.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"draw (key, rank, quota, teams)                      {draw.TotalMilliseconds,8:F0} ms   = {draw / hmacLoop:F1} x the raw limit");
Console.WriteLine($"write the record (JSON)                             {write.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"verify (read, canonical checks, chain, replay)      {verify.TotalMilliseconds,8:F0} ms   = {verify / hmacLoop:F1} x the raw limit -> {(verdict.Matches ? "MATCH" : verdict.Message)}");
Console.WriteLine($"peak working set                                    {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,8:F0} MiB");
return verdict.Matches ? 0 : 1;
