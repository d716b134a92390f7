using System.Net;
using Supervision.Api.Inspections;
using Supervision.Api.Public;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Public;

/// <summary>Which page links the public lists show (pure).</summary>
public sealed class PublicPagerTests
{
    [Theory]
    [InlineData(1, 0, 0, "")]
    [InlineData(1, 20, 1, "1")]
    [InlineData(1, 95, 5, "1 2 3 … 5")]
    [InlineData(5, 200, 10, "1 … 3 4 5 6 7 … 10")]
    [InlineData(10, 200, 10, "1 … 8 9 10")]
    public void The_pager_shows_the_first_and_last_pages_and_two_either_side(int page, int total, int pages, string links)
    {
        var window = PublicPager.For(page, 20, total);
        Assert.Equal(pages, window.PageCount);
        Assert.Equal(links, string.Join(" ", window.Items.Select(i => i?.ToString() ?? "…")));
    }

    [Fact]
    public void The_counts_name_the_items_shown_and_a_page_past_the_end_shows_none()
    {
        Assert.Equal((41, 60), (PublicPager.For(3, 20, 95).FirstItem, PublicPager.For(3, 20, 95).LastItem));
        Assert.Equal((81, 95), (PublicPager.For(5, 20, 95).FirstItem, PublicPager.For(5, 20, 95).LastItem));
        var past = PublicPager.For(9, 20, 95);
        Assert.True(past.LastItem < past.FirstItem);
    }
}

/// <summary>
/// Issue 15: the public pages as people see them. Each page is rendered in headless Chromium at a desktop (1280 px) and a phone
/// (390 px) width; the screenshots are kept under the test output (<c>screenshots/</c>), and each is checked: the title's Chinese
/// is drawn by a CJK font (not tofu boxes), nothing scrolls sideways, no text is squeezed into a one-character column, every text has a
/// contrast of at least 4.5:1, the page is not blank; printed, it drops navigation and forms. The check itself is attacked: with the
/// CJK fonts withheld from the browser the same page must fail it.
/// </summary>
public sealed class PublicPageTests(March2026KestrelApp app) : IClassFixture<March2026KestrelApp>
{
    /// <summary>Fonts that hold the Chinese glyphs: the stylesheet's stack (public.css) and what Chromium reports for them.</summary>
    private static readonly string[] CjkFamilies = ["Noto Sans CJK", "Source Han Sans", "WenQuanYi", "文泉", "Microsoft YaHei", "PingFang"];

    private static int CjkCharacters(string text) => text.Count(c => c is >= '\u3000' and <= '\u9fff' or >= '\uff00' and <= '\uffef');

    /// <summary>True when every Chinese character of the title was drawn by a font that has it (a missing glyph is drawn by another font, as a box).</summary>
    private static bool TitleDrawnInCjk(PageRendering page) =>
        CjkCharacters(page.Title) > 0 && page.TitleFonts.Where(f => CjkFamilies.Any(c => f.Family.Contains(c, StringComparison.OrdinalIgnoreCase))).Sum(f => f.Glyphs) >= CjkCharacters(page.Title);

    private static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;

