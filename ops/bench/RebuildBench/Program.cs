using System.Diagnostics;
using System.Globalization;
using Marten;
using Npgsql;
using Supervision.Api.Calendar;
using Supervision.Api.Dashboards;
using Supervision.Api.Infrastructure;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Directories;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.Plans;

// A city's year: 10 county market regulation departments, 2 plans of 5 tasks each, one draw per task, the cases spread
// over the draws, each inspected, entered, approved; 90% published, 10% with a problem and a follow-up.
var cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20_000;
var targetCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
var Schema = Environment.GetEnvironmentVariable("REBUILD_BENCH_SCHEMA") is { Length: > 0 } named ? named : "bench_rebuild";
var connectionString = Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } cs ? cs : SupervisionSettings.LocalConnectionString;

var builder = WebApplication.CreateBuilder(["--environment", "Development"]);
builder.Configuration["ConnectionStrings:Supervision"] = connectionString;
builder.Configuration["Supervision:Schema"] = Schema;
builder.Configuration["Supervision:TypeLoadMode"] = "Dynamic";
builder.AddSupervision();
await using var app = builder.Build();
var store = app.Services.GetRequiredService<IDocumentStore>();
// REBUILD_BENCH_REUSE=1 keeps a data set generated before in the schema (same cases and targets), to measure again without the wait.
var reuse = Environment.GetEnvironmentVariable("REBUILD_BENCH_REUSE") == "1" && await HasEventsAsync(connectionString, Schema);
if (!reuse)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var drop = new NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
    await drop.ExecuteNonQueryAsync();
}
await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

static async Task<bool> HasEventsAsync(string connectionString, string schema)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"select to_regclass('{schema}.mt_events') is not null", connection);
    if (!(bool)(await command.ExecuteScalarAsync())!) return false;
    await using var count = new NpgsqlCommand($"select exists (select 1 from {schema}.mt_events)", connection);
    return (bool)(await count.ExecuteScalarAsync())!;
}

