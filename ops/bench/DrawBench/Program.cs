using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Supervision.Domain.Draws;

// One step of the draw benchmark (ops/bench/draw.sh runs them, each in its own process under /usr/bin/time, median of 3):
//   DrawBench freeze N DIR [CONNECTION]  the targets file of N generated candidates: from PostgreSQL (COPY into a table, then
//                                        streamed out in canonical order) when a connection string is given, else generated
//   DrawBench hmac DIR                   the raw limit: one HMAC-SHA256 per candidate label of the file, on all cores
//   DrawBench draw DIR [INSPECTORS]      key, rank, take 3 %, form teams; then write the record as a stream
// Each prints "SECONDS|<s>" for its timed part. The verifier is src/Supervision.DrawVerifier itself, as an auditor runs it.
var mode = args[0];
// Where the time goes: each phase of the draw (and of the verification) as it ends, then the allocation and GC figures, on stderr.
var phases = new List<string>();
DrawEngine.Phases = (phase, seconds) => phases.Add($"{phase} {seconds:F2} s");
string Figures() =>
    $"phases: {string.Join(", ", phases)}; allocated {GC.GetTotalAllocatedBytes() / 1048576} MiB, GC gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, " +
    $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576} MiB";
var department = new Guid("00000000-0000-4000-8000-0000000000d1");
var drawId = new Guid("00000000-0000-4000-8000-00000000a001");
static Guid TargetId(long n) => new($"10000000-0000-4000-8000-{n:D12}");
static string Identifier(long n) => $"91130500MA{n:D8}";

