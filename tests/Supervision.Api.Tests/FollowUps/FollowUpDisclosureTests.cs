using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Disclosure;
using Supervision.Api.Inspections;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Disclosure;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.FollowUps;

/// <summary>Issue 16: 后续处理结果 reach the public copy as a new revision when they are back-filled on a published case.</summary>
public sealed class FollowUpDisclosureTests
{
    private static DateTimeOffset China(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task A_back_filled_outcome_on_a_published_case_is_public_the_same_day_as_a_new_revision_and_a_correction_keeps_it()
    {
        var clock = new FakeTimeProvider(China(3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();

        var (scenario, plan, caseId, matter) = await ApprovedCaseWithProblem(app, "XT-FD", 16000);

        // Published first, with the legacy free-text handling and a redacted entity name.
        var approver = app.ClientFor("approver-fd", Roles.Approver, scenario.Department);
        var publication = await (await approver.PostJson($"/api/cases/{caseId}/publication", new PublishResult(new DateOnly(2026, 3, 10),
            [new Redaction(RedactableFields.EntityName, WithholdingGround.PersonalPrivacy, "《政府信息公开条例》第十五条")], "待后续处理"))).ReadAs<ResultPublication>();
        Assert.Empty(publication.Current!.FollowUpOutcomes);

        var handler = app.ClientFor("handler-fd", Roles.FollowUpHandler, scenario.Department);
        var opened = await (await handler.PostJson($"/api/cases/{caseId}/follow-ups", new OpenFollowUp(matter,
            [new MeasureInput(MeasureKind.AbnormalOperationList, scenario.Department, null, "通过登记的住所无法联系")], "发现问题待后续处理"))).ReadNodeAs(201);
        var id = opened["value"]!["id"]!.GetValue<Guid>();
        var followUp = await (await handler.GetAsync($"/api/follow-ups/{id}")).ReadAs<FollowUpCase>();

        clock.SetUtcNow(China(3, 16));
        await (await handler.PostJson($"/api/follow-ups/{id}/measures/1/back-fill",
            new BackFillMeasure("已列入经营异常名录", ["信市监异〔2026〕7号"], new DateOnly(2026, 3, 13), followUp.Version))).ShouldHaveStatus(200);

        string departmentName;
        await using (var session = app.Store.QuerySession())
            departmentName = (await session.LoadAsync<Department>(scenario.Department))!.Name;

        var entry = Assert.Single(await (await app.Anonymous().GetAsync($"/api/public/results?planNumber={plan.Number}")).ReadAs<List<PublicResultEntry>>());
        Assert.Equal(2, entry.Current.Revision);
        Assert.Equal(new DateOnly(2026, 3, 16), entry.Current.PublishedOn); // the day of the back-fill: within 20 working days by construction
        var outcome = Assert.Single(entry.Current.FollowUpOutcomes);
        Assert.Equal((1, MeasureKind.AbnormalOperationList, "已列入经营异常名录", new DateOnly(2026, 3, 13), departmentName),
            (outcome.Measure, outcome.Kind, outcome.Outcome, outcome.CompletedOn, outcome.DecidingBody));
        Assert.Equal(RedactableFields.Redacted, entry.Current.EntityName); // the redaction stays
        Assert.Equal("待后续处理", entry.Current.Handling); // the old free text is still readable
        Assert.Equal([2, 1], entry.History.Select(h => h.Revision));
        Assert.Empty(entry.History[1].FollowUpOutcomes);

        var page = await (await app.Anonymous().GetAsync($"/public?planNumber={plan.Number}")).Content.ReadAsStringAsync();
        Assert.Contains("已列入经营异常名录", System.Net.WebUtility.HtmlDecode(page));

        // A later correction of the publication keeps the disclosed outcome.
        await (await approver.PostJson($"/api/publications/{publication.Id}/corrections", new CorrectPublication(new DateOnly(2026, 3, 16),
            [new Redaction(RedactableFields.EntityName, WithholdingGround.PersonalPrivacy, "《政府信息公开条例》第十五条")], null, "更正检查方式", 2))).ShouldHaveStatus(200);
        entry = Assert.Single(await (await app.Anonymous().GetAsync($"/api/public/results?planNumber={plan.Number}")).ReadAs<List<PublicResultEntry>>());
        Assert.Equal(3, entry.Current.Revision);
        Assert.Single(entry.Current.FollowUpOutcomes);
    }

    /// <summary>Issue 16: an outcome back-filled before the case is first published is not lost: the first public copy carries it.</summary>
    [Fact]
    public async Task An_outcome_back_filled_before_the_first_publication_is_in_the_first_public_copy()
    {
        var clock = new FakeTimeProvider(China(3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();

        var (scenario, plan, caseId, matter) = await ApprovedCaseWithProblem(app, "XT-FE", 16100);
        var handler = app.ClientFor("handler-fe", Roles.FollowUpHandler, scenario.Department);
        var opened = await (await handler.PostJson($"/api/cases/{caseId}/follow-ups", new OpenFollowUp(matter,
            [new MeasureInput(MeasureKind.AbnormalOperationList, scenario.Department, null, "通过登记的住所无法联系")], "发现问题待后续处理"))).ReadNodeAs(201);
        var id = opened["value"]!["id"]!.GetValue<Guid>();
        var followUp = await (await handler.GetAsync($"/api/follow-ups/{id}")).ReadAs<FollowUpCase>();
        await (await handler.PostJson($"/api/follow-ups/{id}/measures/1/back-fill",
            new BackFillMeasure("已列入经营异常名录", ["信市监异〔2026〕8号"], new DateOnly(2026, 3, 9), followUp.Version))).ShouldHaveStatus(200);
        Assert.Empty(await (await app.Anonymous().GetAsync($"/api/public/results?planNumber={plan.Number}")).ReadAs<List<PublicResultEntry>>());

        clock.SetUtcNow(China(3, 12));
        var approver = app.ClientFor("approver-fe", Roles.Approver, scenario.Department);
        var publication = await (await approver.PostJson($"/api/cases/{caseId}/publication", new PublishResult(new DateOnly(2026, 3, 12), null, null)))
            .ReadAs<ResultPublication>();
        var outcome = Assert.Single(publication.Current!.FollowUpOutcomes);
        Assert.Equal((id, 1, "已列入经营异常名录", new DateOnly(2026, 3, 9)), (outcome.FollowUpId, outcome.Measure, outcome.Outcome, outcome.CompletedOn));

        var entry = Assert.Single(await (await app.Anonymous().GetAsync($"/api/public/results?planNumber={plan.Number}")).ReadAs<List<PublicResultEntry>>());
        Assert.Equal(1, entry.Current.Revision);
        Assert.Equal("已列入经营异常名录", Assert.Single(entry.Current.FollowUpOutcomes).Outcome);
    }

    /// <summary>Issue 16: a superseded revision that showed a since-redacted field is withdrawn from every public route, not from 纪检's history.</summary>
    [Fact]
    public async Task A_withdrawn_revision_is_gone_from_every_public_route_but_not_from_the_discipline_history_and_only_its_publisher_withdraws_it()
    {
        var clock = new FakeTimeProvider(China(3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var (scenario, plan, caseId, _) = await ApprovedCaseWithProblem(app, "XT-WD", 17000);

        var approver = app.ClientFor("approver-wd", Roles.Approver, scenario.Department);
        var publication = await (await approver.PostJson($"/api/cases/{caseId}/publication", new PublishResult(new DateOnly(2026, 3, 10), null, null))).ReadAs<ResultPublication>();
        var entityName = publication.Current!.EntityName;
        var creditCode = publication.Current.CreditCode!;
        // The correction redacts the entity name; revision 1 still shows it until withdrawn.
        publication = await (await approver.PostJson($"/api/publications/{publication.Id}/corrections", new CorrectPublication(new DateOnly(2026, 3, 10),
            [new Redaction(RedactableFields.EntityName, WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条")], null, "个体工商户字号含经营者姓名", publication.Version))).ReadAs<ResultPublication>();
        Assert.Equal(entityName, Assert.Single(await (await app.Anonymous().GetAsync($"/api/public/results?creditCode={creditCode}")).ReadAs<List<PublicResultEntry>>()).History[1].EntityName);

        var withdraw = new WithdrawRevision(WithholdingGround.PersonalPrivacy, "《个人信息保护法》第十三条", "第 1 版公开了经营者姓名", publication.Version);
        var url = $"/api/publications/{publication.Id}/revisions/1/withdraw";
        // Attacks: another department's approver, a reviewer of the publishing department, the public, no legal basis, the current revision.
        await (await app.ClientFor("approver-other", Roles.Approver, Department.IdFor("XT-WD-OTHER")).PostJson(url, withdraw)).ShouldHaveStatus(403);
        await (await app.ClientFor("reviewer-wd2", Roles.Reviewer, scenario.Department).PostJson(url, withdraw)).ShouldHaveStatus(403);
        Assert.True((int)(await app.Anonymous().PostJson(url, withdraw)).StatusCode is 401 or 403);
        await (await approver.PostJson(url, withdraw with { LegalBasis = "" })).ShouldHaveStatus(400);
        await (await approver.PostJson($"/api/publications/{publication.Id}/revisions/2/withdraw", withdraw)).ShouldHaveStatus(409);

        await (await approver.PostJson(url, withdraw)).ShouldHaveStatus(200);

        // Every public route: by credit code, by plan, by the old name, the public page with its revision history.
        foreach (var query in new[] { $"creditCode={creditCode}", $"planNumber={plan.Number}" })
        {
            var response = await app.Anonymous().GetAsync($"/api/public/results?{query}");
            var raw = await response.Content.ReadAsStringAsync();
            var entry = Assert.Single(await response.ReadAs<List<PublicResultEntry>>());
            Assert.Equal([2], entry.History.Select(h => h.Revision));
            Assert.DoesNotContain(entityName, System.Text.RegularExpressions.Regex.Unescape(raw));
            var page = System.Net.WebUtility.HtmlDecode(await (await app.Anonymous().GetAsync($"/public?{query}")).Content.ReadAsStringAsync());
            Assert.DoesNotContain(entityName, page);
            Assert.DoesNotContain("第 1 版", page);
        }
        Assert.Empty(await (await app.Anonymous().GetAsync($"/api/public/results?name={Uri.EscapeDataString(entityName)}")).ReadAs<List<PublicResultEntry>>());

        // 纪检 still see the withdrawn revision and the act, with who, when and why.
        var jijian = app.ClientFor("jijian-wd", Roles.DisciplineInspector, scenario.Department);
        var history = await (await jijian.GetAsync($"/api/history?id={caseId}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>();
        var withdrawn = Assert.Single(history, h => h.Type == "publication_revision_withdrawn");
        Assert.Equal(("approver-wd", 1, "第 1 版公开了经营者姓名", "《个人信息保护法》第十三条"), (withdrawn.User, withdrawn.Data.GetProperty("Revision").GetInt32(),
            withdrawn.Data.GetProperty("Reason").GetString(), withdrawn.Data.GetProperty("LegalBasis").GetString()));
        var first = Assert.Single(history, h => h.Type == "result_published");
        Assert.Equal(entityName, first.Data.GetProperty("Content").GetProperty("EntityName").GetString());
    }

    /// <summary>A case of a fresh plan with one approved result that needs follow-up (发现问题待后续处理).</summary>
    private static async Task<(InspectionScenario Scenario, AnnualPlanRef Plan, Guid CaseId, Guid Matter)> ApprovedCaseWithProblem(ClockedApp app, string code, int targetsFrom)
    {
        var scenario = await new InspectionScenario(app, code, "130525", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"{code[3..]}-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, targetsFrom);
        var (plan, task) = await scenario.ApprovedPlan(code + "-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];
        var matter = InspectionMatter.IdFor(code + "-SP");
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-pending", "unreachable", "通过登记的住所无法联系", null, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        await (await app.ClientFor("reviewer-" + code, Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ShouldHaveStatus(200);

        return (scenario, new AnnualPlanRef(plan.Number), caseId, matter);
    }

    private sealed record AnnualPlanRef(string Number);
}
