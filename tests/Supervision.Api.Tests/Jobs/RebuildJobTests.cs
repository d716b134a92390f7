using System.Net;
using Supervision.Api.Infrastructure;
using Supervision.Api.Tests.Integrity;

namespace Supervision.Api.Tests.Jobs;

/// <summary>
/// Issue 14: the read-model rebuild as a job resource. 202 with a Location; progress with its phase while it runs; the synchronous
/// rebuild's report at the end and read models equal to the inline ones; one rebuild at a time (409); only system administrators
/// start or read it; a job failed meanwhile (its node seen dead) swaps nothing in.
/// </summary>
public sealed class RebuildJobTests(JobsApp app) : IClassFixture<JobsApp>
{
    private const string Route = "/api/admin/read-models/rebuild-jobs";

    private async Task ScenarioAsync(string department, string county, int firstTarget)
    {
        var scenario = await new InspectionScenario(app, department, county).Setup();
        await scenario.Inspector($"{department}-1", new DateOnly(2024, 1, 1));
        await scenario.Inspector($"{department}-2", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, firstTarget);
        var (plan, task) = await scenario.ApprovedPlan("M-" + department, 20m);
        await scenario.Draw(plan, task);
    }

    private static async Task<Guid> StartAsync(HttpClient admin, string scope = "all")
    {
        var response = await admin.PostAsync($"{Route}?scope={scope}", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Matches("^/api/jobs/[0-9a-f-]{36}$", location);
        return Guid.Parse(location["/api/jobs/".Length..]);
    }

    private static async Task<JsonElement> JobAsync(HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/api/jobs/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The live table's identity: the swap replaces it by its green copy, so a changed oid means something was swapped in.</summary>
    private async Task<uint> LiveTableOidAsync()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select '{app.Schema}.mt_doc_target'::regclass::oid", connection);
        return (uint)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_rebuild_job_answers_202_reports_its_phase_refuses_a_second_rebuild_and_ends_with_read_models_equal_to_the_inline_ones()
    {
        await ScenarioAsync("RJ-EQ", "130541", 24000);
        var admin = app.ClientFor("admin-rebuild-job", Roles.SystemAdmin);
        var inline = await ReadModelTables.TakeAsync(app);

        var held = app.Gate.Arm();
        var id = await StartAsync(admin);
        var (job, done) = await held.WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(id, job);

        var running = await JobAsync(admin, id);
        Assert.Equal(("running", "read-model-rebuild", "pass"), (running.GetProperty("state").GetString(), running.GetProperty("kind").GetString(),
            running.GetProperty("phase").GetString()));
        Assert.Equal(done, running.GetProperty("rowsDone").GetInt64());
        Assert.True(running.GetProperty("rowsTotal").GetInt64() >= done && done > 0);
        Assert.True(running.GetProperty("elapsedSeconds").GetDouble() >= 0);
        Assert.True(running.GetProperty("estimatedRemainingSeconds").GetDouble() >= 0);

        // One rebuild at a time: a second job, and the synchronous rebuild, are refused while this one runs.
        var second = await admin.PostAsync($"{Route}?scope=reporting", null);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("rebuild.running", await second.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync("/api/admin/read-models/rebuild", null)).StatusCode);

        app.Gate.Release();
        await app.Gate.Ended(id);
        var finished = await JobAsync(admin, id);
        Assert.Equal(("succeeded", "done", 200), (finished.GetProperty("state").GetString(), finished.GetProperty("phase").GetString(),
            finished.GetProperty("outcomeStatus").GetInt32()));
        var report = finished.GetProperty("outcome");
        Assert.Equal(ReadModelRebuild.Projections.Count, report.GetProperty("readModels").GetArrayLength());
        Assert.Equal(finished.GetProperty("rowsTotal").GetInt64(), report.GetProperty("eventsAtStart").GetInt64() + report.GetProperty("eventsCaughtUp").GetInt64());
        ReadModelTables.AssertSame(inline, await ReadModelTables.TakeAsync(app));

        // Once it ended, the next one may start.
        var next = await StartAsync(admin, "reporting");
        await app.Gate.Ended(next);
        Assert.Equal("succeeded", (await JobAsync(admin, next)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Only_system_administrators_start_or_read_a_rebuild_job()
    {
        var admin = app.ClientFor("admin-rebuild-acl", Roles.SystemAdmin, Department.IdFor("RJ-ACL"));
        var id = await StartAsync(admin, "reporting");
        await app.Gate.Ended(id);

        // Attack: other roles, even of the administrator's own department, cannot start one, and read the 404 of a missing job.
        foreach (var role in new[] { Roles.Planner, Roles.DirectoryKeeper, Roles.DisciplineInspector })
        {
            var other = app.ClientFor($"{role}-rebuild-acl", role, Department.IdFor("RJ-ACL"));
            Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"{Route}?scope=all", null)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/jobs/{id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().PostAsync($"{Route}?scope=all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync($"/api/jobs/{id}")).StatusCode);
        // Bad input is a problem naming the field.
        var bad = await admin.PostAsync($"{Route}?scope=everything", null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("scope", await bad.Content.ReadAsStringAsync());

        Assert.Equal("succeeded", (await JobAsync(app.ClientFor("admin-rebuild-acl-2", Roles.SystemAdmin), id)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_rebuild_job_whose_node_stopped_is_failed_by_the_node_that_reads_it_and_swaps_nothing_in()
    {
        await ScenarioAsync("RJ-ST", "130542", 24100);
        var admin = app.ClientFor("admin-rebuild-stale", Roles.SystemAdmin);
        var before = await ReadModelTables.TakeAsync(app);
        var liveTable = await LiveTableOidAsync();

        var held = app.Gate.Arm();
        var id = await StartAsync(admin);
        await held.WaitAsync(TimeSpan.FromMinutes(3));

        // The node stops beating: the next reader fails the job.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var age = new NpgsqlCommand($"update {app.Schema}.jobs set heartbeat_at = now() - interval '1 hour' where id = $1", connection);
            age.Parameters.Add(new NpgsqlParameter { Value = id });
            Assert.Equal(1, await age.ExecuteNonQueryAsync());
        }
        var failed = await JobAsync(admin, id);
        Assert.Equal(("failed", 503), (failed.GetProperty("state").GetString(), failed.GetProperty("outcomeStatus").GetInt32()));

        // Were the node only slow, its rebuild reaches the swap, finds the job ended and rolls the swap back: nothing live changed.
        app.Gate.Release();
        await app.Gate.Ended(id);
        Assert.Equal("failed", (await JobAsync(admin, id)).GetProperty("state").GetString());
        Assert.Equal(liveTable, await LiveTableOidAsync());
        ReadModelTables.AssertSame(before, await ReadModelTables.TakeAsync(app));
        // And the lock was released: a new rebuild runs.
        var next = await StartAsync(admin, "reporting");
        await app.Gate.Ended(next);
        Assert.Equal("succeeded", (await JobAsync(admin, next)).GetProperty("state").GetString());
    }
}
