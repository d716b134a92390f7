using Supervision.Api.Integrity;

namespace Supervision.Api.Tests.Directories;

/// <summary>The same host, writing imports row by row through Marten's append and inline projections: the reference.</summary>
public sealed class RowByRowImportApp : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:TargetImportWrites", "row-by-row")];
}

/// <summary>
/// The bulk import (binary COPY inside the request's transaction) writes what the row-by-row path writes: the same events, streams,
/// target documents and subject index, with a chain that still verifies; and a failure part-way leaves nothing.
/// </summary>
public sealed class TargetImportBulkTests(SupervisionApp bulk, RowByRowImportApp rowByRow)
    : IClassFixture<SupervisionApp>, IClassFixture<RowByRowImportApp>
{
    private const string Header = "credit_code,name,kind,industry_code,region_code,registered_on,status,status_since,credit_class,credit_class_set_on,supervising_departments,tags\n";

    private static string Row(int n, string name = "", string status = "Operating", string since = "", string? creditClass = null) =>
        $"{TestData.CreditCode(n)},\"邢台批量企业{n}{name},有限公司\",Enterprise,C1311,130521,2021-03-0{n % 9 + 1},{status},{since},{creditClass ?? "ABCD"[n % 4].ToString()},2026-10-01,XT-SCJG;XT-SW,FOOD";

    /// <summary>2,500 new targets: two full chunks and a part.</summary>
    private static string FirstFile() => Header + string.Join("\n", Enumerable.Range(10000, 2500).Select(n => Row(n)));

    /// <summary>Renames, status and credit changes to imported targets and to one registered by hand, unchanged rows, and new ones.</summary>
    private static string SecondFile() => Header + string.Join("\n", Enumerable.Range(11000, 2500).Select(n => n switch
    {
        < 11300 => Row(n, name: "（更名）"),
        < 11400 => Row(n, status: "Suspended", since: "2026-11-02"),
        < 11500 => Row(n, name: "（更名）", creditClass: "D"),
        _ => Row(n),
    }).Append(Row(20000, name: "（导入更名）")));

    private static HttpContent Csv(string text) => new ByteArrayContent(Encoding.UTF8.GetBytes(text)) { Headers = { ContentType = new("text/csv") } };

    private static async Task<HttpClient> PrepareAsync(SupervisionApp app)
    {
        var admin = app.ClientFor("admin-bulk", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        foreach (var (code, name, kind) in new[] { ("XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation), ("XT-SW", "邢台市商务局", DepartmentKind.Commerce) })
            Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment(code, name, kind, "130500", null))).StatusCode is 201 or 409);
        var market = Department.IdFor("XT-SCJG");
        var keeper = app.ClientFor("keeper-bulk", Roles.DirectoryKeeper, market);
        keeper.DefaultRequestHeaders.Add("X-Correlation-Id", "bulk-import-comparison");
        Assert.True((int)(await keeper.PostJson("/api/tags", new DefineTag("FOOD", "FOOD", TagScope.Target, market, null))).StatusCode is 201 or 409);
        // One target registered and changed by hand before the imports, so an import appends at version 3.
        var registered = await keeper.PostJson("/api/targets", new RegisterTarget(TestData.CreditCode(20000), null, "邢台手工企业", TargetKind.Enterprise, "C1311", "130521",
            null, new DateOnly(2020, 1, 1), TargetScale.Small, null, [market], ["FOOD"], "B", new DateOnly(2026, 10, 1)));
        Assert.True((int)registered.StatusCode is 201 or 409);
        var id = Target.IdFor(TestData.CreditCode(20000));
        await keeper.PostJson($"/api/targets/{id}/credit-class", new SetTargetCreditClass("C", new DateOnly(2026, 11, 1), "2026-11 月度分类", 1));
        return keeper;
    }

    private static async Task<List<string>> RowsAsync(SupervisionApp app, string sql)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", app.Schema), connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i)))));
        return rows;
    }

    [Fact]
    public async Task The_bulk_import_writes_what_the_row_by_row_import_writes()
    {
        foreach (var app in new SupervisionApp[] { rowByRow, bulk })
        {
            var keeper = await PrepareAsync(app);
            var first = await (await keeper.PostAsync("/api/targets/import", Csv(FirstFile()))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
            Assert.Equal((2500, 2500, 0, 0), (first.Rows, first.Registered, first.Changed, first.Unchanged));
            var second = await (await keeper.PostAsync("/api/targets/import", Csv(SecondFile()))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
            Assert.Equal((2501, 1000, 501, 1000), (second.Rows, second.Registered, second.Changed, second.Unchanged));
            var again = await (await keeper.PostAsync("/api/targets/import", Csv(SecondFile()))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
            Assert.True(again.AlreadyImported);
        }

        const string events = "select stream_id, version, type, data::text, tenant_id, mt_dotnet_type, correlation_id, headers::text, user_name, is_archived " +
                              "from {schema}.mt_events where type like 'target%' order by stream_id, version";
        const string streams = "select id, type, version, tenant_id, is_archived from {schema}.mt_streams where type = 'target' or id in " +
                               "(select stream_id from {schema}.mt_events where type like 'target%') order by id";
        const string documents = "select id, data::text, mt_dotnet_type, mt_version from {schema}.mt_doc_target where mt_dotnet_type <> 'planted' order by id";
        const string subjects = "select s.subject, s.stream_id, e.version, e.type from {schema}.event_subjects s join {schema}.mt_events e on e.seq_id = s.seq_id " +
                                "where e.type like 'target%' order by 1, 2, 3, 4";
        const string sequence = "select count(*) = count(distinct seq_id) and max(seq_id) <= (select last_value from {schema}.mt_events_sequence) from {schema}.mt_events";
        foreach (var sql in new[] { events, streams, documents, subjects })
        {
            var expected = await RowsAsync(rowByRow, sql);
            var actual = await RowsAsync(bulk, sql);
            Assert.True(expected.Count > 0, sql);
            Assert.Equal(expected.Count, actual.Count);
            var firstDifference = expected.Zip(actual).FirstOrDefault(p => p.First != p.Second);
            Assert.True(firstDifference == default, $"{sql}\nrow-by-row: {firstDifference.First}\nbulk:       {firstDifference.Second}");
        }
        Assert.Equal(["True"], await RowsAsync(bulk, sequence));

        // The chain seals the imported events and still verifies.
        var chain = (EventChain)bulk.Services.GetService(typeof(EventChain))!;
        var checkpoint = await chain.SealAsync(CancellationToken.None);
        var newest = long.Parse((await RowsAsync(bulk, "select max(seq_id) from {schema}.mt_events"))[0]);
        Assert.Equal(newest, checkpoint.Sequence);
        var verification = await chain.VerifyAsync(CancellationToken.None);
        Assert.True(verification.Intact, verification.Message);
    }

    [Fact]
    public async Task A_failure_after_chunks_were_written_leaves_nothing_of_the_file()
    {
        // A store of its own: the comparison above reads the whole of the shared one.
        await using var bulk = new SupervisionApp();
        await bulk.InitializeAsync();
        var keeper = await PrepareAsync(bulk);
        // A target document already holding the identifier of line 4,500 under another id: the third chunk's COPY breaks the unique index.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var plant = new NpgsqlCommand(
                $"insert into {bulk.Schema}.mt_doc_target (id, data, mt_dotnet_type, mt_version) values (gen_random_uuid(), " +
                $"jsonb_build_object('Identifier', '{TestData.CreditCode(34498)}'), 'planted', 1)", connection);
            await plant.ExecuteNonQueryAsync();
        }
        var file = Header + string.Join("\n", Enumerable.Range(30000, 5000).Select(n => Row(n)));
        const string everything = "select (select count(*) from {schema}.mt_events), (select count(*) from {schema}.mt_streams), " +
                                  "(select count(*) from {schema}.mt_doc_target), (select count(*) from {schema}.event_subjects)";
        var before = await RowsAsync(bulk, everything);
        var response = await keeper.PostAsync("/api/targets/import", Csv(file));
        Assert.False(response.IsSuccessStatusCode);
        Assert.Equal(before, await RowsAsync(bulk, everything));

        // Cancelled part-way (the client gives up): nothing either. Sent again in full, the same file is a first import of every row,
        // not "already imported" (had the cancelled run still committed, the second would wait for it and then find it).
        var cancelled = Header + string.Join("\n", Enumerable.Range(40000, 6000).Select(n => Row(n)));
        using (var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(400)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => keeper.PostAsync("/api/targets/import", Csv(cancelled), impatient.Token));
        var sentAgain = await (await keeper.PostAsync("/api/targets/import", Csv(cancelled))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal((false, 6000), (sentAgain.AlreadyImported, sentAgain.Registered));
    }

    /// <summary>
    /// The bulk writer switches PostgreSQL's row-by-row foreign key check on the events off for its own COPY statements (SET LOCAL, issue
    /// 14). Attack: after an import, an event naming no stream, written through the service's own pooled connections, is still refused by
    /// the foreign key; and the import left no event without its stream.
    /// </summary>
    [Fact]
    public async Task The_foreign_key_stays_in_force_after_an_import_that_skipped_its_checks()
    {
        await using var app = new SupervisionApp();
        await app.InitializeAsync();
        var keeper = await PrepareAsync(app);
        var file = Header + string.Join("\n", Enumerable.Range(50000, 2100).Select(n => Row(n)));
        var imported = await (await keeper.PostAsync("/api/targets/import", Csv(file))).ReadAs<Supervision.Api.Directories.Targets.TargetImportResult>(200);
        Assert.Equal(2100, imported.Registered);
        Assert.Equal(["0"], await RowsAsync(app, "select count(*) from {schema}.mt_events e where not exists (select 1 from {schema}.mt_streams s where s.id = e.stream_id)"));
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var session = app.Store.LightweightSession();
            session.QueueSqlCommand($"insert into {app.Schema}.mt_events (seq_id, id, stream_id, version, data, type) values " +
                                    $"(nextval('{app.Schema}.mt_events_sequence'), gen_random_uuid(), gen_random_uuid(), 1, '{{}}', 'target_registered')");
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => session.SaveChangesAsync());
            Assert.Contains("23503", refused.ToString());
        }
    }
}