switch (mode)
{
    case "freeze":
        {
            var count = long.Parse(args[1]);
            var directory = args[2];
            var connection = args.Length > 3 ? args[3] : null;
            var clock = Stopwatch.StartNew();
            var writer = new CanonicalTargetsWriter((int)Math.Min(Array.MaxLength, count * 61));
            if (connection is null)
            {
                for (long n = 0; n < count; n++) writer.Add("*", TargetId(n), Identifier(n));
            }
            else
            {
                // Only the read is timed: rows stream from the server straight into canonical bytes.
                await using var source = NpgsqlDataSource.Create(connection);
                var load = Stopwatch.StartNew();
                await using (var drop = source.CreateCommand("DROP TABLE IF EXISTS bench_target; CREATE UNLOGGED TABLE bench_target (id uuid PRIMARY KEY, identifier text NOT NULL, stratum text NOT NULL)"))
                    await drop.ExecuteNonQueryAsync();
                await using (var copy = await source.OpenConnectionAsync())
                await using (var importer = await copy.BeginBinaryImportAsync("COPY bench_target (id, identifier, stratum) FROM STDIN (FORMAT BINARY)"))
                {
                    for (long n = 0; n < count; n++)
                    {
                        await importer.StartRowAsync();
                        await importer.WriteAsync(TargetId(n), NpgsqlTypes.NpgsqlDbType.Uuid);
                        await importer.WriteAsync(Identifier(n), NpgsqlTypes.NpgsqlDbType.Text);
                        await importer.WriteAsync("*", NpgsqlTypes.NpgsqlDbType.Text);
                    }
                    await importer.CompleteAsync();
                }
                await using (var analyze = source.CreateCommand("ANALYZE bench_target")) await analyze.ExecuteNonQueryAsync();
                Console.Error.WriteLine($"loaded {count:N0} rows by COPY in {load.Elapsed.TotalSeconds:F1} s (not part of the freeze)");
                clock.Restart();
                // The canonical order is bytewise over "T|stratum|id|identifier": stratum then the id's text in the C collation.
                await using var query = source.CreateCommand("SELECT stratum, id, identifier FROM bench_target ORDER BY stratum COLLATE \"C\", id::text COLLATE \"C\"");
                await using var reader = await query.ExecuteReaderAsync();
                while (await reader.ReadAsync()) writer.Add(reader.GetString(0), reader.GetGuid(1), reader.GetString(2));
            }
            var (bytes, length, sha) = writer.Complete();
            var seconds = clock.Elapsed.TotalSeconds;
            await using (var file = File.Create(Path.Combine(directory, "targets.txt"))) file.Write(bytes, 0, length);
            File.WriteAllText(Path.Combine(directory, "targets.sha256"), sha);
            Console.WriteLine($"SECONDS|{seconds:F3}");
            return 0;
        }
    case "hmac":
        {
            var targets = File.ReadAllBytes(Path.Combine(args[1], "targets.txt"));
            var lines = new List<(int Start, int Length)>();
            for (var start = 0; start < targets.Length;)
            {
                var end = Array.IndexOf(targets, (byte)'\n', start);
                lines.Add((start, 40 + 1)); // "T|*|" + id: the label of a target in an unstratified draw
                start = end + 1;
            }
            var key = RandomNumberGenerator.GetBytes(32);
            var clock = Stopwatch.StartNew();
            Parallel.For(0, Environment.ProcessorCount, worker =>
            {
                using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
                Span<byte> digest = stackalloc byte[32];
                for (var i = worker; i < lines.Count; i += Environment.ProcessorCount)
                {
                    hmac.AppendData(targets.AsSpan(lines[i].Start, lines[i].Length));
                    hmac.GetHashAndReset(digest);
                }
            });
            Console.WriteLine($"SECONDS|{clock.Elapsed.TotalSeconds:F3}");
            return 0;
        }
    case "keys":
        {
            // The same labels keyed by the draw's own primitive (LabelKeys: the HMAC's two midstates once, eight labels per
            // 256-bit vector), on all cores: what the draw's keying costs when nothing else is done.
            var targets = File.ReadAllBytes(Path.Combine(args[1], "targets.txt"));
            var starts = new List<int>();
            for (var start = 0; start < targets.Length;)
            {
                starts.Add(start);
                start = Array.IndexOf(targets, (byte)'\n', start) + 1;
            }
            var key = RandomNumberGenerator.GetBytes(32);
            var clock = Stopwatch.StartNew();
            var workers = Environment.ProcessorCount;
            Parallel.For(0, workers, worker =>
            {
                using var keys = new LabelKeys(key);
                const int batch = 64;
                var lengths = Enumerable.Repeat(40 + 1, batch).ToArray();
                var digests = new byte[batch * 32];
                var from = (int)((long)starts.Count * worker / workers);
                var to = (int)((long)starts.Count * (worker + 1) / workers);
                var mine = starts.GetRange(from, to - from).ToArray();
                for (var i = 0; i < mine.Length; i += batch)
                {
                    var n = Math.Min(batch, mine.Length - i);
                    keys.Compute(targets, mine.AsSpan(i, n), lengths.AsSpan(0, n), digests);
                }
            });
            Console.WriteLine($"SECONDS|{clock.Elapsed.TotalSeconds:F3}");
            return 0;
        }
    case "draw":
        {
            var directory = args[1];
            var inspectorCount = args.Length > 2 ? int.Parse(args[2]) : 50;
            var clock = Stopwatch.StartNew();
            var targets = File.ReadAllBytes(Path.Combine(directory, "targets.txt"));
            var targetsSha = File.ReadAllText(Path.Combine(directory, "targets.sha256"));
            var count = 0;
            foreach (var b in targets) if (b == (byte)'\n') count++;
            var inspectors = Enumerable.Range(0, inspectorCount).Select(n => new PoolInspector(new Guid($"20000000-0000-4000-8000-{n:D12}"), department, n % 10 == 0, "")).ToList();
            var conflicts = Enumerable.Range(0, 1000).Select(n => new PoolConflict(inspectors[n % inspectorCount].Id, TargetId(n * 7L % count))).Distinct().ToList();
            var setup = new DrawSetup(drawId, "2027001", "2027001-01", 1, new DrawSampling(300, null, null), 2, [], 0, 1, new DateOnly(2027, 3, 1), new DateOnly(2027, 4, 30));
            var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D 第2027076期开奖号码") };
            var departmentHex = Convert.ToHexStringLower(SHA256.HashData("bench department"u8));
            var disciplineHex = Convert.ToHexStringLower(SHA256.HashData("bench discipline"u8));
            (string, string)[] values = [("fc3d", "3 9 1")];
            var files = new DrawFiles(
                Canonical.File(DrawV2.ParameterLines(setup)), "", "",
                Canonical.File(inspectors.Select(i => Canonical.Line("I", Canonical.Id(i.Id), Canonical.Id(i.DepartmentId), i.Expert ? "1" : "0"))),
                Canonical.File(conflicts.Select(c => Canonical.Line("C", Canonical.Id(c.InspectorId), Canonical.Id(c.TargetId)))),
                Canonical.File(DrawEngine.Quotas(setup.Sampling, new Dictionary<string, int> { ["*"] = count }).Select(q => $"Q|{q.Stratum}|{q.Pool}|{q.Quota}")),
                Canonical.File(sources.Select(s => Canonical.Line("S", s.Name, s.Kind, DrawV2.Instant(s.NotBefore), s.Description))));
            var commitment = DrawV2.Commitment(DrawV2.CommitmentBase(drawId, files, DrawV2.ContributionSha256(departmentHex), targetsSha), DrawV2.ContributionSha256(disciplineHex));
            var load = clock.Elapsed.TotalSeconds;

            clock.Restart();
            var outputs = DrawV2.Draw(files, targets, commitment, values, departmentHex, disciplineHex, []);
            var drawSeconds = clock.Elapsed.TotalSeconds;

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
            var record = new DrawRecordV2(DrawV2.Algorithm, drawId, files, commitment, commitmentSha, acts, DrawV2.ChainHead(commitmentSha, acts), outputs);
            clock.Restart();
            var path = Path.Combine(directory, "record.json");
            using (var file = File.Create(path)) DrawRecordStream.Write(file, record, targets);
            var writeSeconds = clock.Elapsed.TotalSeconds;
            File.WriteAllText(Path.Combine(directory, "expect.txt"), $"{commitmentSha} {record.RecordSha256}");
            Console.Error.WriteLine($"pool {count:N0}, selected {Canonical.Lines(outputs.Targets).Length:N0}, record {new FileInfo(path).Length / 1048576.0:F0} MiB; " +
                                    $"load {load:F2} s, draw {drawSeconds:F2} s, write {writeSeconds:F2} s");
            Console.Error.WriteLine("PHASES|draw|" + Figures());
            Console.WriteLine($"SECONDS|{drawSeconds:F3}");
            Console.WriteLine($"WRITE|{writeSeconds:F3}");
            return 0;
        }
    case "verify-steps":
        {
            // Where verification time goes, in process: read, parse as a stream, verify over bytes (no fallback).
            var directory = args[1];
            var expect = File.ReadAllText(Path.Combine(directory, "expect.txt")).Split(' ');
            var clock = Stopwatch.StartNew();
            var json = File.ReadAllBytes(Path.Combine(directory, "record.json"));
            var readSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var read = DrawRecordStream.TryRead(json) ?? throw new InvalidOperationException("not in the service's shape");
            var parseSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var verdict = DrawV2.Verify(read.Record, read.TargetsUtf8, expect[0], expect[1]);
            Console.Error.WriteLine($"read {readSeconds:F2} s, parse {parseSeconds:F2} s, verify {clock.Elapsed.TotalSeconds:F2} s: {verdict.Message}");
            Console.Error.WriteLine("PHASES|verify|" + Figures());
            return verdict.Matches ? 0 : 1;
        }
    default:
        Console.Error.WriteLine("usage: DrawBench freeze N DIR [CONNECTION] | hmac DIR | draw DIR [INSPECTORS]");
        return 2;
}
