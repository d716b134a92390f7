using Supervision.Api.Integrity;

namespace Supervision.Api.Tests.Integrity;

public sealed class EventChainTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    [Fact]
    public async Task An_edit_made_directly_in_PostgreSQL_is_caught_and_the_event_named()
    {
        var admin = app.ClientFor("admin-chain", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("510000", "四川省"), ("510100", "成都市"), ("510104", "锦江区") })
            await (await admin.PostJson("/api/regions", new RegisterRegion(code, name))).ShouldHaveStatus(201);

        var auditor = app.ClientFor("auditor-1", Roles.Auditor);
        var checkpoint = await (await auditor.PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();
        Assert.True(checkpoint.Linked >= 3);
        Assert.Matches("^[0-9a-f]{64}$", checkpoint.Hash);
        var intact = await (await app.ClientFor("jijian-1", Roles.DisciplineInspector).GetAsync("/api/integrity/verify")).ReadAs<ChainVerification>();
        Assert.True(intact.Intact, intact.Message);

        // Later events extend the chain; sealing again links only them.
        await (await admin.PostJson("/api/regions", new RegisterRegion("510105", "青羊区"))).ShouldHaveStatus(201);
        var next = await (await auditor.PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();
        Assert.Equal(1, next.Linked);

        // Someone with database access rewrites a region's name in the event store.
        long tampered;
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var find = new NpgsqlCommand($"select seq_id from {app.Schema}.mt_events where data->>'Code' = '510100'", connection);
            tampered = (long)(await find.ExecuteScalarAsync())!;
            await using var edit = new NpgsqlCommand($"update {app.Schema}.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改后的名称\"') where seq_id = {tampered}", connection);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }
        var broken = await (await auditor.GetAsync("/api/integrity/verify")).ReadAs<ChainVerification>();
        Assert.False(broken.Intact);
        Assert.Equal(tampered, broken.FirstBrokenSequence);

        await (await app.ClientFor("planner-x", Roles.Planner).GetAsync("/api/integrity/verify")).ShouldHaveStatus(403);
    }

    [Fact]
    public async Task A_published_checkpoint_catches_a_rewrite_of_both_the_events_and_the_chain()
    {
        // An event store of its own: the other test tampers with the shared one.
        await using var app = new SupervisionApp();
        await app.InitializeAsync();
        var admin = app.ClientFor("admin-chain", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("520000", "贵州省"), ("520100", "贵阳市") })
            await (await admin.PostJson("/api/regions", new RegisterRegion(code, name))).ShouldHaveStatus(201);
        var auditor = app.ClientFor("auditor-2", Roles.Auditor);
        var sealedNow = await (await auditor.PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();

        // Anyone can fetch and keep the checkpoints; the newest is the one just sealed.
        var published = await (await app.Anonymous().GetAsync("/api/public/integrity/checkpoints?limit=5")).ReadAs<List<ChainCheckpoint>>();
        var kept = published[0];
        Assert.Equal((sealedNow.Sequence, sealedNow.Hash), (kept.Sequence, kept.Hash));
        var held = await (await auditor.GetAsync($"/api/integrity/verify?sequence={kept.Sequence}&hash={kept.Hash}")).ReadAs<ChainVerification>();
        Assert.True(held.Intact, held.Message);

        // Someone with database access edits an event, then throws away the chain and seals it afresh over the edited rows.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand($"update {app.Schema}.mt_events set data = jsonb_set(data, '{{Name}}', '\"改名\"') where data->>'Code' = '520100'", connection);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
            await using var wipe = new NpgsqlCommand($"delete from {app.Schema}.integrity_chain; delete from {app.Schema}.integrity_checkpoints", connection);
            await wipe.ExecuteNonQueryAsync();
        }
        await (await auditor.PostJson("/api/integrity/seal", new { })).ShouldHaveStatus(200);
        var fooled = await (await auditor.GetAsync("/api/integrity/verify")).ReadAs<ChainVerification>();
        Assert.True(fooled.Intact); // the system's own chain now agrees with the edited rows...
        var caught = await (await auditor.GetAsync($"/api/integrity/verify?sequence={kept.Sequence}&hash={kept.Hash}")).ReadAs<ChainVerification>();
        Assert.False(caught.Intact); // ...but not with the checkpoint kept outside it.
        Assert.Equal(kept.Sequence, caught.FirstBrokenSequence);
    }

    /// <summary>Gaps in the sequence are held open for a while (here 10 minutes), as a transaction still running would leave them.</summary>
    private sealed class GapApp : SupervisionApp
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:SealGapSeconds", "600")];
    }

    [Fact]
    public async Task Sealing_stops_at_a_gap_in_the_sequence_until_the_gap_is_old_enough_to_be_a_rollback()
    {
        await using var app = new GapApp();
        await app.InitializeAsync();
        var admin = app.ClientFor("admin-gap", Roles.SystemAdmin);
        await (await admin.PostJson("/api/regions", new RegisterRegion("530000", "云南省"))).ShouldHaveStatus(201);
        var auditor = app.ClientFor("auditor-gap", Roles.Auditor);
        var first = await (await auditor.PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();

        // A transaction takes the next sequence number and has not committed (or never will); an event commits after it.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var take = new NpgsqlCommand($"select nextval('{app.Schema}.mt_events_sequence')", connection);
            await take.ExecuteScalarAsync();
        }
        await (await admin.PostJson("/api/regions", new RegisterRegion("530100", "昆明市"))).ShouldHaveStatus(201);
        var held = await (await auditor.PostJson("/api/integrity/seal", new { })).ReadAs<ChainCheckpoint>();
        Assert.Equal((0, first.Sequence), (held.Linked, held.Sequence));
        var intact = await (await auditor.GetAsync("/api/integrity/verify")).ReadAs<ChainVerification>();
        Assert.True(intact.Intact, intact.Message);
    }
}