    private static async Task<InspectionCase> Approved(InspectionScenario scenario, SupervisionApp app, Guid caseId, string matterCode, string code, string? found)
    {
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(InspectionMatter.IdFor(matterCode), code, null, found, "责令限期改正", null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        return await (await app.ClientFor("reviewer-pages", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ReadAs<InspectionCase>();
    }

    /// <summary>A published plan, its draw, three published results (one corrected): every kind of public page has something to show.</summary>
    private async Task<(AnnualPlan Plan, Guid DrawId, Guid CorrectedPublication, string CreditCode)> PublishedWorld()
    {
        var scenario = await new InspectionScenario(app, "XT-PAGES", "130571", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"PG-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(30, 27000);
        var (plan, task) = await scenario.ApprovedPlan("XT-PAGES-SP");
        var draw = await scenario.Draw(plan, task);
        var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        var approver = scenario.Approver;
        ResultPublication? corrected = null;
        foreach (var (caseId, i) in cases.Take(3).Select((c, i) => (c, i)))
        {
            await Approved(scenario, app, caseId, "XT-PAGES-SP", i == 0 ? "problem-rectified" : "no-problem", i == 0 ? "未按规定公示年度报告" : null);
            var publication = await (await approver.PostJson($"/api/cases/{caseId}/publication", new PublishResult(new DateOnly(2026, 3, 20), null, i == 0 ? "已责令改正" : null)))
                .ReadAs<ResultPublication>();
            if (i == 0)
                corrected = await (await approver.PostJson($"/api/publications/{publication.Id}/corrections",
                    new CorrectPublication(new DateOnly(2026, 3, 25), null, "已责令改正，企业已整改完毕", "补充整改结果", publication.Version))).ReadAs<ResultPublication>();
        }
        var current = await (await approver.GetAsync($"/api/plans/{plan.Id}")).ReadAs<AnnualPlan>();
        await (await approver.PostJson($"/api/plans/{plan.Id}/publish", new PublishPlan(new DateOnly(2026, 2, 10), current.Version))).ShouldHaveStatus(200);
        return (plan, draw.Id, corrected!.Id, corrected.Current!.CreditCode!);
    }

    [Fact]
    public async Task Every_public_page_renders_its_chinese_at_desktop_and_phone_widths_and_links_result_plan_task_and_draw()
    {
        if (HeadlessBrowser.Executable is null) Assert.Fail("chromium is not installed (ops/test.sh installs it as root)");
        var (plan, drawId, publicationId, creditCode) = await PublishedWorld();

        // The links between a result, its plan, its task and its draw, as the HTML has them (no script needed to follow them).
        var search = await (await app.Anonymous().GetAsync($"/public?planNumber={plan.Number}")).Content.ReadAsStringAsync();
        Assert.Contains("共 3 条", search);
        Assert.Contains($"href=\"/public/results/{publicationId}\"", search);
        Assert.Contains($"href=\"/public/plans/{plan.Id}\"", search);
        Assert.Contains($"href=\"/public/plans/{plan.Id}#task-{plan.Tasks[0].Number}\"", search);
        Assert.Contains($"href=\"/public/draws/{drawId}\"", search);
        Assert.Contains("id=\"data-as-of\"", search);
        var planPage = await (await app.Anonymous().GetAsync($"/public/plans/{plan.Id}")).Content.ReadAsStringAsync();
        Assert.Contains($"id=\"task-{plan.Tasks[0].Number}\"", planPage);
        Assert.Contains($"href=\"/public/draws/{drawId}\"", planPage);
        var drawPage = await (await app.Anonymous().GetAsync($"/public/draws/{drawId}")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"/public/plans/{plan.Id}#task-{plan.Tasks[0].Number}\"", drawPage);
        Assert.Equal(404, (int)(await app.Anonymous().GetAsync($"/public/results/{Guid.NewGuid()}")).StatusCode);

        // Paging: a page of the search past the first says which items it shows.
        var pages = new (string Name, string Url)[]
        {
            ("public-search", $"/public?creditCode={creditCode}"),
            ("public-search-plan", $"/public?planNumber={plan.Number}"),
            ("public-result", $"/public/results/{publicationId}"),
            ("public-plans", "/public/plans"),
            ("public-plan", $"/public/plans/{plan.Id}"),
            ("public-draw", $"/public/draws/{drawId}"),
            ("public-verify", "/public/draws/verify"),
        };
        var renderings = new Dictionary<string, PageRendering>();
        await using (var browser = await BrowserPage.StartAsync())
        {
            foreach (var (name, url) in pages)
                foreach (var width in new[] { 1280, 390 })
                {
                    var page = await browser.RenderAsync(app.BaseAddress + url, width);
                    await File.WriteAllBytesAsync(Path.Combine(ScreenshotFolder, $"{name}-{width}.png"), page.Png);
                    renderings[$"{name}-{width}"] = page;
                    Assert.True(TitleDrawnInCjk(page), $"{name} at {width} px: the title '{page.Title}' was drawn by {string.Join(", ", page.TitleFonts)}, not a CJK font (tofu)");
                    Assert.True(page.ScrollWidth <= page.ViewportWidth, $"{name} at {width} px scrolls sideways ({page.ScrollWidth} > {page.ViewportWidth})");
                    Assert.True(page.Squeezed.Count == 0, $"{name} at {width} px squeezes text into a column too narrow to read: {string.Join(" | ", page.Squeezed)}");
                    Assert.True(page.LowContrast.Count == 0, $"{name} at {width} px has text under 4.5:1 contrast: {string.Join(" | ", page.LowContrast)}");
                    Assert.True(page.Png.Length > 5_000, $"{name} at {width} px: the screenshot is nearly empty ({page.Png.Length} bytes)");
                }
        }
        // On paper: no navigation, search form, pager or skip link; the content and the header's issuer stay.
        await using (var printer = await BrowserPage.StartAsync())
        {
            var printed = await printer.PrintedAsync(app.BaseAddress + $"/public?planNumber={plan.Number}", ".site-nav", "form.search", ".skip", "main", "#issuer", "article.result");
            Assert.Equal(["main", "#issuer", "article.result"], printed);
        }

        // The phone layout is its own (stacked rows), not the desktop page shrunk: a longer page.
        Assert.True(renderings["public-plan-390"].Height > renderings["public-plan-1280"].Height);

        // ops: SUPERVISION_RECORD_SCREENSHOTS=1 copies the README's screenshot (docs/img/public-search.png) from this run.
        if (Environment.GetEnvironmentVariable("SUPERVISION_RECORD_SCREENSHOTS") == "1")
            File.Copy(Path.Combine(ScreenshotFolder, "public-search-plan-1280.png"),
                Path.Combine(Directory.CreateDirectory(Path.Combine(RepositoryPaths.Root, "docs", "img")).FullName, "public-search.png"), overwrite: true);

        // The attack on the check: the same page in a browser without any CJK font draws boxes, and the check says so.
        var withheld = Path.Combine(Directory.CreateTempSubdirectory("fontconfig-no-cjk-").FullName, "fonts.conf");
        await File.WriteAllTextAsync(withheld, $"""
            <?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
            <fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{Path.GetDirectoryName(withheld)}/cache</cachedir></fontconfig>
            """);
        await using (var tofu = await BrowserPage.StartAsync(withheld))
        {
            var boxes = await tofu.RenderAsync(app.BaseAddress + pages[0].Url, 1280);
            Assert.False(TitleDrawnInCjk(boxes), $"without CJK fonts the title was still reported as drawn by {string.Join(", ", boxes.TitleFonts)}");
            Assert.NotEqual(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(renderings["public-search-1280"].Png)),
                Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(boxes.Png)));
            await File.WriteAllBytesAsync(Path.Combine(ScreenshotFolder, "public-search-1280-tofu.png"), boxes.Png);
        }
    }

    [Fact]
    public async Task Text_from_data_and_from_the_query_is_encoded_on_every_page_never_markup()
    {
        const string Attack = "<img src=x onerror=alert(1)>\"'&";
        var scenario = await new InspectionScenario(app, "XT-PAGES-XSS", "130572", year: 2026).Setup();
        var defined = await scenario.Keeper.PostJson("/api/matters", new DefineMatter("XT-PAGES-XSS-M", "事项" + Attack, "《食品安全法》" + Attack, scenario.Department, "内容",
            [InspectionMethod.OnSite], MatterCategory.General, 20m, null, null, []));
        Assert.True((int)defined.StatusCode is 201 or 409);
        var plan = (await (await scenario.Planner.PostJson("/api/plans", new DraftPlan(scenario.Department, 2026, "计划" + Attack, "方案" + Attack))).ReadNodeAs(201))["value"]
            .Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        var task = new TaskDefinition("任务" + Attack, TaskType.Undirected, scenario.Department, null,
            [new Participant(scenario.Department, [new MatterRef(InspectionMatter.IdFor("XT-PAGES-XSS-M"), 1)])],
            new TargetFilter(RegionCode: scenario.County), "范围" + Attack, new SamplingRule(5m, null, null), 2, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));
        plan = await (await scenario.Planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(task, plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await scenario.Planner.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await scenario.Approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadAs<AnnualPlan>();
        await (await scenario.Approver.PostJson($"/api/plans/{plan.Id}/publish", new PublishPlan(new DateOnly(2026, 2, 10), plan.Version))).ShouldHaveStatus(200);

        var query = Uri.EscapeDataString(Attack);
        foreach (var url in new[] { $"/public/plans/{plan.Id}", "/public/plans?year=2026", $"/public?name={query}&authority={query}&planNumber={query}&creditCode={query}" })
        {
            var response = await app.Anonymous().GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(PublicLayout.E(Attack), html);
        }
        // The page size of the search is fixed and an absurd page number is refused before any query (400, RequestHardening).
        Assert.Equal(400, (int)(await app.Anonymous().GetAsync("/public?name=x&page=100000000")).StatusCode);
    }
}
