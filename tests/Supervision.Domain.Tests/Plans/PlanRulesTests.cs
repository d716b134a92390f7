using Snapshooter.Xunit;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Plans;

public sealed class PlanRulesTests
{
    private static readonly Guid MarketId = Department.IdFor("XT-SJ");
    private static readonly Guid CommerceId = Department.IdFor("XT-SWJ");
    private static readonly Department Market = new(MarketId, "XT-SJ", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null, true);
    private static readonly Department Commerce = new(CommerceId, "XT-SWJ", "邢台市商务局", DepartmentKind.Commerce, "130500", null, true);
    private static readonly Actor Planner = new("planner-li", "李计划", Roles.Planner, MarketId);
    private static readonly Actor OtherPlanner = new("planner-zhou", "周计划", Roles.Planner, MarketId);
    private static readonly Actor Approver = new("approver-wang", "王审批", Roles.Approver, MarketId);

    private static InspectionMatter Matter(string code, MatterCategory category, decimal? cap, Guid owner) =>
        new(InspectionMatter.IdFor(code), code, owner,
            [new MatterVersion(1, code + " 检查", "依据", "内容", category, [InspectionMethod.OnSite], cap, null, null, [])], [], false, null);

    private static readonly InspectionMatter Food = Matter("XT-SP-01", MatterCategory.General, 5m, MarketId);
    private static readonly InspectionMatter Quality = Matter("XT-ZL-01", MatterCategory.Key, null, MarketId);
    private static readonly InspectionMatter Cards = Matter("XT-SW-01", MatterCategory.General, 10m, CommerceId);

    private static readonly PlanRules.References Refs = new(
        new[] { Food, Quality, Cards }.ToDictionary(m => m.Id), new[] { Market, Commerce }.ToDictionary(d => d.Id));

