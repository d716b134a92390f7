using Microsoft.Extensions.Time.Testing;
using Supervision.Api.FollowUps;
using Supervision.Api.Inspections;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.FollowUps;

public sealed class FollowUpTests
{
    private static DateTimeOffset China(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.FromHours(8));
    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task A_handover_is_accepted_and_back_filled_the_loop_closes_only_with_every_outcome_and_late_ones_are_flagged()
    {
        var clock = new FakeTimeProvider(China(3, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();

        var scenario = await new InspectionScenario(app, "XT-FU", "130525", year: 2026).Setup();
        var admin = app.ClientFor("admin-fu", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("XT-FU-TAX", "信都区税务局", DepartmentKind.Other, "130525", null))).StatusCode is 201 or 409);
        var receiving = Department.IdFor("XT-FU-TAX");
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"FU-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, 15000);
        var (plan, task) = await scenario.ApprovedPlan("XT-FU-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];
        var matter = InspectionMatter.IdFor("XT-FU-SP");
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 3, 9), inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, "problem-pending", "unreachable", "通过登记的住所无法联系", null, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        await (await app.ClientFor("reviewer-fu", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ShouldHaveStatus(200);

        // The originating department chooses the measures: a hand-over to the tax bureau, and the abnormal operation list.
        var handler = app.ClientFor("handler-fu", Roles.FollowUpHandler, scenario.Department);
        var taxHandler = app.ClientFor("handler-tax", Roles.FollowUpHandler, receiving);
        var opened = await (await handler.PostJson($"/api/cases/{caseId}/follow-ups", new OpenFollowUp(matter,
            [new MeasureInput(MeasureKind.HandOver, receiving, new DateOnly(2026, 3, 20), "涉嫌未按规定办理税务登记，移送税务部门"),
             new MeasureInput(MeasureKind.AbnormalOperationList, scenario.Department, null, "通过登记的住所无法联系")], "发现问题待后续处理"))).ReadNodeAs(201);
        var id = opened["value"]!["id"]!.GetValue<Guid>();
        var followUp = await (await handler.GetAsync($"/api/follow-ups/{id}")).ReadAs<FollowUpCase>();
        Assert.Equal(new DateOnly(2026, 3, 24), followUp.MeasureNumbered(2)!.DueOn); // 10 working days after 10 March

        // docs/access.md: the follow-up is read by the departments in it (the tax bureau it was handed to included); another
        // department's handler and a token without a department read nothing of it (404, and not in any list).
        await (await taxHandler.GetAsync($"/api/follow-ups/{id}")).ShouldHaveStatus(200);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("XT-FU-OTHER", "其他局", DepartmentKind.Other, "130525", null))).StatusCode is 201 or 409);
        foreach (var outsider in new[] { app.ClientFor("handler-other", Roles.FollowUpHandler, Department.IdFor("XT-FU-OTHER")), app.ClientFor("handler-nobody", Roles.FollowUpHandler) })
        {
            await (await outsider.GetAsync($"/api/follow-ups/{id}")).ShouldHaveStatus(404);
            Assert.DoesNotContain((await (await outsider.GetAsync($"/api/follow-ups?departmentId={scenario.Department}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<FollowUpSummary>>()).Items, f => f.Id == id);
        }

        // The receiving department sees what waits for it, accepts, and (late) back-fills.
        Assert.Contains((await (await taxHandler.GetAsync($"/api/follow-ups?waitingFor={receiving}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<FollowUpSummary>>()).Items, f => f.Id == id);
        Assert.Equal("measure.not-accepted", Rule(await (await taxHandler.PostJson($"/api/follow-ups/{id}/measures/1/back-fill",
            new BackFillMeasure("已立案", ["信税立〔2026〕3号"], new DateOnly(2026, 3, 10), followUp.Version))).ReadNodeAs(409)));
        Assert.Equal("measure.not-yours", Rule(await (await handler.PostJson($"/api/follow-ups/{id}/measures/1/accept", new AcceptMeasure(followUp.Version))).ReadNodeAs(403)));
        followUp = await (await taxHandler.PostJson($"/api/follow-ups/{id}/measures/1/accept", new AcceptMeasure(followUp.Version))).ReadAs<FollowUpCase>();

        Assert.Equal("follow-up.outcomes.missing", Rule(await (await handler.PostJson($"/api/follow-ups/{id}/close", new CloseFollowUp(followUp.Version))).ReadNodeAs(409)));

        clock.SetUtcNow(China(3, 25));
        followUp = await (await taxHandler.PostJson($"/api/follow-ups/{id}/measures/1/back-fill",
            new BackFillMeasure("已立案查处，处罚决定书已送达", ["信税罚〔2026〕12号"], new DateOnly(2026, 3, 23), followUp.Version))).ReadAs<FollowUpCase>();
        await using (var session = app.Store.QuerySession())
        {
            var backFilled = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<MeasureBackFilled>().Single();
            Assert.True(backFilled.Late);
        }

        // The durable deadline of measure 2 runs (time passing simulated as in DeadlineRestartTests) and flags it overdue.
        await DeadlineRestartTests.MakeScheduledMessagesDue(app.Schema);
        var overdue = await SchemaChanges.UntilAsync(app.Schema, SchemaChanges.EventsAndInbox,
            async () => (await (await handler.GetAsync("/api/follow-ups?overdue=true")).ReadAs<Supervision.Api.Infrastructure.PagedResult<FollowUpSummary>>()).Items,
            found => found.Any(f => f.Id == id), TimeSpan.FromSeconds(30), "the measure's deadline message was handled");
        var flagged = Assert.Single(overdue, f => f.Id == id);
        Assert.Equal([false, true], flagged.Measures.Select(m => m.Overdue));

        followUp = await (await handler.GetAsync($"/api/follow-ups/{id}")).ReadAs<FollowUpCase>();
        followUp = await (await handler.PostJson($"/api/follow-ups/{id}/measures/2/back-fill",
            new BackFillMeasure("已列入经营异常名录", ["信市监异〔2026〕5号"], new DateOnly(2026, 3, 25), followUp.Version))).ReadAs<FollowUpCase>();
        followUp = await (await handler.PostJson($"/api/follow-ups/{id}/close", new CloseFollowUp(followUp.Version))).ReadAs<FollowUpCase>();
        Assert.Equal((FollowUpStatus.Closed, new DateOnly(2026, 3, 25)), (followUp.Status, followUp.ClosedOn));
    }
}
