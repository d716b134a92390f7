using Supervision.Api.Plans;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Plans;

public sealed class PlanLifecycleTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private Guid market;
    private Guid commerce;
    private HttpClient planner = null!;
    private HttpClient approver = null!;
    private HttpClient secondApprover = null!;
    private MatterRef generalFood = null!;   // general, capped at 5%
    private MatterRef keyQuality = null!;    // key, no cap
    private MatterRef commerceMatter = null!;

    public async System.Threading.Tasks.Task InitializeAsync()
    {
        var admin = app.ClientFor("admin-p", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        market = await Department(admin, "XT-SJ", "邢台市市场监督管理局", DepartmentKind.MarketRegulation);
        commerce = await Department(admin, "XT-SWJ", "邢台市商务局", DepartmentKind.Commerce);
        planner = app.ClientFor("planner-li", Roles.Planner, market);
        approver = app.ClientFor("approver-wang", Roles.Approver, market);
        secondApprover = app.ClientFor("approver-zhao", Roles.Approver, market);
        generalFood = await Matter(market, "XT-SP-01", "食品经营者落实主体责任情况检查", MatterCategory.General, 5m);
        keyQuality = await Matter(market, "XT-ZL-01", "重点工业产品质量安全检查", MatterCategory.Key, null);
        commerceMatter = await Matter(commerce, "XT-SW-01", "单用途商业预付卡发卡企业检查", MatterCategory.General, 10m);
    }

    public System.Threading.Tasks.Task DisposeAsync() => System.Threading.Tasks.Task.CompletedTask;

    private static async Task<Guid> Department(HttpClient admin, string code, string name, DepartmentKind kind)
    {
        var response = await admin.PostJson("/api/departments", new RegisterDepartment(code, name, kind, "130500", null));
        Assert.True((int)response.StatusCode is 201 or 409);
        return Supervision.Domain.Organization.Department.IdFor(code);
    }

    private async Task<MatterRef> Matter(Guid owner, string code, string name, MatterCategory category, decimal? cap)
    {
        var keeper = app.ClientFor("keeper-" + code, Roles.DirectoryKeeper, owner);
        var response = await keeper.PostJson("/api/matters", new DefineMatter(code, name, "《市场监督管理行政处罚程序规定》", owner, "检查内容",
            [InspectionMethod.OnSite, InspectionMethod.Documentary], category, cap, null, null, []));
        Assert.True((int)response.StatusCode is 201 or 409, await response.Content.ReadAsStringAsync());
        return new MatterRef(InspectionMatter.IdFor(code), 1);
    }

    private TaskDefinition Task(decimal ratio = 3m, MatterRef? matter = null, int inspectors = 2) => new(
        "2026年食品经营者双随机抽查", TaskType.Undirected, market, null, [new Participant(market, [matter ?? generalFood])],
        new TargetFilter(RegionCode: "130500", IndustryCode: "F52", RegisteredTo: new DateOnly(2026, 1, 31)), "2026年1月31日前登记的食品经营企业",
        new SamplingRule(ratio, null, null), inspectors, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));

    private async Task<AnnualPlan> Draft(int year = 2026)
    {
        var created = await (await planner.PostJson("/api/plans", new DraftPlan(market, year, "邢台市市场监管局2026年度双随机抽查计划", "邢市监〔2026〕1号"))).ReadNodeAs(201);
        return created["value"].Deserialize<AnnualPlan>(HttpExtensions.Json)!;
    }

    private async Task<AnnualPlan> Do(HttpClient client, AnnualPlan plan, string action, object body, int status = 200) =>
        await (await client.PostJson($"/api/plans/{plan.Id}/{action}", body)).ReadAs<AnnualPlan>(status);

    private async Task<AnnualPlan> Submitted(TaskDefinition? task = null)
    {
        var plan = await Draft();
        plan = await Do(planner, plan, "tasks", new AddTask(task ?? Task(), plan.Version));
        return await Do(planner, plan, "submit", new SubmitPlan(plan.Version));
    }

    private static string Rule(System.Text.Json.Nodes.JsonNode problem) => problem["violations"]![0]!["rule"]!.GetValue<string>();

    [Fact]
    public async Task A_plan_is_drafted_submitted_approved_by_someone_else_published_run_and_completed()
    {
        var plan = await Draft();
        Assert.Matches(@"^2026\d{3}$", plan.Number);
        plan = await Do(planner, plan, "tasks", new AddTask(Task(), plan.Version));
        Assert.Equal($"{plan.Number}-01", Assert.Single(plan.Tasks).Number);
        plan = await Do(planner, plan, "submit", new SubmitPlan(plan.Version));
        plan = await Do(approver, plan, "approve", new ApprovePlan("同意", plan.Version));
        Assert.Equal((PlanStatus.Approved, "approver-wang"), (plan.Status, plan.ApprovedBy));
        plan = await Do(approver, plan, "publish", new PublishPlan(new DateOnly(2026, 2, 10), plan.Version));
        plan = await Do(planner, plan, "filings", new FilePlan(FilingBody.Government, "邢台市人民政府备案 2026-12", new DateOnly(2026, 2, 12), plan.Version));
        plan = await Do(planner, plan, "start", new StartPlanExecution(plan.Version));
        plan = await Do(planner, plan, "complete", new CompletePlan(plan.Version));
        Assert.Equal(PlanStatus.Completed, plan.Status);
        Assert.Single(plan.Filings);

        var published = await (await app.Anonymous().GetAsync($"/api/public/plans/{plan.Id}")).ReadAs<PublicPlan>();
        var task = Assert.Single(published.Current.Tasks);
        Assert.Equal(("邢台市市场监督管理局", "2026年1月31日前登记的食品经营企业", 3m), (published.Department, task.ScopeDescription, task.Sampling.RatioPercent));
        Assert.Equal("XT-SP-01", Assert.Single(Assert.Single(task.Participants).Matters).Code);
    }

    [Fact]
    public async Task The_drafter_cannot_approve_their_own_plan_403_naming_the_rule()
    {
        var plan = await Submitted();
        var selfApprover = app.ClientFor("planner-li", Roles.Approver, market, Roles.Planner);
        var refused = await (await selfApprover.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadNodeAs(403);
        Assert.Equal("plan.approval.self", Rule(refused));

        var otherDepartment = app.ClientFor("approver-sw", Roles.Approver, commerce);
        Assert.Equal("plan.approver.department", Rule(await (await otherDepartment.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadNodeAs(403)));
        await (await planner.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ShouldHaveStatus(403);

        await using var session = app.Store.QuerySession();
        Assert.Equal(PlanStatus.Submitted, (await session.LoadAsync<AnnualPlan>(plan.Id))!.Status);
    }

    [Fact]
    public async Task Submission_names_every_broken_rule_over_cap_window_inspectors_and_scope()
    {
        var plan = await Draft();
        var bad = Task(ratio: 8m, inspectors: 1) with
        {
            WindowTo = new DateOnly(2027, 1, 15),
            Scope = new TargetFilter(RegionCode: "1305", IndustryCode: "C13"),
        };
        var refused = await (await planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(bad, plan.Version))).ReadNodeAs(400);
        var rules = refused["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(new HashSet<string> { "matter.ratio.over-cap", "task.window.year", "task.inspectors.min", "task.scope.region" }, rules);

        var empty = await (await planner.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadNodeAs(400);
        Assert.Equal("plan.tasks.empty", Rule(empty));

        // A key matter has no cap.
        plan = await Do(planner, plan, "tasks", new AddTask(Task(ratio: 40m, matter: keyQuality), plan.Version));
        await Do(planner, plan, "submit", new SubmitPlan(plan.Version));
    }

    [Fact]
    public async Task Approval_checks_the_rules_again_and_refuses_an_over_cap_general_matter()
    {
        var plan = await Submitted();
        // A task changed behind the submission (e.g. data carried over from an older system) is caught at approval.
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(plan.Id, new TaskChanged(plan.Id, plan.Tasks[0].Number, Task(ratio: 9m), new Actor("migration", "迁移", Roles.Planner, market)));
            await session.SaveChangesAsync();
        }
        var refused = await (await approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version + 1))).ReadNodeAs(400);
        Assert.Equal("matter.ratio.over-cap", Rule(refused));
    }

    [Fact]
    public async Task A_joint_task_needs_a_lead_and_another_department()
    {
        var plan = await Draft();
        var joint = Task() with { Participants = [new Participant(market, [generalFood]), new Participant(commerce, [commerceMatter])] };
        Assert.Equal("task.joint.lead", Rule(await (await planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(joint, plan.Version))).ReadNodeAs(400)));
        Assert.Equal("task.joint.participants", Rule(await (await planner.PostJson($"/api/plans/{plan.Id}/tasks",
            new AddTask(Task() with { LeadDepartmentId = commerce }, plan.Version))).ReadNodeAs(400)));

        var ok = await Do(planner, plan, "tasks", new AddTask(joint with { LeadDepartmentId = market }, plan.Version));
        Assert.True(Assert.Single(ok.Tasks).Definition.IsJoint);
    }

    [Fact]
    public async Task Returned_plans_carry_reasons_and_go_back_to_the_planner()
    {
        var plan = await Submitted();
        await (await approver.PostJson($"/api/plans/{plan.Id}/return", new ReturnPlan([], plan.Version))).ShouldHaveStatus(400);
        plan = await Do(approver, plan, "return", new ReturnPlan(["抽查比例偏低，请调整至4%"], plan.Version));
        Assert.Equal(PlanStatus.Returned, plan.Status);
        plan = await Do(planner, plan, $"tasks/{plan.Tasks[0].Number}", new ChangeTask(Task(ratio: 4m), plan.Version));
        plan = await Do(planner, plan, "submit", new SubmitPlan(plan.Version));
        Assert.Equal(PlanStatus.Submitted, plan.Status);
    }

    [Fact]
    public async Task An_adjustment_publishes_a_new_version_and_the_old_one_stays_readable()
    {
        var plan = await Submitted();
        plan = await Do(approver, plan, "approve", new ApprovePlan(null, plan.Version));
        plan = await Do(approver, plan, "publish", new PublishPlan(new DateOnly(2026, 2, 10), plan.Version));
        plan = await Do(planner, plan, "start", new StartPlanExecution(plan.Version));

        plan = await Do(planner, plan, "adjust", new StartPlanAdjustment("新增重点工业产品质量抽查任务", plan.Version));
        Assert.Equal((PlanStatus.Draft, 2), (plan.Status, plan.Revision));
        plan = await Do(planner, plan, "tasks", new AddTask(Task(ratio: 20m, matter: keyQuality) with { Name = "重点工业产品质量抽查" }, plan.Version));
        plan = await Do(planner, plan, "submit", new SubmitPlan(plan.Version));
        // The planner changed the plan last: a different approver must approve the adjustment.
        plan = await Do(secondApprover, plan, "approve", new ApprovePlan("同意调整", plan.Version));
        plan = await Do(approver, plan, "publish", new PublishPlan(new DateOnly(2026, 5, 6), plan.Version));
        Assert.Equal(PlanStatus.InProgress, plan.Status);

        var published = await (await app.Anonymous().GetAsync($"/api/public/plans/{plan.Id}")).ReadAs<PublicPlan>();
        Assert.Equal([2, 1], published.History.Select(p => p.Revision));
        Assert.Equal(2, published.Current.Tasks.Count);
        Assert.Single(published.History[1].Tasks);
        Assert.Equal("新增重点工业产品质量抽查任务", published.Current.AdjustmentReason);
    }

    [Fact]
    public async Task Voiding_needs_a_reason_and_an_approver_and_a_drawn_task_cannot_change()
    {
        var plan = await Draft();
        plan = await Do(planner, plan, "tasks", new AddTask(Task(), plan.Version));
        await (await planner.PostJson($"/api/plans/{plan.Id}/void", new VoidPlan("重复计划", plan.Version))).ShouldHaveStatus(403);
        Assert.Equal("reason.required", Rule(await (await approver.PostJson($"/api/plans/{plan.Id}/void", new VoidPlan(" ", plan.Version))).ReadNodeAs(400)));

        await using (var session = app.Store.LightweightSession())
        {
            session.Events.Append(plan.Id, new SamplingTaskDrawn(plan.Id, plan.Tasks[0].Number, Guid.NewGuid(), new Actor("draw", "抽取", Roles.Planner, market)));
            await session.SaveChangesAsync();
        }
        var drawn = await (await planner.PostJson($"/api/plans/{plan.Id}/tasks/{plan.Tasks[0].Number}", new ChangeTask(Task(ratio: 4m), plan.Version + 1))).ReadNodeAs(409);
        Assert.Equal("task.drawn", Rule(drawn));

        var voided = await Do(approver, plan, "void", new VoidPlan("与省局专项计划重复，作废", plan.Version + 1));
        Assert.Equal((PlanStatus.Voided, "与省局专项计划重复，作废"), (voided.Status, voided.VoidReason));
    }

    [Fact]
    public async Task Two_approvers_at_once_one_wins_and_the_other_gets_409_with_the_current_version()
    {
        var plan = await Submitted();
        var first = approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan("同意", plan.Version));
        var second = secondApprover.PostJson($"/api/plans/{plan.Id}/return", new ReturnPlan(["不同意"], plan.Version));
        var answers = await System.Threading.Tasks.Task.WhenAll(first, second);
        var statuses = answers.Select(a => (int)a.StatusCode).Order().ToList();
        Assert.Equal([200, 409], statuses);

        var conflict = await answers.Single(a => (int)a.StatusCode == 409).ReadNode();
        await using var session = app.Store.QuerySession();
        var current = (await session.LoadAsync<AnnualPlan>(plan.Id))!;
        Assert.Equal(current.Version, conflict["currentVersion"]!.GetValue<long>());
        Assert.Equal(plan.Version + 1, current.Version);
        Assert.Single(await session.Events.FetchStreamAsync(plan.Id), e => e.Data is PlanApproved or PlanReturned);
    }

    [Fact]
    public async Task Plan_numbers_run_per_department_and_year_and_the_list_filters_by_them()
    {
        var a = await Draft(2027);
        var b = await Draft(2027);
        Assert.Equal(int.Parse(a.Number) + 1, int.Parse(b.Number));
        var list = (await (await planner.GetAsync($"/api/plans?departmentId={market}&year=2027")).ReadAs<Supervision.Api.Infrastructure.PagedResult<PlanSummary>>()).Items;
        Assert.Equal([a.Number, b.Number], list.Select(p => p.Number));
        Assert.Empty(await (await app.Anonymous().GetAsync("/api/public/plans?year=2027")).ReadAs<List<PublicPlan>>());

        // Tasks outside the annual plan (临时任务) live in an ad hoc plan: allowed, and flagged on the plan and its tasks.
        var adHoc = await (await planner.PostJson("/api/plans", new DraftPlan(market, 2027, "2027年临时抽查任务", null, AdHoc: true))).ReadNodeAs(201);
        var adHocPlan = adHoc["value"].Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        adHocPlan = await Do(planner, adHocPlan, "tasks", new AddTask(Task() with { WindowFrom = new DateOnly(2027, 6, 1), WindowTo = new DateOnly(2027, 6, 30) }, adHocPlan.Version));
        Assert.True(Assert.Single(adHocPlan.Tasks).AdHoc);
        Assert.Contains((await (await planner.GetAsync($"/api/plans?year=2027")).ReadAs<Supervision.Api.Infrastructure.PagedResult<PlanSummary>>()).Items, p => p.Id == adHocPlan.Id && p.AdHoc);
    }
}
