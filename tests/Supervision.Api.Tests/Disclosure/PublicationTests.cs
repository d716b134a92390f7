using Supervision.Api.Disclosure;
using Supervision.Api.Inspections;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Disclosure;

public sealed class PublicationTests(March2026KestrelApp app) : IClassFixture<March2026KestrelApp>
{
    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    private static async Task<InspectionCase> Approved(InspectionScenario scenario, SupervisionApp app, Guid caseId, string matterCode, string code, string? sub, string? found)
    {
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(InspectionMatter.IdFor(matterCode), code, sub, found, "责令限期改正", null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        return await (await app.ClientFor("reviewer-pub", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ReadAs<InspectionCase>();
    }

    /// <summary>Issue 16: a publishedOn other than the day of committing is recorded as a flag 纪检 see in the case history.</summary>
    [Fact]
    public async Task A_publication_date_other_than_the_day_it_is_committed_is_flagged_in_the_case_history()
    {
        var scenario = await new InspectionScenario(app, "XT-PUBDATE", "130528", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"PD-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 18000);
        var (plan, task) = await scenario.ApprovedPlan("XT-PUBDATE-SP");
        var draw = await scenario.Draw(plan, task);
        var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        var backDated = await Approved(scenario, app, cases[0], "XT-PUBDATE-SP", "no-problem", null, null);
        var onTheDay = await Approved(scenario, app, cases[1], "XT-PUBDATE-SP", "no-problem", null, null);
        var today = DateOnly.FromDateTime(March2026App.EndOfMarch.DateTime); // the application's clock, China time

        // Back-dated by eleven days: accepted (it may have been published elsewhere first) but flagged.
        var publication = await (await scenario.Approver.PostJson($"/api/cases/{backDated.Id}/publication",
            new PublishResult(new DateOnly(2026, 3, 20), null, null))).ReadAs<ResultPublication>();
        Assert.Equal((new DateOnly(2026, 3, 20), 2L), (publication.Current!.PublishedOn, publication.Version));
        var onTime = await (await scenario.Approver.PostJson($"/api/cases/{onTheDay.Id}/publication", new PublishResult(today, null, null))).ReadAs<ResultPublication>();
        Assert.Equal(1L, onTime.Version);

        var jijian = app.ClientFor("jijian-pubdate", Roles.DisciplineInspector, scenario.Department);
        var history = await (await jijian.GetAsync($"/api/history?id={backDated.Id}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>();
        var flag = Assert.Single(history, h => h.Type == "publication_date_flagged");
        Assert.Equal("disclosure", flag.Kind);
        Assert.Equal(("2026-03-20", today.ToString("yyyy-MM-dd")), (flag.Data.GetProperty("PublishedOn").GetString(), flag.Data.GetProperty("CommittedOn").GetString()));
        var clean = await (await jijian.GetAsync($"/api/history?id={onTheDay.Id}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>();
        Assert.DoesNotContain(clean, h => h.Type == "publication_date_flagged");

        // A correction with a back-dated publishedOn is flagged as well.
        publication = await (await scenario.Approver.PostJson($"/api/publications/{onTime.Id}/corrections",
            new CorrectPublication(new DateOnly(2026, 3, 1), null, null, "补正公示日期", onTime.Version))).ReadAs<ResultPublication>();
        Assert.Equal(3L, publication.Version);
    }

    [Fact]
    public async Task Results_are_published_corrected_and_withheld_and_the_public_sees_only_the_frozen_public_copies()
    {
        var scenario = await new InspectionScenario(app, "XT-PUB", "130526", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"PB-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 16000);
        var (plan, task) = await scenario.ApprovedPlan("XT-PUB-SP");
        var draw = await scenario.Draw(plan, task);
        var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        var published = await Approved(scenario, app, cases[0], "XT-PUB-SP", "problem-rectified", null, "未按规定公示年度报告");
        var secret = await Approved(scenario, app, cases[1], "XT-PUB-SP", "no-problem", null, null);
        var approver = scenario.Approver;

        // Publish: a frozen public copy.
        var publication = await (await approver.PostJson($"/api/cases/{published.Id}/publication", new PublishResult(new DateOnly(2026, 3, 20), null, "已责令改正"))).ReadAs<ResultPublication>();
        var first = publication.Current!;
        var target = Assert.IsType<string>(first.CreditCode);
        Assert.Equal((1, "发现问题已责令改正"), (first.Revision, Assert.Single(first.Matters).Result));

        // Correct: a new publication referencing the old one; both stay visible. Here the entity name is redacted with its basis.
        await (await approver.PostJson($"/api/publications/{publication.Id}/corrections",
            new CorrectPublication(new DateOnly(2026, 3, 25), null, "已责令改正", "", publication.Version))).ShouldHaveStatus(400);
        publication = await (await approver.PostJson($"/api/publications/{publication.Id}/corrections",
            new CorrectPublication(new DateOnly(2026, 3, 25), [new Redaction(RedactableFields.EntityName, WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条")],
                "已责令改正，企业已整改完毕", "补充整改结果", publication.Version))).ReadAs<ResultPublication>();

        // Withhold: with a ground, a legal basis and an approver; never disclosed.
        Assert.Equal("legalBasis.required", Rule(await (await approver.PostJson($"/api/cases/{secret.Id}/publication/withhold",
            new WithholdResult(WithholdingGround.CommercialSecret, "", "涉及商业秘密"))).ReadNodeAs(400)));
        await (await approver.PostJson($"/api/cases/{secret.Id}/publication/withhold",
            new WithholdResult(WithholdingGround.CommercialSecret, "《反不正当竞争法》第九条", "检查记录涉及企业配方"))).ShouldHaveStatus(200);
        Assert.Equal("publication.withheld", Rule(await (await approver.PostJson($"/api/cases/{secret.Id}/publication",
            new PublishResult(new DateOnly(2026, 3, 20), null, null))).ReadNodeAs(409)));

        // The public, anonymously: found by credit code, current revision first, history kept; nothing non-public.
        var response = await app.Anonymous().GetAsync($"/api/public/results?creditCode={target}");
        var raw = await response.Content.ReadAsStringAsync();
        var entry = Assert.Single(await response.ReadAs<List<PublicResultEntry>>());
        Assert.Equal((2, 1, RedactableFields.Redacted), (entry.Current.Revision, entry.Current.Corrects, entry.Current.EntityName));
        Assert.Equal([2, 1], entry.History.Select(h => h.Revision));
        foreach (var member in published.Team.Concat(secret.Team)) Assert.DoesNotContain(member.StaffCode, raw, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("creditClass", raw, StringComparison.OrdinalIgnoreCase);

        var all = await (await app.Anonymous().GetAsync($"/api/public/results?planNumber={plan.Number}")).ReadAs<List<PublicResultEntry>>();
        Assert.DoesNotContain(all, e => e.Current.CaseId == secret.Id);

        // The public web page in a real headless browser: search by credit code, see the result and its correction history.
        if (HeadlessBrowser.Executable is null)
        {
            // ops/test.sh installs Debian's chromium when it runs as root, as CI does; only a developer without it skips this part.
            Assert.True(Environment.GetEnvironmentVariable("CI") is null, "chromium is required in CI for the public page test");
            return;
        }
        var dom = await HeadlessBrowser.RenderAsync($"{app.BaseAddress}/public?creditCode={target}");
        Assert.Contains("共 1 条", dom);
        Assert.Contains(target, dom);
        Assert.Contains("更正记录", dom);
        Assert.Contains("补充整改结果", dom);
        Assert.Contains(RedactableFields.Redacted, dom);
        foreach (var member in published.Team) Assert.DoesNotContain(member.StaffCode, dom, StringComparison.OrdinalIgnoreCase);

        var current = await (await approver.GetAsync($"/api/plans/{plan.Id}")).ReadAs<Supervision.Domain.Plans.AnnualPlan>();
        await (await approver.PostJson($"/api/plans/{plan.Id}/publish", new Supervision.Domain.Plans.PublishPlan(new DateOnly(2026, 2, 10), current.Version))).ShouldHaveStatus(200);
        var planPage = await HeadlessBrowser.RenderAsync($"{app.BaseAddress}/public/plans/{plan.Id}");
        Assert.Contains(plan.Number, planPage);
        var drawPage = await HeadlessBrowser.RenderAsync($"{app.BaseAddress}/public/draws/{draw.Id}");
        Assert.Contains(draw.CommitmentSha256, drawPage);
        Assert.Contains("在浏览器中验证", drawPage);
    }
}
