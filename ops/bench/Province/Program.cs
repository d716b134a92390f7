using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using JasperFx;
using Marten;
using Npgsql;
using NpgsqlTypes;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Http;
using Supervision.Api.Integrity;
using Supervision.Domain.Directories;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.Plans;

// The province data set of ops/bench/all.sh (issue 14), written into the database named by SUPERVISION_CONNECTION_STRING
// (schema "supervision", as the service deploys it). Verbs:
//   build <scale> <seed>   generate the event store (COPY into mt_streams, mt_events, event_subjects), build every read model
//                          with the service's own rebuild, write the version stamp last (a half-built database has none)
//   check <scale> <seed>   exit 0 when the database holds a complete data set of this generator version, scale and seed
//   rebuild [runs]         the rebuild row: rebuild of all read models beside the raw scan + typed deserialise, median of runs
// What is generated, how many and how distributed: ops/bench/Province/README.md. Bump GeneratorVersion whenever the output changes.
const string GeneratorVersion = "province-2";
var verb = args.Length > 0 ? args[0] : "build";
var connectionString = Environment.GetEnvironmentVariable("SUPERVISION_CONNECTION_STRING") is { Length: > 0 } cs ? cs : SupervisionSettings.LocalConnectionString;
var scale = args.Length > 1 && verb != "rebuild" ? double.Parse(args[1], CultureInfo.InvariantCulture) : 1.0;
var seed = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20261201;

if (verb == "check")
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var read = new NpgsqlCommand(
        "select count(*) from information_schema.tables where table_schema = 'public' and table_name = 'bnch_province_stamp'", connection);
    if ((long)(await read.ExecuteScalarAsync())! == 0) return 1;
    await using var stamp = new NpgsqlCommand("select generator_version, scale, seed, targets, cases, events from public.bnch_province_stamp", connection);
    await using var reader = await stamp.ExecuteReaderAsync();
    if (!await reader.ReadAsync()) return 1;
    var same = reader.GetString(0) == GeneratorVersion && reader.GetDouble(1) == scale && reader.GetInt32(2) == seed;
    Console.WriteLine($"{(same ? "reusing" : "stale")}: {reader.GetString(0)}, scale {reader.GetDouble(1)}, seed {reader.GetInt32(2)}, " +
                      $"{reader.GetInt64(3):N0} targets, {reader.GetInt64(4):N0} cases, {reader.GetInt64(5):N0} events");
    return same ? 0 : 1;
}

var builder = WebApplication.CreateBuilder(["--environment", "Development"]);
builder.Configuration["ConnectionStrings:Supervision"] = connectionString;
builder.Configuration["Supervision:TypeLoadMode"] = "Dynamic";
builder.Configuration["Supervision:SealIntervalMinutes"] = "0";
builder.Logging.SetMinimumLevel(LogLevel.Error);
builder.AddSupervision();
await using var app = builder.Build();
var store = app.Services.GetRequiredService<IDocumentStore>();
var settings = app.Services.GetRequiredService<SupervisionSettings>();

if (verb == "rebuild")
{
    var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
    // The schema is in place (the build set it up); checked once here, so the rebuild's first writes do not each wait for it.
    await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
    var raws = new List<double>();
    var rebuilds = new List<double>();
    long events = 0;
    for (var run = 1; run <= runs; run++)
    {
        // Interleaved: raw, rebuild, raw, rebuild …, so both see the same machine load.
        var (count, seconds) = await RawScan(store, connectionString);
        events = count;
        raws.Add(count / seconds);
        var report = (await ReadModelRebuild.RunAsync(store, settings, ReadModelRebuild.Projections, CancellationToken.None))
                     ?? throw new InvalidOperationException("another rebuild holds the lock");
        rebuilds.Add(count / report.Seconds);
        Console.WriteLine($"run {run}: raw scan + typed deserialise {count / seconds:N0} events/s ({seconds:F1} s); " +
                          $"rebuild of {report.ReadModels.Count} read models {count / report.Seconds:N0} events/s ({report.Seconds:F1} s, " +
                          $"{report.ReadModels.Sum(m => m.Rows):N0} rows, {report.EventsCaughtUp} events caught up)");
        if (report.PhaseSeconds is { } phases)
            Console.WriteLine("  phases (s): " + string.Join(", ", phases.Select(p => FormattableString.Invariant($"{p.Key} {p.Value:F1}"))));
    }
    var rebuildMedian = Median(rebuilds);
    var rawMedian = Median(raws);
    Console.WriteLine($"ROW|rebuild of all read models, {events:N0} events|{rebuildMedian:N0} events/s ({events / rebuildMedian:F1} s)|" +
                      $"scan + typed deserialise {rawMedian:N0} events/s|{100 * rebuildMedian / rawMedian:F1} %");
    return 0;
}

