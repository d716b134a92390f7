using Supervision.Api.Draws;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Draws;

/// <summary>
/// What <c>POST /api/draws</c> refuses before it freezes anything (issue 18: every rule code named by a test), through HTTP against
/// the real service: a malformed randomness plan, a plan or task that is not there or not drawable, another department's plan, and
/// a redo that names no voided draw or one already redone (docs/draw-algorithm.md, section 11). Each assertion names the rule and status.
/// </summary>
public sealed class ScheduleDrawRuleCodesTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private const int Year = 2027;

    private static async Task<List<string>> Rules(HttpResponseMessage response, int status) =>
        (await response.ReadNodeAs(status))["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();

    private RandomnessSourceDeclaration Beacon(string name) => new(name, DrawV2.Beacon, app.Now.AddMinutes(5), "福彩3D 第2027045期开奖号码");

    [Fact]
    public async Task A_source_that_is_not_an_object_or_is_declared_twice_is_refused_before_the_plan_is_read()
    {
        var planner = app.ClientFor("planner-rc-sources", Roles.Planner, Guid.NewGuid());
        var notAnObject = await Rules(await planner.PostJson("/api/draws",
            new ScheduleDraw(Guid.NewGuid(), "2027001-01", null, null, [null!, Beacon("fc3d")])), 400);
        Assert.Contains("draw.source.required", notAnObject);
        Assert.DoesNotContain("plan.unknown", notAnObject);

        var twice = await Rules(await planner.PostJson("/api/draws",
            new ScheduleDraw(Guid.NewGuid(), "2027001-01", null, null, [Beacon("fc3d"), Beacon("fc3d")])), 400);
        Assert.Contains("draw.source.duplicate", twice);
        // Two distinct names are a valid plan: what refuses it next is the plan that does not exist.
        Assert.Equal(["plan.unknown"], await Rules(await planner.PostJson("/api/draws",
            new ScheduleDraw(Guid.NewGuid(), "2027001-01", null, null, [Beacon("fc3d"), Beacon("drand")])), 404));
    }

    [Fact]
    public async Task Only_an_approved_plan_of_the_callers_department_with_that_task_is_drawn()
    {
        var s = await new InspectionScenario(app, "RC-PLAN", "130541", Year).Setup();
        var (plan, task) = await s.ApprovedPlan("RC-PLAN-M");

        // Another department's planner: 403.
        var stranger = app.ClientFor("planner-rc-stranger", Roles.Planner, Guid.NewGuid());
        Assert.Equal(["plan.department.not-yours"], await Rules(await stranger.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, s.Sources())), 403));

        // A task the approved plan does not have: 404.
        Assert.Equal(["task.unknown"], await Rules(await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, "2027999-99", null, null, s.Sources())), 404));

        // A draft plan (not yet approved) is not drawn: 409.
        var draft = (await (await s.Planner.PostJson("/api/plans", new DraftPlan(s.Department, Year + 1, $"{Year + 1}年度计划", null))).ReadNodeAs(201))["value"]
            .Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        Assert.Equal(PlanStatus.Draft, draft.Status);
        Assert.Equal(["draw.plan.status"], await Rules(await s.Planner.PostJson("/api/draws", new ScheduleDraw(draft.Id, task, null, null, s.Sources())), 409));
    }

    [Fact]
    public async Task A_redo_names_a_voided_draw_of_the_task_and_redoes_it_once()
    {
        var s = await new InspectionScenario(app, "RC-REDO", "130542", Year).Setup();
        await s.ImportTargets(30, 54200);
        foreach (var n in Enumerable.Range(1, 4)) await s.Inspector($"RC-REDO-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await s.ApprovedPlan("RC-REDO-M");

        // No draw of this id exists for the task: nothing to redo.
        Assert.Equal(["draw.redo.not-voided"], await Rules(await s.Planner.PostJson("/api/draws",
            new ScheduleDraw(plan.Id, task, null, null, s.Sources(), Guid.NewGuid())), 409));

        // Committed, then voided by the approver before any randomness could exist.
        var first = await s.Commit(await s.Schedule(plan, task));
        // While it stands nothing else is scheduled for the task, a redo naming it included.
        Assert.Equal(["draw.task.active"], await Rules(await s.Planner.PostJson("/api/draws",
            new ScheduleDraw(plan.Id, task, null, null, s.Sources(), first.Id)), 409));
        var voided = await (await s.Approver.PostJson($"/api/draws/{first.Id}/void", new RequestVoid("计划任务填写有误", null, first.Version))).ReadAs<DrawView>();
        Assert.Equal(DrawStatus.Voided, voided.Status);

        // The redo, itself voided at once: the first draw has been redone, and is not redone a second time.
        var redo = await s.Schedule(plan, task, replaces: first.Id);
        await (await s.Approver.PostJson($"/api/draws/{redo.Id}/void", new RequestVoid("重做亦有误", null, redo.Version))).ShouldHaveStatus(200);
        Assert.Equal(["draw.redo.exists"], await Rules(await s.Planner.PostJson("/api/draws",
            new ScheduleDraw(plan.Id, task, null, null, s.Sources(), first.Id)), 409));
        // The voided redo has not been redone: naming it is accepted, so the refusal above is about redoing a draw twice.
        await (await s.Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, s.Sources(), redo.Id))).ShouldHaveStatus(201);
    }
}
