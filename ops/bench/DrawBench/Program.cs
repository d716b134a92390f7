using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Supervision.Domain.Draws;

// Measures the draw on a pool of N candidates (default 1,000,000) at 3%, with M inspectors (default 50).
var candidates = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
var inspectorCount = args.Length > 1 ? int.Parse(args[1]) : 50;
var output = Path.Combine(Path.GetTempPath(), "draw-bench-record.json");
var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var relaxed = new JsonSerializerOptions(json) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

var targets = Enumerable.Range(0, candidates).Select(n => new PoolTarget(new Guid($"10000000-0000-4000-8000-{n:D12}"), $"91130500MA{n:D8}", "*")).ToList();
var inspectors = Enumerable.Range(0, inspectorCount).Select(n => new PoolInspector(new Guid($"20000000-0000-4000-8000-{n:D12}"), new Guid("00000000-0000-4000-8000-0000000000d1"), n % 10 == 0, $"XT-{n:D4}")).ToList();
var conflicts = Enumerable.Range(0, 1000).Select(n => new PoolConflict(inspectors[n % inspectorCount].Id, targets[n * 7 % candidates].Id)).ToList();
var setup = new DrawSetup(Guid.NewGuid(), "2026001", "2026001-01", 1, new DrawSampling(300, null, null), 2, [], 0, 1, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));
var secret = RandomNumberGenerator.GetBytes(32);
GC.Collect();

var clock = Stopwatch.StartNew();
var frozen = DrawEngine.Freeze(setup, targets, [], inspectors, conflicts, Convert.ToHexStringLower(SHA256.HashData(secret)));
var freeze = clock.Elapsed;
// From here on only the frozen files exist, as in the service after scheduling and in an auditor's verifier.
targets = null!;
conflicts = null!;
GC.Collect();

clock.Restart();
RandomnessSource[] sources = [new("witness", "3 9 1", "3 9 1"), new("server-secret", Convert.ToHexStringLower(secret), Convert.ToHexStringLower(secret))];
var outputs = DrawEngine.Run(frozen.Files, DrawEngine.DeriveKey(frozen.Commitment, sources), []);
var draw = clock.Elapsed;
clock.Restart();
var record = new DrawRecord(DrawEngine.Algorithm, setup.DrawId, frozen.Files, frozen.Commitment, frozen.CommitmentSha256, sources, [], outputs);
await using (var file = File.Create(output)) await JsonSerializer.SerializeAsync(file, record, relaxed);
var write = clock.Elapsed;

clock.Restart();
DrawRecord reread;
await using (var file = File.OpenRead(output)) reread = (await JsonSerializer.DeserializeAsync<DrawRecord>(file, json))!;
var verdict = DrawEngine.Verify(reread);
var verify = clock.Elapsed;

var prkForParts = DrawEngine.DeriveKey(frozen.Commitment, sources);
clock.Restart();
var rankingOnly = TargetRanking.Build(frozen.Files.Targets, prkForParts);
var rankingTime = clock.Elapsed;
var selected = Canonical.Lines(outputs.Targets).Length;
Console.WriteLine($"pool {candidates:N0} targets, {inspectorCount} inspectors, {Environment.ProcessorCount} cores; selected {selected:N0}; record {new FileInfo(output).Length / 1048576.0:F1} MiB at {output}");
Console.WriteLine($"freeze + commit (canonical files, hashes)   {freeze.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"draw (key, rank, quota, teams)              {draw.TotalMilliseconds,8:F0} ms   (of which keying and ranking the targets {rankingTime.TotalMilliseconds:F0} ms)");
Console.WriteLine($"write the record (JSON)                     {write.TotalMilliseconds,8:F0} ms");
Console.WriteLine($"draw + record                               {(draw + write).TotalMilliseconds,8:F0} ms");
Console.WriteLine($"verify (read the record, replay, compare)   {verify.TotalMilliseconds,8:F0} ms   -> {(verdict.Matches ? "MATCH" : verdict.Message)}");
Console.WriteLine($"peak working set                            {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0,8:F0} MiB");
return verdict.Matches ? 0 : 1;