if (verb != "build") { Console.Error.WriteLine("usage: Province build|check <scale> <seed> | rebuild [runs]"); return 2; }

// ---------------------------------------------------------------------------------------------------------------------
// build
var total = Stopwatch.StartNew();
await JasperFx.Resources.ResourceHostExtensions.SetupResources(app);
var random = new Random(seed);
Guid NextGuid()
{
    Span<byte> bytes = stackalloc byte[16];
    random.NextBytes(bytes);
    bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
    bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
    return new Guid(bytes);
}

const int Year = 2026;
var targetCount = (int)Math.Round(1_000_000 * scale);
var caseCount = (int)Math.Round(200_000 * scale);
var writer = new EventCopyWriter(store, connectionString);
await writer.OpenAsync();

// Organisation: 河北省, its 11 cities, 10 counties each; a market regulation department at every level.
var admin = new Actor("bnch-admin", "基准管理员", Roles.SystemAdmin, null);
var time = new DateTimeOffset(2025, 11, 1, 1, 0, 0, TimeSpan.Zero);
string[] cityNames = ["石家庄市", "唐山市", "秦皇岛市", "邯郸市", "邢台市", "保定市", "张家口市", "承德市", "沧州市", "廊坊市", "衡水市"];
writer.Stream<Region>(Region.IdFor("130000"), time, admin, new RegionRegistered(Region.IdFor("130000"), "130000", "河北省", RegionLevel.Province, null, admin));
var provinceDepartment = Department.IdFor("HB-SCJG");
writer.Stream<Department>(provinceDepartment, time, admin,
    new DepartmentRegistered(provinceDepartment, "HB-SCJG", "河北省市场监督管理局", DepartmentKind.MarketRegulation, "130000", null, admin));
var counties = new List<(string Code, Guid Department, Actor Keeper, Actor Planner, Actor Approver, Actor Inspector, List<TeamMember> Inspectors)>();
for (var c = 1; c <= 11; c++)
{
    var cityCode = $"13{c:00}00";
    var cityDepartment = Department.IdFor($"HB{c:00}-SCJG");
    writer.Stream<Region>(Region.IdFor(cityCode), time, admin, new RegionRegistered(Region.IdFor(cityCode), cityCode, cityNames[c - 1], RegionLevel.City, "130000", admin));
    writer.Stream<Department>(cityDepartment, time, admin,
        new DepartmentRegistered(cityDepartment, $"HB{c:00}-SCJG", cityNames[c - 1] + "市场监督管理局", DepartmentKind.MarketRegulation, cityCode, provinceDepartment, admin));
    for (var k = 2; k <= 11; k++)
    {
        var code = $"13{c:00}{k:00}";
        var departmentCode = $"HB{c:00}{k:00}-SCJG";
        var department = Department.IdFor(departmentCode);
        writer.Stream<Region>(Region.IdFor(code), time, admin, new RegionRegistered(Region.IdFor(code), code, $"{cityNames[c - 1]}第{k - 1}区县", RegionLevel.County, cityCode, admin));
        writer.Stream<Department>(department, time, admin,
            new DepartmentRegistered(department, departmentCode, $"{cityNames[c - 1]}第{k - 1}区县市场监督管理局", DepartmentKind.MarketRegulation, code, cityDepartment, admin));
        counties.Add((code, department, new Actor($"bnch-keeper-{code}", "名录管理员", Roles.DirectoryKeeper, department),
            new Actor($"bnch-planner-{code}", "计划员", Roles.Planner, department), new Actor($"bnch-approver-{code}", "审批人", Roles.Approver, department),
            new Actor($"bnch-inspector-{code}", "检查员", Roles.Inspector, department), []));
    }
}

