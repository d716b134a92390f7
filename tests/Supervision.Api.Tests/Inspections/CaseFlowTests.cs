using Supervision.Api.Inspections;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Inspections;

public sealed class CaseFlowTests(March2026App app) : IClassFixture<March2026App>
{
    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task A_case_goes_from_the_draw_to_a_reviewed_and_corrected_result()
    {
        var scenario = await new InspectionScenario(app, "XT-CASE-A", "130521", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 3)) await scenario.Inspector($"CA-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 11000);
        var (plan, task) = await scenario.ApprovedPlan("XT-CASE-SP");
        var draw = await scenario.Draw(plan, task);

        var opened = await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>();
        Assert.Equal(2, opened.Opened.Count);
        var again = await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>();
        Assert.Empty(again.Opened);

        var caseId = opened.Opened[0];
        var @case = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(@case.Team[0].StaffCode);
        var outsider = scenario.ClientOf(scenario.Inspectors.Keys.First(code => @case.Team.All(m => m.StaffCode != code)));
        var matter = InspectionMatter.IdFor("XT-CASE-SP");

        Assert.Equal("case.not-on-team", Rule(await (await outsider.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 5), @case.Version))).ReadNodeAs(403)));
        @case = await (await member.PostJson($"/api/cases/{caseId}/notices", new RecordNotice("邢市监检通〔2026〕12号", new DateOnly(2026, 3, 2), @case.Version))).ReadAs<InspectionCase>();
        @case = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 5), @case.Version))).ReadAs<InspectionCase>();
        // The check form (pinned version), answered item by item.
        var form = (await (await scenario.Keeper.PostJson("/api/check-forms", new DefineCheckForm("XT-CASE-FORM", "食品经营者基础检查表", CheckFormKind.Base, matter, null,
            [new CheckFormItemInput("LICENSE", "是否持有有效食品经营许可证", AnswerType.YesNo, null, null, true, "《食品安全法》第三十五条"),
             new CheckFormItemInput("STORAGE", "贮存条件", AnswerType.Choice, ["符合", "基本符合", "不符合"], null, false, null)]))).ReadNodeAs(201))["value"]!;
        var formId = form["id"]!.GetValue<Guid>();
        Assert.Equal("form.answer.required", Rule(await (await member.PostJson($"/api/cases/{caseId}/forms",
            new AnswerCheckForm(scenario.Department, formId, 1, [new FormAnswer("STORAGE", "符合")], @case.Version))).ReadNodeAs(400)));
        Assert.Equal("form.answer.option", Rule(await (await member.PostJson($"/api/cases/{caseId}/forms",
            new AnswerCheckForm(scenario.Department, formId, 1, [new FormAnswer("LICENSE", "yes"), new FormAnswer("STORAGE", "很好")], @case.Version))).ReadNodeAs(400)));
        @case = await (await member.PostJson($"/api/cases/{caseId}/forms",
            new AnswerCheckForm(scenario.Department, formId, 1, [new FormAnswer("license", "yes"), new FormAnswer("STORAGE", "基本符合")], @case.Version))).ReadAs<InspectionCase>();
        Assert.Equal(["LICENSE", "STORAGE"], Assert.Single(Assert.Single(@case.Departments).Forms).Answers.Select(a => a.ItemCode));

        @case = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], @case.Version))).ReadAs<InspectionCase>();

        // 20 working days strictly after Tue 10 March 2026, skipping 清明 (4–6 April): Wednesday 8 April.
        Assert.Equal((new DateOnly(2026, 4, 8), false, DeadlineTrigger.InspectionEnded), (@case.Deadline!.Due, @case.Deadline.Provisional, @case.Deadline.Trigger));
        Assert.Contains("2026r1", @case.Deadline.CalendarVersions);

        Assert.Equal("case.not-on-team", Rule(await (await outsider.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "no-problem", null, null, null, null, @case.Version))).ReadNodeAs(403)));
        Assert.Equal("result.code.unknown", Rule(await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "all-good", null, null, null, null, @case.Version))).ReadNodeAs(400)));
        Assert.Equal("result.subkind.unknown", Rule(await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-pending", null, "住所无人", null, null, @case.Version))).ReadNodeAs(400)));

        @case = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-pending", "unreachable", "通过登记的住所无法联系", "拟列入经营异常名录", "列入经营异常名录", @case.Version))).ReadAs<InspectionCase>();
        @case = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, @case.Version))).ReadAs<InspectionCase>();

        var reviewer = app.ClientFor("reviewer-case", Roles.Reviewer, scenario.Department);
        await (await reviewer.PostJson($"/api/cases/{caseId}/review", new ReviewResults(scenario.Department, false, [], @case.Version))).ShouldHaveStatus(400);
        @case = await (await reviewer.PostJson($"/api/cases/{caseId}/review", new ReviewResults(scenario.Department, true, null, @case.Version))).ReadAs<InspectionCase>();
        Assert.Equal(ReviewStatus.Approved, Assert.Single(@case.Departments).Review);

        await (await member.PostJson($"/api/cases/{caseId}/corrections",
            new CorrectResult(matter, "problem-rectified", null, "企业已变更住所", "责令改正", null, "", @case.Version))).ShouldHaveStatus(400);
        @case = await (await member.PostJson($"/api/cases/{caseId}/corrections",
            new CorrectResult(matter, "problem-rectified", null, "企业已办理住所变更登记", "已责令改正", null, "复核发现企业已于3月12日变更住所", @case.Version))).ReadAs<InspectionCase>();
        var result = Assert.Single(Assert.Single(@case.Departments).Results);
        Assert.Equal(("problem-rectified", 2), (result.Code, result.Revision));
        Assert.Equal("problem-pending", Assert.Single(result.History).Code);

        var mine = (await (await member.GetAsync("/api/cases/mine")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items;
        Assert.Contains(mine, c => c.Id == caseId && c.Due == new DateOnly(2026, 4, 8));
        var department = (await (await scenario.Planner.GetAsync($"/api/cases?departmentId={scenario.Department}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items;
        Assert.Equal(2, department.Count(c => c.PlanId == plan.Id));

        // The full history a discipline inspector traces for the target: registered, drawn, its case, results, review, correction; who and which request.
        var target = await (await scenario.Planner.GetAsync($"/api/targets/{@case.TargetId}")).ReadAs<Target>();
        var jijian = app.ClientFor("jijian-case", Roles.DisciplineInspector, scenario.Department);
        var history = await (await jijian.GetAsync($"/api/history?creditCode={target.CreditCode}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>();
        var types = history.Select(h => h.Type).ToList();
        foreach (var expected in new[] { "target_registered", "targets_drawn", "case_opened", "inspection_ended", "result_entered", "results_approved", "result_corrected" })
            Assert.Contains(expected, types);
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty(h.CorrelationId)));
        Assert.Contains(history, h => h.Type == "results_approved" && h.User == "reviewer-case" && h.Roles == Roles.Reviewer);
        await (await scenario.Planner.GetAsync($"/api/history?creditCode={target.CreditCode}")).ShouldHaveStatus(403);
    }

    [Fact]
    public async Task Replacing_a_drawn_target_withdraws_its_case_and_opens_the_replacements_with_the_drawn_team()
    {
        var scenario = await new InspectionScenario(app, "XT-CASE-R", "130522", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 3)) await scenario.Inspector($"CR-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(20, 14000);
        var (plan, task) = await scenario.ApprovedPlan("XT-CASE-R-SP");
        var draw = await scenario.Draw(plan, task);
        await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ShouldHaveStatus(200);
        draw = await (await scenario.Planner.GetAsync($"/api/draws/{draw.Id}")).ReadAs<Supervision.Api.Draws.DrawView>();

        // With cases open the draw stands: it cannot be voided (and re-drawn); and another department cannot touch it.
        var refused = await (await scenario.Approver.PostJson($"/api/draws/{draw.Id}/void", new Supervision.Domain.Draws.VoidDraw("结果不理想", draw.Version))).ReadNodeAs(409);
        Assert.Equal("draw.void.cases-open", Rule(refused));
        var stranger = app.ClientFor("approver-elsewhere", Roles.Approver, Guid.NewGuid());
        Assert.Equal("draw.department.not-yours", Rule(await (await stranger.PostJson($"/api/draws/{draw.Id}/target-replacements",
            new Supervision.Domain.Draws.ReplaceTarget(draw.Targets[0].TargetId, "x", draw.Version))).ReadNodeAs(403)));

        var gone = draw.Targets[0].TargetId;
        var after = await (await scenario.Approver.PostJson($"/api/draws/{draw.Id}/target-replacements",
            new Supervision.Domain.Draws.ReplaceTarget(gone, "经核查该企业已注销", draw.Version))).ReadAs<Supervision.Api.Draws.DrawView>();
        var replacement = after.Targets.Single(t => !t.Replaced && draw.Targets.All(d => d.TargetId != t.TargetId));

        var withdrawn = await (await scenario.Planner.GetAsync($"/api/cases/{InspectionCase.IdFor(draw.Id, gone)}")).ReadAs<InspectionCase>();
        Assert.Equal(CaseStatus.Withdrawn, withdrawn.Status);
        var opened = await (await scenario.Planner.GetAsync($"/api/cases/{InspectionCase.IdFor(draw.Id, replacement.TargetId)}")).ReadAs<InspectionCase>();
        Assert.Equal(CaseStatus.Open, opened.Status);
        Assert.Equal(replacement.Team.OfType<Guid>().Order(), opened.Team.Select(m => m.InspectorId).Order());
    }
}
