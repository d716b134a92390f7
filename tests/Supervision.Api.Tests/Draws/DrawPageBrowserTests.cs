using Supervision.Api.Draws;
using Supervision.Domain.Draws;

namespace Supervision.Api.Tests.Draws;

/// <summary>
/// The public draw page verifies the public record in a real browser (headless Chromium) with its own JavaScript and WebCrypto,
/// against the published hashes: a good record matches, a forged one is named.
/// </summary>
public sealed class DrawPageBrowserTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Fact]
    public async Task The_browser_verifies_a_good_record_and_names_a_forged_one()
    {
        if (HeadlessBrowser.Executable is null) Assert.Fail("chromium is not installed (ops/test.sh installs it as root)");
        var s = await new InspectionScenario(app, "DRAW-PAGE", "130551", 2027).Setup();
        await s.ImportTargets(40, 61000);
        foreach (var n in Enumerable.Range(1, 4)) await s.Inspector($"PAGE-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await s.ApprovedPlan("DRAW-PAGE-M");
        var drawn = await s.Draw(plan, task);
        await (await s.Approver.PostJson($"/api/draws/{drawn.Id}/recusals", new RecuseInspector(drawn.Targets[0].TargetId, drawn.Targets[0].Team[0]!.Value, "亲属关系", drawn.Version))).ShouldHaveStatus(200);
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();

        var page = await HeadlessBrowser.RenderAsync($"{app.BaseAddress}/public/draws/{drawn.Id}", virtualTimeMilliseconds: 20000);
        Assert.Contains("data-result=\"match\"", page);
        Assert.Contains(published.RecordSha256, page);

        // The same record given to the verification page in the URL fragment (never sent to the server): a match; forged: named.
        var record = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        string Url(DrawRecordV2 r) => $"{app.BaseAddress}/public/draws/verify#record={Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(r, HttpExtensions.Json))).TrimEnd('=').Replace('+', '-').Replace('/', '_')}" +
                                      $"&commitment={published.CommitmentSha256}&recordSha256={published.RecordSha256}";
        Assert.Contains("data-result=\"match\"", await HeadlessBrowser.RenderAsync(Url(record), 20000));
        var acts = record.Acts.Where(a => a.Split('|')[4] != "inspector").ToList();
        var forged = record with { Acts = acts, RecordSha256 = DrawV2.ChainHead(record.CommitmentSha256, acts), Outputs = record.Outputs with { Replacements = "" } };
        var verdict = await HeadlessBrowser.RenderAsync(Url(forged), 20000);
        Assert.Contains("data-result=\"mismatch\"", verdict);
        Assert.Contains("data-part=\"expect.record\"", verdict);
    }
}