// Inspectors: 20 per county department, one in ten an expert.
time = time.AddDays(5);
foreach (var county in counties)
    for (var i = 0; i < 20; i++)
    {
        var id = NextGuid();
        var staffCode = $"{county.Code}{i:000}";
        writer.Stream<Inspector>(id, time, county.Keeper, new InspectorRegistered(id, staffCode, $"检查员{staffCode}", county.Department, "执法人员", county.Code, i % 10 == 0,
            [], new DateOnly(2025, 1, 1), county.Keeper));
        county.Inspectors.Add(new TeamMember(id, staffCode, county.Department));
    }
await writer.FlushAsync();

// Targets: each county an equal share; 70 % enterprises (91…), 25 % sole traders (92…), 5 % farmer cooperatives (93…);
// credit classes A 60 %, B 25 %, C 10 %, D 5 %; registered 1995–2025 uniformly; industries from a small list.
string[] industries = ["C1311", "C1391", "C2411", "E4710", "F5211", "F5223", "F5261", "H6210", "I6510", "L7212", "M7320", "O8010"];
var targetsByCounty = counties.Select(_ => new List<(Guid Id, string CreditCode, string Name, TargetKind Kind)>()).ToList();
var targetClock = Stopwatch.StartNew();
var targetStep = TimeSpan.FromDays(25) / Math.Max(1, targetCount);
time = new DateTimeOffset(2025, 11, 10, 0, 0, 0, TimeSpan.Zero);
for (var n = 0; n < targetCount; n++)
{
    var countyIndex = n % counties.Count;
    var county = counties[countyIndex];
    var roll = random.Next(100);
    var (kind, prefix, suffix) = roll < 70 ? (TargetKind.Enterprise, "91", "有限公司") : roll < 95 ? (TargetKind.SoleTrader, "92", "商店") : (TargetKind.FarmerCooperative, "93", "专业合作社");
    var first17 = $"{prefix}{county.Code}MA{n:D7}";
    var creditCode = first17 + CreditCode.CheckCharacterFor(first17);
    var id = Target.IdFor(Target.IdentifierFor(kind, creditCode, null));
    var classRoll = random.Next(100);
    var creditClass = classRoll < 60 ? "A" : classRoll < 85 ? "B" : classRoll < 95 ? "C" : "D";
    var name = $"{county.Code}基准{n}{suffix}";
    var registered = new DateOnly(1995, 1, 1).AddDays(random.Next(31 * 365));
    writer.Stream<Target>(id, time, county.Keeper, new TargetRegistered(id, creditCode, creditCode, name, kind, industries[random.Next(industries.Length)], county.Code,
        $"{county.Code}某路{n}号", registered, kind == TargetKind.Enterprise ? (TargetScale)random.Next(4) : null, OperatingStatus.Operating, [county.Department], [],
        creditClass, new DateOnly(2025, 6, 30), "bnch-province", county.Keeper));
    targetsByCounty[countyIndex].Add((id, creditCode, name, kind));
    time += targetStep;
    if (writer.Pending >= 20_000) await writer.FlushAsync();
}
await writer.FlushAsync();
Console.WriteLine($"targets: {targetCount:N0} in {targetClock.Elapsed.TotalSeconds:F1} s");

