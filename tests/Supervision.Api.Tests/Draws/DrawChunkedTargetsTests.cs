using System.Net;
using Supervision.Api.Draws;
using Supervision.Domain.Draws;

namespace Supervision.Api.Tests.Draws;

/// <summary>A host that keeps every targets file apart (DrawTargetsStore) in chunks of a few lines, and verifies bodies of at most 200,000 bytes.</summary>
public sealed class ChunkedTargetsApp : SupervisionApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("Supervision:Draws:TargetsInlineBytes", "0"),
        new("Supervision:Draws:TargetsChunkBytes", "300"),
        new("Supervision:Draws:VerifyMaxBytes", "200000"),
    ];
}

/// <summary>
/// A draw whose targets file is kept outside its document (as a province-wide pool beyond jsonb's 255 MiB must be), at a chunk
/// size small enough to run fast: it draws, recuses, serves its record streamed from the chunks byte for byte as the serializer
/// writes it, verifies through the API and offline, and tampering is still found.
/// </summary>
public sealed class DrawChunkedTargetsTests(ChunkedTargetsApp app) : IClassFixture<ChunkedTargetsApp>
{
    private static readonly JsonSerializerOptions Relaxed = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task A_targets_file_kept_in_chunks_draws_verifies_and_streams_out_byte_identically()
    {
        var scenario = await new InspectionScenario(app, "XT-DRAW-CHUNK", "130525").Setup();
        await scenario.ImportTargets(40, 7200);
        foreach (var n in Enumerable.Range(1, 4)) await scenario.Inspector($"K-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await scenario.ApprovedPlan("XT-DRAW-CHUNK-M");
        var drawn = await scenario.Draw(plan, task);
        Assert.Equal((DrawStatus.Drawn, 40, 4), (drawn.Status, drawn.PoolSize, drawn.Targets.Count));

        // Kept apart, in several chunks of whole lines; the document holds no targets text.
        await using (var session = app.Store.QuerySession())
        {
            var frozen = (await session.LoadAsync<FrozenDrawFiles>(drawn.Id))!;
            Assert.Equal("", frozen.Files.Targets);
            Assert.True(frozen.TargetsApart is { Chunks: > 1 }, $"chunks: {frozen.TargetsApart?.Chunks}");
        }

        // A recusal replays the draw from the chunks.
        var first = drawn.Targets[0];
        var afterRecusal = await (await scenario.Approver.PostJson($"/api/draws/{drawn.Id}/recusals",
            new RecuseInspector(first.TargetId, first.Team[0]!.Value, "检查人员与该企业存在利害关系", drawn.Version))).ReadAs<DrawView>();
        Assert.DoesNotContain(first.Team[0], afterRecusal.Targets.Single(t => t.TargetId == first.TargetId).Team);
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();

        // The record streamed from the chunks is byte for byte the JSON the serializer writes for it, and it verifies.
        var response = await scenario.Planner.GetAsync($"/api/draws/{drawn.Id}/record");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var record = JsonSerializer.Deserialize<DrawRecordV2>(bytes, HttpExtensions.Json)!;
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(record, Relaxed), bytes);
        Assert.Equal(40, Canonical.Lines(record.Files.Targets).Length);
        Assert.Equal(Canonical.Lines(record.Commitment)[3], "targets|" + Canonical.Sha256Hex(record.Files.Targets));
        Assert.NotNull(record.Actors);
        Assert.True(DrawV2.Verify(record, published.CommitmentSha256, published.RecordSha256).Matches);

        // Through the API, the body read as a stream: a match; the same record with one target changed: the difference is named.
        var verify = $"/api/draws/verify?expectCommitment={published.CommitmentSha256}&expectRecord={published.RecordSha256}";
        var verdict = await (await app.Anonymous().PostAsync(verify, new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } })).ReadAs<Verification>();
        Assert.True(verdict.Matches, verdict.Message);
        var lines = Canonical.Lines(record.Files.Targets);
        var tampered = record with { Files = record.Files with { Targets = Canonical.File(lines.Skip(1).Append(lines[0] + "X")) } };
        var refused = await (await app.Anonymous().PostAsJsonAsync(verify, tampered, HttpExtensions.Json)).ReadAs<Verification>();
        Assert.False(refused.Matches);
        Assert.Contains("commitment", refused.Part ?? refused.Message, StringComparison.OrdinalIgnoreCase);

        // The public record streams the same way; the reference verifier offline agrees.
        var publicBytes = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).Content.ReadAsByteArrayAsync();
        var publicRecord = JsonSerializer.Deserialize<DrawRecordV2>(publicBytes, HttpExtensions.Json)!;
        Assert.Null(publicRecord.Actors);
        Assert.Equal(record.Files, publicRecord.Files);
        Assert.True(DrawRecords.Verify(publicBytes, () => publicBytes.ToArray(), published.CommitmentSha256, published.RecordSha256).Matches);
    }

    [Fact]
    public async Task The_verifier_refuses_a_body_beyond_its_limit_and_a_body_that_is_not_json()
    {
        var tooLarge = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"algorithm\":\"" + new string('a', 200_001) + "\"}")) { Headers = { ContentType = new("application/json") } };
        var response = await app.Anonymous().PostAsync("/api/draws/verify", tooLarge);
        var problem = await response.ReadNodeAs(413);
        Assert.Equal("draw.record.too-large", problem["violations"]![0]!["rule"]!.GetValue<string>());

        var notJson = await app.Anonymous().PostAsync("/api/draws/verify", new StringContent("{\"algorithm\": ", Encoding.UTF8, "application/json"));
        Assert.Equal("draw.record.json", (await notJson.ReadNodeAs(400))["violations"]![0]!["rule"]!.GetValue<string>());
    }
}
