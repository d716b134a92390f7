using Marten.Events.Aggregation;
using Marten.Events.Projections;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Rebuild;
using Supervision.Api.Integrity;
using Supervision.Api.Organization.Departments;

namespace Supervision.Api.Tests.Integrity;

/// <summary>Every read model's rows, as text: every column of each document (id, JSON, version, type, duplicated columns) but its write times, and the subject index's rows.</summary>
public static class ReadModelTables
{
    public static async Task<List<string>> TakeAsync(SupervisionApp app)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        foreach (var projection in ReadModelRebuild.Projections)
        {
            var sql = projection == typeof(EventSubjectsProjection)
                ? $"select 'event_subjects ' || subject || ' ' || seq_id || ' ' || stream_id from {app.Schema}.event_subjects order by subject, seq_id"
                // Every column but the write times: id, JSON, version, type and the duplicated columns the queries filter on.
                : $"select '{TableOf(app, projection)} ' || (to_jsonb(t) - 'mt_last_modified' - 'mt_created_at')::text from {app.Schema}.{TableOf(app, projection)} t order by id";
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        }
        return rows;
    }

    /// <summary>Equal row lists; on a difference, the first differing rows in full.</summary>
    public static void AssertSame(List<string> expected, List<string> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            if (expected[i] != actual[i]) Assert.Equal(expected[i], actual[i]);
        Assert.Equal(expected.Count, actual.Count);
    }

    private static string TableOf(SupervisionApp app, Type projection)
    {
        for (var t = projection.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) || t.GetGenericTypeDefinition() == typeof(MultiStreamProjection<,>)))
                return app.Store.Options.FindOrResolveDocumentType(t.GetGenericArguments()[0]).TableName.Name;
        throw new InvalidOperationException(projection.Name);
    }
}