// Plans, tasks and draws: every county department 2 plans of 5 tasks, each task one draw, drawn in January.
var matter = NextGuid();
var tasks = new List<(int County, Guid Plan, string Number, string Task, Guid Draw)>();
time = new DateTimeOffset(2026, 1, 5, 1, 0, 0, TimeSpan.Zero);
for (var c = 0; c < counties.Count; c++)
{
    var county = counties[c];
    for (var p = 1; p <= 2; p++)
    {
        var number = $"{Year}{p:000}";
        var planId = PlanRules.IdFor(county.Department, number);
        writer.Stream<PlanNumbering>(PlanNumbering.IdFor(county.Department, Year), time, county.Planner, p == 1,
            new PlanNumberAllocated(PlanNumbering.IdFor(county.Department, Year), county.Department, Year, p, number, county.Planner));
        var planEvents = new List<object> { new PlanDrafted(planId, county.Department, Year, number, $"{Year}年度第{p}批双随机抽查计划", "实施方案", false, county.Planner) };
        for (var t = 1; t <= 5; t++)
        {
            var taskNumber = $"{number}-{t:00}";
            var definition = new TaskDefinition($"任务{t}", TaskType.Undirected, county.Department, null, [new Participant(county.Department, [new MatterRef(matter, 1)])],
                new TargetFilter(RegionCode: county.Code), "县内市场主体",
                t % 2 == 0 ? new SamplingRule(null, null, [new ClassRatio("A", 2m), new ClassRatio("B", 5m), new ClassRatio("C", 10m), new ClassRatio("D", 20m)]) : new SamplingRule(3m, null, null),
                2, new DateOnly(Year, 2, 1), new DateOnly(Year, 11, 30));
            planEvents.Add(new TaskAdded(planId, taskNumber, definition, county.Planner));
            tasks.Add((c, planId, number, taskNumber, NextGuid()));
        }
        planEvents.Add(new PlanApproved(planId, 1, null, county.Approver));
        writer.Stream<AnnualPlan>(planId, time, county.Planner, [.. planEvents]);
    }
}
time = time.AddDays(20);
foreach (var task in tasks)
{
    var county = counties[task.County];
    writer.Stream<Draw>(task.Draw, time, county.Planner,
        new DrawScheduled(task.Draw, task.Plan, county.Department, task.Number, task.Task, Year, [matter], "commitment", new string('0', 64), 1, 1000, 20, 0, county.Planner),
        new RandomnessRecorded(task.Draw, "witness", "3 9 1", "3 9 1", "纪检", county.Planner),
        new TargetsDrawn(task.Draw, new string('1', 64), "targets", "batches", county.Planner),
        new InspectorsAssigned(task.Draw, "teams", county.Planner));
}
await writer.FlushAsync();