    private static TaskDefinition Task(decimal ratio = 3m, InspectionMatter? matter = null) => new(
        "食品经营者抽查", TaskType.Undirected, MarketId, null, [new Participant(MarketId, [new MatterRef((matter ?? Food).Id, 1)])],
        new TargetFilter(RegionCode: "130500"), "邢台市食品经营企业", new SamplingRule(ratio, null, null), 2,
        new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));

    private sealed class Story
    {
        public AnnualPlan? Plan;
        public readonly List<object> Events = [];

        public Story Then(Func<AnnualPlan?, Decision> decide)
        {
            var events = Decider.Accepted(decide(Plan));
            Events.AddRange(events);
            Plan = events.Aggregate(Plan, PlanRules.Evolve);
            if (Plan is not null) Plan = Plan with { Version = Plan.Version + events.Count(e => e is not PlanNumberAllocated) };
            return this;
        }
    }

    private static Story Drafted() => new Story()
        .Then(_ => PlanRules.Decide(new DraftPlan(MarketId, 2026, "2026年度抽查计划", "邢市监〔2026〕1号"), Market, null, Planner));

    private static Story Submitted() => Drafted()
        .Then(p => PlanRules.Decide(new AddTask(Task(), 1), p!, Refs, Planner))
        .Then(p => PlanRules.Decide(new SubmitPlan(2), p!, Refs, Planner));

    [Fact]
    public void Plan_numbers_follow_the_publicity_system_form_year_and_three_digits()
    {
        var first = PlanRules.Decide(new DraftPlan(MarketId, 2026, "计划", null), Market, null, Planner);
        Assert.Equal("2026001", ((PlanDrafted)first.Events[1]).Number);
        var eleventh = PlanRules.Decide(new DraftPlan(MarketId, 2026, "计划", null), Market, new PlanNumbering(Guid.Empty, MarketId, 2026, 10), Planner);
        Assert.Equal("2026011", ((PlanDrafted)eleventh.Events[1]).Number);
    }

    [Fact]
    public void The_drafter_and_the_last_changer_cannot_approve()
    {
        var plan = Submitted().Plan!;
        Assert.Equal("plan.approval.self", Assert.Single(PlanRules.Decide(new ApprovePlan(null, 3), plan, Refs, Planner with { Role = Roles.Approver }).Errors).Rule);

        var changedByOther = plan with { LastChangedBy = Approver.UserId };
        var refused = Assert.Single(PlanRules.Decide(new ApprovePlan(null, 3), changedByOther, Refs, Approver).Errors);
        Assert.Equal(("plan.approval.self", ErrorKind.Forbidden), (refused.Rule, refused.Kind));
        Assert.False(PlanRules.Decide(new ApprovePlan(null, 3), plan, Refs, Approver).IsRejected);
    }

    [Fact]
    public void Another_departments_plan_is_forbidden_before_anything_else_is_checked()
    {
        var plan = Submitted().Plan!;
        var outsider = Planner with { DepartmentId = Guid.NewGuid() };
        var refused = Assert.Single(PlanRules.Decide(new ChangePlanDetails("", null, 3), plan, outsider).Errors);
        Assert.Equal(("plan.department.not-yours", ErrorKind.Forbidden), (refused.Rule, refused.Kind));
        Assert.Equal("plan.status", Assert.Single(PlanRules.Decide(new CompletePlan(3), plan, Planner).Errors).Rule);
    }

    [Fact]
    public void A_general_matter_is_capped_and_a_key_matter_is_not()
    {
        var plan = Drafted().Plan!;
        var over = PlanRules.Decide(new AddTask(Task(ratio: 5.5m), 1), plan, Refs, Planner);
        var error = Assert.Single(over.Errors);
        Assert.Equal(("matter.ratio.over-cap", "tasks[2026001-01].sampling.ratioPercent"), (error.Rule, error.Field));
        Assert.False(PlanRules.Decide(new AddTask(Task(ratio: 5m), 1), plan, Refs, Planner).IsRejected);
        Assert.False(PlanRules.Decide(new AddTask(Task(ratio: 60m, matter: Quality), 1), plan, Refs, Planner).IsRejected);
    }

    [Fact]
    public void Per_class_ratios_are_each_checked_against_the_cap()
    {
        var plan = Drafted().Plan!;
        var perClass = Task() with { Sampling = new SamplingRule(null, null, [new ClassRatio("A", 1m), new ClassRatio("B", 3m), new ClassRatio("D", 30m)]) };
        var decision = PlanRules.Decide(new AddTask(perClass, 1), plan, Refs, Planner);
        Assert.Equal("tasks[2026001-01].sampling.classRatios[2].ratioPercent", Assert.Single(decision.Errors).Field);

        var twoRules = Task() with { Sampling = new SamplingRule(3m, 10, null) };
        Assert.Equal("task.sampling.one", Assert.Single(PlanRules.Decide(new AddTask(twoRules, 1), plan, Refs, Planner).Errors).Rule);
    }

    [Fact]
    public void A_matter_must_be_on_the_participating_departments_list()
    {
        var plan = Drafted().Plan!;
        var borrowed = Task() with { Participants = [new Participant(MarketId, [new MatterRef(Cards.Id, 1)])] };
        Assert.Equal("matter.not-listed", Assert.Single(PlanRules.Decide(new AddTask(borrowed, 1), plan, Refs, Planner).Errors).Rule);
    }

    [Fact]
    public void Only_draft_or_returned_plans_change_and_submitted_plans_wait_for_an_approver()
    {
        var plan = Submitted().Plan!;
        Assert.Equal("plan.status", Assert.Single(PlanRules.Decide(new AddTask(Task(), 3), plan, Refs, Planner).Errors).Rule);
        Assert.Equal("plan.status", Assert.Single(PlanRules.Decide(new PublishPlan(new DateOnly(2026, 2, 1), 3), plan, Refs, Approver).Errors).Rule);
    }

    [Fact]
    public void Voiding_records_the_status_it_ended()
    {
        var plan = Submitted().Plan!;
        var voided = Assert.IsType<PlanVoided>(Assert.Single(PlanRules.Decide(new VoidPlan("重复", 3), plan, Approver).Events));
        Assert.Equal(PlanStatus.Submitted, voided.StatusBefore);
        Assert.Equal("reason.required", Assert.Single(PlanRules.Decide(new VoidPlan("", 3), plan, Approver).Errors).Rule);
    }

    [Fact]
    public void The_event_sequence_of_a_typical_plan_lifecycle()
    {
        var story = Submitted()
            .Then(p => PlanRules.Decide(new ApprovePlan("同意", p!.Version), p, Refs, Approver))
            .Then(p => PlanRules.Decide(new PublishPlan(new DateOnly(2026, 2, 10), p!.Version), p, Refs, Approver))
            .Then(p => PlanRules.Decide(new FilePlan(FilingBody.Government, "邢台市人民政府备案", new DateOnly(2026, 2, 12), p!.Version), p, Planner))
            .Then(p => PlanRules.Decide(new StartPlanExecution(p!.Version), p, Planner))
            .Then(p => PlanRules.Decide(new StartPlanAdjustment("新增重点工业产品抽查", p!.Version), p, OtherPlanner))
            .Then(p => PlanRules.Decide(new AddTask(Task(ratio: 20m, matter: Quality) with { Name = "重点工业产品质量抽查" }, p!.Version), p, Refs, OtherPlanner))
            .Then(p => PlanRules.Decide(new SubmitPlan(p!.Version), p, Refs, OtherPlanner))
            .Then(p => PlanRules.Decide(new ApprovePlan("同意调整", p!.Version), p, Refs, Approver))
            .Then(p => PlanRules.Decide(new PublishPlan(new DateOnly(2026, 5, 6), p!.Version), p, Refs, Approver))
            .Then(p => PlanRules.Decide(new CompletePlan(p!.Version), p, Planner));

        Assert.Equal((PlanStatus.Completed, 2), (story.Plan!.Status, story.Plan.Publications.Count));
        story.Events.Select(e => new { type = e.GetType().Name, data = e }).MatchSnapshot();
    }

    [Fact]
    public void A_plan_is_for_a_calendar_year_and_a_task_added_to_it_is_given()
    {
        Decider.Refused(PlanRules.Decide(new DraftPlan(MarketId, 1999, "1999年度抽查计划", "邢市监〔1999〕1号"), Market, null, Planner), "plan.year.range");
        Decider.Refused(PlanRules.Decide(new AddTask(null!, 1), Drafted().Plan!, Refs, Planner), "task.required");
    }
}
