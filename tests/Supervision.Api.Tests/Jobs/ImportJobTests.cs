using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.Jobs;

namespace Supervision.Api.Tests.Jobs;

/// <summary>Holds a job at its next progress report until released, and tells when a job ended: the tests wait on these, never on time.</summary>
public sealed class JobGate : IJobObserver
{
    private TaskCompletionSource<(Guid Job, long Rows)>? reached;
    private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> ended = new();

    /// <summary>The next progress report of any job stops there until <see cref="Release"/>.</summary>
    public Task<(Guid Job, long Rows)> Arm()
    {
        release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var armed = new TaskCompletionSource<(Guid, long)>(TaskCreationOptions.RunContinuationsAsynchronously);
        reached = armed;
        return armed.Task;
    }

    public void Release() => release.TrySetResult();

    public Task Ended(Guid job) => ended.GetOrAdd(job, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task
        .WaitAsync(TimeSpan.FromMinutes(3));

    public async Task ProgressReportedAsync(Guid jobId, long rowsDone)
    {
        if (Interlocked.Exchange(ref reached, null) is not { } armed) return;
        var held = release;
        armed.TrySetResult((jobId, rowsDone));
        await held.Task;
    }

    public void JobEnded(Guid jobId) => ended.GetOrAdd(jobId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>The host with the gate in place of the default observer; heartbeats only through progress, so a test can age one.</summary>
public sealed class JobsApp : SupervisionApp
{
    public JobGate Gate { get; } = new();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:JobHeartbeatSeconds", "3600")];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IJobObserver>(Gate));
    }
}

/// <summary>
/// Issue 14: an import as a job resource. 202 with a Location; progress while it runs; the synchronous import's report at the end, or its
/// problem details with nothing written; a job whose node stopped is failed by the node that reads it, and its import then commits
/// nothing; only the department that started a job (and those above it) reads it.
/// </summary>
public sealed class ImportJobTests(JobsApp app) : IClassFixture<JobsApp>
{
    private const string Header = "credit_code,name,kind,industry_code,region_code,registered_on,status,status_since,credit_class,credit_class_set_on,supervising_departments,tags\n";

    private static string Row(int n, string? creditCode = null) =>
        $"{creditCode ?? TestData.CreditCode(n)},\"邢台任务企业{n}有限公司\",Enterprise,C1311,130521,2021-03-0{n % 9 + 1},Operating,,{"ABCD"[n % 4]},2026-10-01,XT-SCJG,FOOD";

    private static string File(int from, int count, int? badAt = null) =>
        Header + string.Join("\n", Enumerable.Range(from, count).Select(n => Row(n, n == badAt ? TestData.WrongCreditCode(n) : null)));

    private static HttpContent Csv(string text) => new ByteArrayContent(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("text/csv") } };

    private static readonly Guid Market = Department.IdFor("XT-SCJG");

    private async Task<HttpClient> KeeperAsync()
    {
        var admin = app.ClientFor("admin-jobs", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        foreach (var (code, name, kind) in new[] { ("XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation), ("XT-SW", "邢台市商务局", DepartmentKind.Commerce) })
            Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment(code, name, kind, "130500", null))).StatusCode is 201 or 409);
        var keeper = app.ClientFor("keeper-jobs", Roles.DirectoryKeeper, Market);
        Assert.True((int)(await keeper.PostJson("/api/tags", new DefineTag("FOOD", "FOOD", TagScope.Target, Market, null))).StatusCode is 201 or 409);
        return keeper;
    }

    private static async Task<Guid> StartAsync(HttpClient keeper, string file)
    {
        var response = await keeper.PostAsync("/api/targets/import-jobs", Csv(file));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/api/jobs/[0-9a-f-]{36}$", location);
        return Guid.Parse(location["/api/jobs/".Length..]);
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private async Task<string> EverythingAsync()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select concat_ws(' ', (select count(*) from {app.Schema}.mt_events), (select count(*) from {app.Schema}.mt_streams), " +
            $"(select count(*) from {app.Schema}.mt_doc_target), (select count(*) from {app.Schema}.event_subjects))", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task AgeHeartbeatAsync(Guid job)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"update {app.Schema}.jobs set heartbeat_at = now() - interval '1 hour' where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = job });
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    [Fact]
    public async Task An_import_job_answers_202_reports_progress_and_ends_with_the_import_report()
    {
        var keeper = await KeeperAsync();
        var held = app.Gate.Arm();
        var id = await StartAsync(keeper, File(50000, 5000));
        var (job, rows) = await held.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal((id, 2000L), (job, rows));

        var running = await JobAsync(keeper, id);
        Assert.Equal("running", running.GetProperty("state").GetString());
        Assert.Equal(2000, running.GetProperty("rowsDone").GetInt64());
        Assert.Equal(5000, running.GetProperty("rowsTotal").GetInt64());
        Assert.Equal("target-import", running.GetProperty("kind").GetString());
        Assert.True(running.GetProperty("elapsedSeconds").GetDouble() >= 0);
        Assert.True(running.GetProperty("estimatedRemainingSeconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, running.GetProperty("outcome").ValueKind);

        app.Gate.Release();
        await app.Gate.Ended(id);
        var done = await JobAsync(keeper, id);
        Assert.Equal("succeeded", done.GetProperty("state").GetString());
        Assert.Equal(5000, done.GetProperty("rowsDone").GetInt64());
        Assert.Equal(200, done.GetProperty("outcomeStatus").GetInt32());
        var report = done.GetProperty("outcome");
        Assert.Equal((5000, 5000, false), (report.GetProperty("rows").GetInt32(), report.GetProperty("registered").GetInt32(), report.GetProperty("alreadyImported").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("estimatedRemainingSeconds").ValueKind);

        // Written as the synchronous import writes: the same file sent there is recognised as already imported, by the same import id.
        var again = await (await keeper.PostAsync("/api/targets/import", Csv(File(50000, 5000)))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.True(again.AlreadyImported);
        Assert.Equal(report.GetProperty("importId").GetGuid(), again.ImportId);
        var target = await (await keeper.GetAsync($"/api/targets/{Target.IdFor(TestData.CreditCode(54999))}")).ReadAs<Target>(200);
        Assert.Equal("邢台任务企业54999有限公司", target.Name);
    }

    [Fact]
    public async Task A_rejected_import_job_ends_failed_with_the_problem_and_writes_nothing()
    {
        var keeper = await KeeperAsync();
        var before = await EverythingAsync();
        var id = await StartAsync(keeper, File(60000, 5000, badAt: 64500));
        await app.Gate.Ended(id);
        var failed = await JobAsync(keeper, id);
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(400, failed.GetProperty("outcomeStatus").GetInt32());
        var problem = failed.GetProperty("outcome");
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var row = problem.GetProperty("rows")[0];
        Assert.Equal((4502, "credit_code"), (row.GetProperty("row").GetInt32(), row.GetProperty("column").GetString()));
        Assert.Equal(before, await EverythingAsync());
    }

    [Fact]
    public async Task A_job_whose_node_stopped_is_failed_by_the_node_that_reads_it_and_its_import_commits_nothing()
    {
        var keeper = await KeeperAsync();
        var before = await EverythingAsync();
        var held = app.Gate.Arm();
        var id = await StartAsync(keeper, File(70000, 5000));
        await held.WaitAsync(TimeSpan.FromMinutes(3)); // the first chunk is written in the import's open transaction

        // The node stops beating (died, or hangs): the next reader fails the job and says why.
        await AgeHeartbeatAsync(id);
        var failed = await JobAsync(keeper, id);
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(503, failed.GetProperty("outcomeStatus").GetInt32());
        Assert.Contains("stopped", failed.GetProperty("failureReason").GetString());

        // Were the node only slow, its import finds the job ended and rolls back: the job stays failed and nothing of the file is kept.
        app.Gate.Release();
        await app.Gate.Ended(id);
        Assert.Equal("failed", (await JobAsync(keeper, id)).GetProperty("state").GetString());
        Assert.Equal(before, await EverythingAsync());
        var sentAgain = await (await keeper.PostAsync("/api/targets/import", Csv(File(70000, 5000)))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal((false, 5000), (sentAgain.AlreadyImported, sentAgain.Registered));
    }

    [Fact]
    public async Task Only_the_department_that_started_a_job_and_those_above_it_read_it()
    {
        var keeper = await KeeperAsync();
        var id = await StartAsync(keeper, File(80000, 10));
        await app.Gate.Ended(id);

        // Attack: another department's keeper, a token without a department, and a guessed id all get the 404 of a missing job.
        var otherDepartment = app.ClientFor("keeper-sw", Roles.DirectoryKeeper, Department.IdFor("XT-SW"));
        Assert.Equal(HttpStatusCode.NotFound, (await otherDepartment.GetAsync($"/api/jobs/{id}")).StatusCode);
        var noDepartment = app.ClientFor("keeper-none", Roles.DirectoryKeeper);
        Assert.Equal(HttpStatusCode.NotFound, (await noDepartment.GetAsync($"/api/jobs/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await keeper.GetAsync($"/api/jobs/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/jobs/{id}")).StatusCode);

        // The department's other staff, 纪检 of its region and an administrator read it.
        Assert.Equal("succeeded", (await JobAsync(app.ClientFor("planner-jobs", Roles.Planner, Market), id)).GetProperty("state").GetString());
        Assert.Equal("succeeded", (await JobAsync(app.ClientFor("jijian-jobs", Roles.DisciplineInspector, Market), id)).GetProperty("state").GetString());
        Assert.Equal("succeeded", (await JobAsync(app.ClientFor("admin-jobs", Roles.SystemAdmin), id)).GetProperty("state").GetString());
    }
}