// Cases: spread evenly over the tasks; in each county a target is inspected at most once a year. Each case is opened,
// inspected by two of its department's inspectors (ended between 1 Feb and 31 Oct), entered, submitted, approved.
// One in ten finds a problem and opens a follow-up whose measure is back-filled. Every case is published ten days after its
// inspection ended (one in twenty withheld as a commercial secret; one in five published cases later corrected).
var casesByDay = new List<int>[273];
for (var d = 0; d < casesByDay.Length; d++) casesByDay[d] = [];
var caseTargets = new (int Task, int Target)[caseCount];
var nextTargetInCounty = new int[counties.Count];
var shuffles = targetsByCounty.Select(list => Enumerable.Range(0, list.Count).OrderBy(_ => random.Next()).ToArray()).ToList();
for (var n = 0; n < caseCount; n++)
{
    var taskIndex = n % tasks.Count;
    var countyIndex = tasks[taskIndex].County;
    var slot = nextTargetInCounty[countyIndex]++ % shuffles[countyIndex].Length;
    caseTargets[n] = (taskIndex, shuffles[countyIndex][slot]);
    casesByDay[random.Next(casesByDay.Length)].Add(n);
}
var caseClock = Stopwatch.StartNew();
var publications = 0;
var publishDue = new List<(int Case, Guid CaseId, DateOnly Ended)>[casesByDay.Length + 10];
for (var d = 0; d < publishDue.Length; d++) publishDue[d] = [];
var firstDay = new DateOnly(Year, 2, 1);
for (var day = 0; day < publishDue.Length; day++)
{
    var date = firstDay.AddDays(day);
    time = new DateTimeOffset(date.ToDateTime(new TimeOnly(1, 0)), TimeSpan.Zero);
    if (day < casesByDay.Length)
        foreach (var n in casesByDay[day])
        {
            var task = tasks[caseTargets[n].Task];
            var county = counties[task.County];
            var target = targetsByCounty[task.County][caseTargets[n].Target];
            var caseId = InspectionCase.IdFor(task.Draw, target.Id);
            var ended = date;
            var problem = n % 10 == 0;
            var first = county.Inspectors[n % county.Inspectors.Count];
            var second = county.Inspectors[(n + 7) % county.Inspectors.Count];
            var result = new MatterResult(matter, problem ? "problem-pending" : "no-problem", problem ? "other-violation" : null, problem ? "发现问题" : null, null, null,
                "cn-2024.1", ended, county.Inspector.UserId, 1, [], null);
            writer.Stream<InspectionCase>(caseId, time, county.Inspector,
                new CaseOpened(caseId, task.Draw, task.Plan, task.Task, target.Id, [new Participant(county.Department, [new MatterRef(matter, 1)])],
                    [first, second], DeadlineTrigger.InspectionEnded, county.Planner),
                new InspectionStarted(caseId, ended.AddDays(-1), county.Inspector),
                new InspectionEnded(caseId, ended, [InspectionMethod.OnSite], county.Inspector),
                new ResultDeadlineSet(caseId, new ResultDeadline(DeadlineTrigger.InspectionEnded, ended, ended.AddDays(28), false, ["2026r1"], ended.AddDays(25))),
                new ResultEntered(caseId, county.Department, result, county.Inspector),
                new ResultsSubmitted(caseId, county.Department, county.Inspector),
                new ResultsApproved(caseId, county.Department, county.Approver));
            publishDue[day + 10].Add((n, caseId, ended));
            if (problem)
            {
                var followUpId = FollowUpCase.IdFor(caseId, matter);
                writer.Stream<FollowUpCase>(followUpId, time, county.Approver,
                    new FollowUpOpened(followUpId, caseId, target.Id, matter, county.Department, "problem-pending",
                        [new Measure(1, MeasureKind.RectificationOrder, county.Department, ended.AddDays(30), null, true, null, [], null, false)], "发现问题", county.Approver),
                    new MeasureBackFilled(followUpId, 1, "已整改", [], ended.AddDays(20), false, county.Approver));
            }
            if (writer.Pending >= 20_000) await writer.FlushAsync();
        }
    foreach (var (n, caseId, ended) in publishDue[day])
    {
        var task = tasks[caseTargets[n].Task];
        var county = counties[task.County];
        var target = targetsByCounty[task.County][caseTargets[n].Target];
        var publicationId = ResultPublication.IdFor(caseId);
        publications++;
        if (n % 20 == 19)
        {
            writer.Stream<ResultPublication>(publicationId, time, county.Approver,
                new ResultWithheld(publicationId, caseId, WithholdingGround.CommercialSecret, "《反不正当竞争法》第九条", "涉及商业秘密", county.Approver));
            continue;
        }
        var problem = n % 10 == 0;
        var content = new PublicResult(publicationId, 1, caseId, task.Number, task.Task, "双随机抽查任务", TaskType.Undirected, $"{county.Code}市场监督管理局", ended,
            target.Name, target.CreditCode, [new PublicMatterResult("M1", "营业执照（登记证）规范使用情况的检查", problem ? "发现问题待后续处理" : "未发现问题", null)],
            [InspectionMethod.OnSite], problem ? "已责令改正" : null, date, null, null, []);
        var events = new List<object> { new ResultPublished(publicationId, content, [], county.Approver) };
        if (n % 5 == 0)
            events.Add(new PublicationCorrected(publicationId, content with { Revision = 2, PublishedOn = date.AddDays(5), Corrects = 1, CorrectionReason = "补充整改结果", Handling = "企业已整改完毕" },
                [], "补充整改结果", county.Approver));
        writer.Stream<ResultPublication>(publicationId, time, county.Approver, [.. events]);
    }
    if (writer.Pending >= 20_000) await writer.FlushAsync();
}
Console.WriteLine($"cases: {caseCount:N0}, publications {publications:N0}, in {caseClock.Elapsed.TotalSeconds:F1} s");
await writer.FinishAsync();
var generated = total.Elapsed.TotalSeconds;
Console.WriteLine($"event store: {writer.Events:N0} events in {writer.Streams:N0} streams, written in {generated:F1} s");

// Read models: the service's own rebuild, the same code as POST /api/admin/read-models/rebuild?scope=all.
var rebuild = (await ReadModelRebuild.RunAsync(store, settings, ReadModelRebuild.Projections, CancellationToken.None))!;
Console.WriteLine($"read models: {rebuild.ReadModels.Count} rebuilt in {rebuild.Seconds:F1} s");