/// <summary>
/// The one-pass rebuild (issue 14) against the inline projections it replaces: the same rows for every read model, also when its
/// memory bound makes it write, forget and reload documents every few events; appends made while it runs are in the result.
/// </summary>
public sealed class OnePassRebuildTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private SupervisionSettings Settings => app.Services.GetRequiredService<SupervisionSettings>();

    /// <summary>Tiny batches and a tiny memory bound: every path (evict, reload by id, replace a written row) runs many times.</summary>
    private static readonly OnePassRebuildOptions Tight = new(BatchSize: 7, HeldDocuments: 5);

    private async Task<InspectionScenario> Scenario(string department, string county, int firstTarget)
    {
        var scenario = await new InspectionScenario(app, department, county).Setup();
        foreach (var n in Enumerable.Range(1, 3)) await scenario.Inspector($"{department}-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, firstTarget);
        var (plan, task) = await scenario.ApprovedPlan("M-" + department, 20m);
        await scenario.Draw(plan, task);
        return scenario;
    }

    /// <summary>
    /// Tiny batches and no memory pressure, documents written as soon as they were not changed for one batch: the spread-out writes
    /// (cold documents written during the pass, reloaded by id when a later event needs them) run many times.
    /// </summary>
    private static readonly OnePassRebuildOptions WriteAsTheyGoCold = new(BatchSize: 7, HeldDocuments: 1_000_000, ColdAfterBatches: 1);

    [Theory]
    [InlineData("tight", "RB-EQ", "130531", 23000)]
    [InlineData("cold", "RB-EC", "130535", 23300)]
    public async Task The_one_pass_rebuild_writes_every_read_model_exactly_as_the_inline_projections_did(string memory, string department, string county, int firstTarget)
    {
        await Scenario(department, county, firstTarget);
        var inline = await ReadModelTables.TakeAsync(app);
        var seen = new List<ReadModelRebuildProgress>();

        var report = await ReadModelRebuild.RunAsync(app.Store, Settings, ReadModelRebuild.Projections, CancellationToken.None,
            (p, _) => { seen.Add(p); return ValueTask.CompletedTask; }, memory == "tight" ? Tight : WriteAsTheyGoCold);

        Assert.NotNull(report);
        ReadModelTables.AssertSame(inline, await ReadModelTables.TakeAsync(app));
        Assert.Equal(ReadModelRebuild.Projections.Select(p => p.Name), report.ReadModels.Select(m => m.Projection));
        Assert.Equal(inline.Count, report.ReadModels.Sum(m => m.Rows));
        Assert.Equal(["pass", "indexes", "swap", "done"], seen.Select(p => p.Phase).Distinct());
        Assert.Equal(seen.Select(p => p.EventsDone).Order(), seen.Select(p => p.EventsDone));
        Assert.Equal(report.EventsAtStart, seen[^1].EventsDone);
        Assert.All(seen, p => Assert.Equal(report.EventsAtStart, p.EventsTotal));
        await AssertNoGreenSchemaLeft();
    }

    [Fact]
    public async Task Appends_made_while_the_rebuild_runs_are_in_the_rebuilt_read_models_and_a_second_rebuild_is_refused_meanwhile()
    {
        await Scenario("RB-AP", "130532", 23100);
        var admin = app.ClientFor("admin-rebuild", Roles.SystemAdmin);
        var department = Department.IdFor("RB-AP");
        var appendedInPass = false;
        var appendedBeforeSwap = false;
        ReadModelRebuildReport? concurrent = new([], 0, 0, 0, 0);
        List<string>? inlineAtSwap = null;

        async ValueTask During(ReadModelRebuildProgress progress, CancellationToken ct)
        {
            if (progress.Phase == "pass" && !appendedInPass)
            {
                appendedInPass = true;
                // An existing stream moves on (its document must be reloaded from the green table) and a new stream starts.
                var view = await (await admin.GetAsync($"/api/departments/{department}")).Read<DepartmentView>();
                await (await admin.PostJson($"/api/departments/{department}/rename", new RenameDepartment("改名于重建中", "机构改革", view.Version))).ShouldHaveStatus(200);
                await (await admin.PostJson("/api/regions", new RegisterRegion("130533", "重建中登记的县"))).ShouldHaveStatus(201);
                concurrent = await ReadModelRebuild.RunAsync(app.Store, Settings, ReadModelRebuild.ReportingProjections, ct);
            }
            else if (progress.Phase == "swap" && !appendedBeforeSwap)
            {
                appendedBeforeSwap = true;
                var view = await (await admin.GetAsync($"/api/departments/{department}")).Read<DepartmentView>();
                await (await admin.PostJson($"/api/departments/{department}/rename", new RenameDepartment("再次改名", "机构改革", view.Version))).ShouldHaveStatus(200);
                // The inline projections kept the live tables current: the rebuilt ones must end up equal to them.
                inlineAtSwap = await ReadModelTables.TakeAsync(app);
            }
        }

        var report = await ReadModelRebuild.RunAsync(app.Store, Settings, ReadModelRebuild.Projections, CancellationToken.None, During, Tight);

        Assert.NotNull(report);
        Assert.Null(concurrent); // one rebuild at a time
        Assert.True(report.EventsCaughtUp >= 3, $"caught up {report.EventsCaughtUp}");
        var renamed = await (await admin.GetAsync($"/api/departments/{department}")).Read<DepartmentView>();
        Assert.Equal(("再次改名", 3L), (renamed.Name, (long)renamed.Version));
        await (await admin.GetAsync($"/api/regions/{Region.IdFor("130533")}")).ShouldHaveStatus(200);
        ReadModelTables.AssertSame(inlineAtSwap!, await ReadModelTables.TakeAsync(app));
        // Commands go on against the swapped-in tables.
        await (await admin.PostJson($"/api/departments/{department}/rename", new RenameDepartment("重建之后", "机构改革", renamed.Version))).ShouldHaveStatus(200);
        Assert.Equal("重建之后", (await (await admin.GetAsync($"/api/departments/{department}")).Read<DepartmentView>()).Name);
    }

    [Fact]
    public async Task A_cancelled_rebuild_changes_nothing_live()
    {
        await Scenario("RB-CX", "130534", 23200);
        var before = await ReadModelTables.TakeAsync(app);
        using var cancel = new CancellationTokenSource();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadModelRebuild.RunAsync(app.Store, Settings, ReadModelRebuild.Projections, cancel.Token,
            (p, _) => { if (p.EventsDone > 20) cancel.Cancel(); return ValueTask.CompletedTask; }, Tight));

        ReadModelTables.AssertSame(before, await ReadModelTables.TakeAsync(app));
        await AssertNoGreenSchemaLeft();
        // The lock was released: the next rebuild runs.
        Assert.NotNull(await ReadModelRebuild.RunAsync(app.Store, Settings, ReadModelRebuild.ReportingProjections, CancellationToken.None));
    }

    private async Task AssertNoGreenSchemaLeft()
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from pg_namespace where nspname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = OnePassRebuild.GreenSchemaFor(app.Schema) });
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
