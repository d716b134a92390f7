using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Disclosure;
using Supervision.Api.Inspections;
using Supervision.Api.Tests.Harness;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Directories;
using Supervision.Domain.Disclosure;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;

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

        var scenario = await new InspectionScenario(app, "XT-FD", "130525", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"FD-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, 16000);
        var (plan, task) = await scenario.ApprovedPlan("XT-FD-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];
        var matter = InspectionMatter.IdFor("XT-FD-SP");
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-pending", "unreachable", "通过登记的住所无法联系", null, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        await (await app.ClientFor("reviewer-fd", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ShouldHaveStatus(200);

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
}