await using (var connection = new NpgsqlConnection(connectionString))
{
    await connection.OpenAsync();
    await using var stamp = new NpgsqlCommand(
        """
        create table if not exists public.bnch_province_stamp (generator_version text not null, scale double precision not null, seed int not null,
            targets bigint not null, cases bigint not null, publications bigint not null, events bigint not null, streams bigint not null,
            build_seconds double precision not null, built_at timestamptz not null default now());
        delete from public.bnch_province_stamp;
        insert into public.bnch_province_stamp (generator_version, scale, seed, targets, cases, publications, events, streams, build_seconds)
        values (@v, @scale, @seed, @targets, @cases, @publications, @events, @streams, @seconds);
        analyze;
        """, connection);
    stamp.Parameters.AddWithValue("v", GeneratorVersion);
    stamp.Parameters.AddWithValue("scale", scale);
    stamp.Parameters.AddWithValue("seed", seed);
    stamp.Parameters.AddWithValue("targets", (long)targetCount);
    stamp.Parameters.AddWithValue("cases", (long)caseCount);
    stamp.Parameters.AddWithValue("publications", (long)publications);
    stamp.Parameters.AddWithValue("events", writer.Events);
    stamp.Parameters.AddWithValue("streams", writer.Streams);
    stamp.Parameters.AddWithValue("seconds", total.Elapsed.TotalSeconds);
    await stamp.ExecuteNonQueryAsync();
}
Console.WriteLine($"province data set {GeneratorVersion} (scale {scale}, seed {seed}) built in {total.Elapsed.TotalSeconds:F1} s");
return 0;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// The raw limit of a rebuild: read every event in order and deserialise it to its .NET type, nothing else.
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

/// <summary>
/// Appends whole streams with binary COPY, as <c>BulkTargetWriter</c> does for an import: stream rows, events with the service's
/// metadata (user, roles, department headers; the acting user's name), sequence numbers in order, and the subject index
/// (<see cref="EventSubjectsProjection"/>, which a rebuild does not refill). Documents are left to the service's rebuild.
/// </summary>
sealed class EventCopyWriter(IDocumentStore store, string connectionString)
{
    private readonly string schema = store.Options.Events.DatabaseSchemaName;
    private readonly ISerializer serializer = store.Options.Serializer();
    private readonly Dictionary<Type, (string Name, string DotNet)> typeNames = [];
    private readonly List<(Guid Id, string Type, bool IsNew, DateTimeOffset At, Actor By, object[] Events)> pending = [];
    private readonly Dictionary<Guid, long> versions = []; // streams appended to more than once (plan numbering)
    private NpgsqlConnection connection = null!;
    private long sequence;

    public int Pending { get; private set; }
    public long Events => sequence;
    public long Streams { get; private set; }

    public async Task OpenAsync()
    {
        connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from {schema}.mt_events", connection);
        if ((long)(await count.ExecuteScalarAsync())! != 0) throw new InvalidOperationException("the province data set is built into an empty database");
    }

    public void Stream<TAggregate>(Guid id, DateTimeOffset at, Actor by, params object[] events) => Stream<TAggregate>(id, at, by, true, events);

    public void Stream<TAggregate>(Guid id, DateTimeOffset at, Actor by, bool isNew, params object[] events)
    {
        pending.Add((id, typeof(TAggregate).Name.ToLowerInvariant(), isNew, at, by, events));
        Pending += events.Length;
    }

    private (string Name, string DotNet) NamesOf(Type type)
    {
        if (!typeNames.TryGetValue(type, out var names))
            typeNames[type] = names = (EventTypeName(type), $"{type.FullName}, {type.Assembly.GetName().Name}");
        return names;
    }