var by = new Actor("bench", "bench", Roles.Planner, null);
var year = 2026;
var generate = Stopwatch.StartNew();
if (!reuse)
{
    var matter = Guid.NewGuid();
    var departments = Enumerable.Range(1, 10).Select(i => (Id: Guid.NewGuid(), Region: $"1305{i:00}")).ToList();
    await using (var session = store.LightweightSession())
    {
        session.Events.StartStream(Region.IdFor("130500"), new RegionRegistered(Region.IdFor("130500"), "130500", "邢台市", RegionLevel.City, "130000", by));
        foreach (var (id, region) in departments)
        {
            session.Events.StartStream(Region.IdFor(region), new RegionRegistered(Region.IdFor(region), region, "县" + region, RegionLevel.County, "130500", by));
            session.Events.StartStream(id, new DepartmentRegistered(id, "MR-" + region, region + " 市场监督管理局", DepartmentKind.MarketRegulation, region, null, by));
        }
        await session.SaveChangesAsync();
    }

    var targets = new List<(Guid Id, string CreditCode, string Region)>(targetCount);
    for (var start = 0; start < targetCount; start += 5_000)
    {
        await using var session = store.LightweightSession();
        for (var n = start; n < Math.Min(targetCount, start + 5_000); n++)
        {
            var id = Guid.NewGuid();
            var code = $"91130500MA{n:D8}";
            var region = departments[n % departments.Count].Region;
            targets.Add((id, code, region));
            session.Events.StartStream(id, new TargetRegistered(id, code, code, $"企业{n}", TargetKind.Enterprise, "F52", region, null, new DateOnly(2020, 1, 1), null,
                OperatingStatus.Operating, [departments[n % departments.Count].Id], [], n % 4 == 0 ? "B" : "A", null, "bench", by));
        }
        await session.SaveChangesAsync();
    }

    var tasks = new List<(Guid Plan, string Number, string Task, Guid Department, Guid Draw)>();
    await using (var session = store.LightweightSession())
    {
        foreach (var (department, region) in departments)
            for (var p = 1; p <= 2; p++)
            {
                var planId = Guid.NewGuid();
                var number = $"{region}{year}{p:000}";
                session.Events.StartStream(planId, new PlanDrafted(planId, department, year, number, $"{year}年度第{p}批", "实施方案", false, by));
                for (var t = 1; t <= 5; t++)
                {
                    var taskNumber = $"{number}-{t:00}";
                    var definition = new TaskDefinition($"任务{t}", TaskType.Undirected, department, null, [new Participant(department, [new MatterRef(matter, 1)])],
                        new TargetFilter(RegionCode: region), "县内企业", t % 2 == 0 ? new SamplingRule(null, null, [new ClassRatio("A", 2m), new ClassRatio("B", 5m)]) : new SamplingRule(3m, null, null),
                        2, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
                    session.Events.Append(planId, new TaskAdded(planId, taskNumber, definition, by));
                    var drawId = Guid.NewGuid();
                    tasks.Add((planId, number, taskNumber, department, drawId));
                }
                session.Events.Append(planId, new PlanApproved(planId, 1, null, by));
            }
        foreach (var task in tasks)
        {
            session.Events.StartStream(task.Draw, new DrawScheduled(task.Draw, task.Plan, task.Department, task.Number, task.Task, year, [matter], "commitment", new string('0', 64), 1, 1000, 20, 0, by));
            session.Events.Append(task.Draw, new RandomnessRecorded(task.Draw, "witness", "3 9 1", "3 9 1", "纪检", by));
            session.Events.Append(task.Draw, new TargetsDrawn(task.Draw, new string('1', 64), "targets", "batches", by));
            session.Events.Append(task.Draw, new InspectorsAssigned(task.Draw, "teams", by));
        }
        await session.SaveChangesAsync();
    }

    for (var start = 0; start < cases; start += 1_000)
    {
        await using var session = store.LightweightSession();
        for (var n = start; n < Math.Min(cases, start + 1_000); n++)
        {
            var task = tasks[n % tasks.Count];
            var target = targets[(n * 7) % targets.Count];
            var caseId = InspectionCase.IdFor(task.Draw, target.Id);
            var ended = new DateOnly(year, 1 + n % 10, 1 + n % 27);
            var problem = n % 10 == 0;
            var result = new MatterResult(matter, problem ? "problem-pending" : "no-problem", problem ? "other-violation" : null, problem ? "发现问题" : null, null, null,
                "cn-2024.1", ended, "inspector", 1, [], null);
            session.Events.StartStream(caseId,
                new CaseOpened(caseId, task.Draw, task.Plan, task.Task, target.Id, [new Participant(task.Department, [new MatterRef(matter, 1)])],
                    [new TeamMember(Guid.NewGuid(), "I1", task.Department), new TeamMember(Guid.NewGuid(), "I2", task.Department)], DeadlineTrigger.InspectionEnded, by),
                new InspectionStarted(caseId, ended.AddDays(-1), by),
                new InspectionEnded(caseId, ended, [InspectionMethod.OnSite], by),
                new ResultDeadlineSet(caseId, new ResultDeadline(DeadlineTrigger.InspectionEnded, ended, ended.AddDays(28), false, ["2026r1"], ended.AddDays(25))),
                new ResultEntered(caseId, task.Department, result, by),
                new ResultsSubmitted(caseId, task.Department, by),
                new ResultsApproved(caseId, task.Department, by));
            if (n % 10 != 9)
            {
                var publicationId = Guid.NewGuid();
                session.Events.StartStream(publicationId, new ResultPublished(publicationId, new PublicResult(publicationId, 1, caseId, task.Number, task.Task, "任务", TaskType.Undirected,
                    "市场监督管理局", ended, "企业", target.CreditCode, [new PublicMatterResult("M1", "事项", result.Code, null)], [InspectionMethod.OnSite], null, ended.AddDays(10), null, null, []), [], by));
            }
            if (problem)
            {
                var followUpId = Guid.NewGuid();
                session.Events.StartStream(followUpId, new FollowUpOpened(followUpId, caseId, target.Id, matter, task.Department, "problem-pending",
                    [new Measure(1, MeasureKind.RectificationOrder, task.Department, ended.AddDays(30), null, true, null, [], null, false)], "发现问题", by));
                session.Events.Append(followUpId, new MeasureBackFilled(followUpId, 1, "已整改", [], ended.AddDays(20), false, by));
            }
        }
        await session.SaveChangesAsync();
    }
    generate.Stop();
}

var stats = await store.Advanced.FetchEventStoreStatistics();
Console.WriteLine($"events: {stats.EventCount:N0} in {stats.StreamCount:N0} streams (generated in {generate.Elapsed.TotalSeconds:F1} s)");

// Interleaved, median of 3: the raw limit (one streamed scan of the log with every event deserialised to its type by the store's
// serializer, straight from the row; nothing else, as ops/bench/Province measures it) and the one-pass rebuild of every read model.
// With REBUILD_BENCH_MARTEN_READER=1, Marten's own reader (QueryAllRawEvents), which the rebuild used before, is timed once for reference.
// REBUILD_RUNS (default 3) sets the number of interleaved runs.
var settings = app.Services.GetRequiredService<SupervisionSettings>();
var rawRates = new List<double>();
var rebuildRates = new List<double>();
ReadModelRebuildReport? rebuild = null;
var runs = int.TryParse(Environment.GetEnvironmentVariable("REBUILD_RUNS"), out var r) && r > 0 ? r : 3;
if (Environment.GetEnvironmentVariable("REBUILD_BENCH_MARTEN_READER") == "1")
{
    var marten = Stopwatch.StartNew();
    long read = 0;
    await using (var session = store.QuerySession())
        await foreach (var e in session.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToAsyncEnumerable())
            if (e.Data is not null) read++;
    marten.Stop();
    Console.WriteLine($"reference: Marten's QueryAllRawEvents {read:N0} events in {marten.Elapsed.TotalSeconds:F2} s ({read / marten.Elapsed.TotalSeconds:N0}/s)");
}
for (var run = 1; run <= runs; run++)
{
    var (scanned, scanSeconds) = await RawScan(store, connectionString);
    rawRates.Add(scanned / scanSeconds);
    rebuild = (await ReadModelRebuild.RunAsync(store, settings, ReadModelRebuild.Projections, CancellationToken.None))!;
    rebuildRates.Add(rebuild.EventsPerSecond);
    Console.WriteLine($"run {run}: raw scan + typed deserialise {scanned:N0} events in {scanSeconds:F2} s ({rawRates[^1]:N0}/s); " +
                      $"rebuild of {rebuild.ReadModels.Count} read models {rebuild.Seconds:F2} s ({rebuild.EventsPerSecond:N0} events/s)");
    Console.WriteLine("  phases (s): " + string.Join(", ", rebuild.PhaseSeconds!.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:F2}"))));
}
static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
foreach (var model in rebuild!.ReadModels.OrderByDescending(m => m.Rows).Take(8)) Console.WriteLine($"  {model.Projection}: {model.Rows:N0} rows");

if (!reuse) // the dashboards of the generated year; not part of the rebuild figure, skipped when measuring again
    await using (var session = store.QuerySession())
    {
        var calendar = await CalendarSource.LoadAsync(session, CancellationToken.None);
        foreach (var (label, sequence) in new (string, long?)[] { ("stored read model", null), ("as of (replayed)", stats.EventSequenceNumber) })
        {
            var watch = Stopwatch.StartNew();
            var loaded = await DashboardSource.LoadAsync(session, sequence, null, year, CancellationToken.None);
            var scope = new DashboardScope("region", null, "130500", "邢台市", loaded.Departments.Select(d => d.Id).ToList());
            var dashboard = DashboardFigures.Compute(scope, Period.WholeYear(year), new DateOnly(year, 12, 31), loaded.Facts,
                GoalRules.Resolve("130500", year, loaded.Goals), 100_000, "bench", calendar);
            Console.WriteLine($"city dashboard for {year}, {label}: {watch.Elapsed.TotalMilliseconds:F0} ms ({dashboard.Inspections:N0} inspections, {dashboard.ResultsPublished:N0} published)");
        }
    }
Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB");
var (rebuildRate, rawRate) = (Median(rebuildRates), Median(rawRates));
Console.WriteLine(FormattableString.Invariant($"ROW|rebuild all read models ({stats.EventCount} events)|{rebuildRate:F0}|{rawRate:F0}|{rebuildRate / rawRate:F3}"));

// The raw limit of a rebuild: read every event in order and deserialise it to its .NET type, nothing else (as ops/bench/Province).
static async Task<(long Count, double Seconds)> RawScan(IDocumentStore store, string connectionString)
{
    var serializer = store.Options.Serializer();
    var types = new Dictionary<string, Type>();
    var watch = Stopwatch.StartNew();
    long count = 0;
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand($"select mt_dotnet_type, data from {store.Options.Events.DatabaseSchemaName}.mt_events order by seq_id", connection);
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        var typeName = reader.GetString(0);
        if (!types.TryGetValue(typeName, out var type)) types[typeName] = type = Type.GetType(typeName, throwOnError: true)!;
        await using var stream = await reader.GetStreamAsync(1);
        _ = serializer.FromJson(type, stream);
        count++;
    }
    return (count, watch.Elapsed.TotalSeconds);
}