    public async Task FlushAsync()
    {
        if (pending.Count == 0) return;
        var eventsPerStream = new Dictionary<Guid, int>(); // a stream may be created and appended to in one flush (plan numbering)
        foreach (var s in pending) eventsPerStream[s.Id] = eventsPerStream.GetValueOrDefault(s.Id) + s.Events.Length;
        var created = pending.Where(s => s.IsNew).Select(s => s.Id).ToHashSet();
        await using (var copy = await connection.BeginBinaryImportAsync($"copy {schema}.mt_streams (id, type, version, timestamp, created, tenant_id) from stdin (format binary)"))
        {
            foreach (var (id, type, isNew, at, _, events) in pending.Where(s => s.IsNew))
            {
                var last = eventsPerStream[id];
                await copy.StartRowAsync();
                await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                await copy.WriteAsync(type, NpgsqlDbType.Varchar);
                await copy.WriteAsync((long)(versions.GetValueOrDefault(id) + last), NpgsqlDbType.Bigint);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz);
                await copy.WriteAsync(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar);
            }
            await copy.CompleteAsync();
        }
        var appendedOnly = pending.Where(s => !s.IsNew && !created.Contains(s.Id)).GroupBy(s => s.Id).ToList();
        foreach (var group in appendedOnly)
        {
            await using var move = new NpgsqlCommand($"update {schema}.mt_streams set version = version + $2 where id = $1", connection);
            move.Parameters.Add(new NpgsqlParameter { Value = group.Key });
            move.Parameters.Add(new NpgsqlParameter { Value = (long)group.Sum(s => s.Events.Length) });
            await move.ExecuteNonQueryAsync();
        }
        Streams += pending.Count(s => s.IsNew);

        var subjects = new List<(Guid Subject, long Sequence, Guid Stream)>();
        await using (var copy = await connection.BeginBinaryImportAsync(
                         $"copy {schema}.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, " +
                         "correlation_id, causation_id, headers, user_name, is_archived) from stdin (format binary)"))
        {
            foreach (var (id, _, _, at, by, events) in pending)
            {
                var headers = serializer.ToJson(new Dictionary<string, object?>
                {
                    [ActorMetadata.UserIdHeader] = by.UserId,
                    [ActorMetadata.UserRolesHeader] = by.Role,
                    [ActorMetadata.DepartmentHeader] = by.DepartmentId?.ToString(),
                });
                var correlation = $"bnch-{id:N}";
                foreach (var data in events)
                {
                    var version = versions[id] = versions.GetValueOrDefault(id) + 1;
                    var (name, dotNet) = NamesOf(data.GetType());
                    sequence++;
                    await copy.StartRowAsync();
                    await copy.WriteAsync(sequence, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(DeterministicEventId(sequence), NpgsqlDbType.Uuid);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid);
                    await copy.WriteAsync(version, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(serializer.ToJson(data), NpgsqlDbType.Jsonb);
                    await copy.WriteAsync(name, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(at.AddMilliseconds(sequence % 3_600_000), NpgsqlDbType.TimestampTz); // distinct, and in sequence order
                    await copy.WriteAsync(StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(dotNet, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(correlation, NpgsqlDbType.Varchar);
                    await copy.WriteNullAsync();
                    await copy.WriteAsync(headers, NpgsqlDbType.Jsonb);
                    await copy.WriteAsync(by.UserId, NpgsqlDbType.Varchar);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                    foreach (var subject in EventSubjectsProjection.SubjectsOf(data)) subjects.Add((subject, sequence, id));
                }
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await connection.BeginBinaryImportAsync($"copy {schema}.event_subjects (subject, seq_id, stream_id) from stdin (format binary)"))
        {
            foreach (var (subject, seq, stream) in subjects.Distinct())
            {
                await copy.StartRowAsync();
                await copy.WriteAsync(subject, NpgsqlDbType.Uuid);
                await copy.WriteAsync(seq, NpgsqlDbType.Bigint);
                await copy.WriteAsync(stream, NpgsqlDbType.Uuid);
            }
            await copy.CompleteAsync();
        }
        foreach (var stream in pending.Where(s => s.IsNew)) if (stream.Type != "plannumbering") versions.Remove(stream.Id);
        pending.Clear();
        Pending = 0;
    }

    /// <summary>The sequence continues after the generated events, so the service appends after them.</summary>
    public async Task FinishAsync()
    {
        await FlushAsync();
        await using var next = new NpgsqlCommand($"select setval('{schema}.mt_events_sequence', {Math.Max(1, sequence)})", connection);
        await next.ExecuteNonQueryAsync();
        await connection.DisposeAsync();
    }

    /// <summary>Marten's default event type name, as <c>BulkTargetWriter</c> writes it: the class name in snake case.</summary>
    private static string EventTypeName(Type type) =>
        string.Concat(type.Name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "_" : "") + char.ToLowerInvariant(c) : c.ToString()));

    private static Guid DeterministicEventId(long sequence) => DeterministicId.For("bnch-province-event", sequence.ToString(CultureInfo.InvariantCulture));
}
