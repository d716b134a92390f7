using Supervision.Domain.Calendar;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Dashboards;

/// <summary>
/// A small county world in 2026 written down as the events the system commits, each with its instant (UTC+8), and the
/// dashboard facts folded from them with the same pure folds the read model uses.
/// </summary>
/// <remarks>
/// Departments: 县市场监管局 (Market) and 县税务局 (Tax) in county 130185; 市市场监管局 (CityMarket) at city 130100; and
/// 长安区市场监管局 (ChanganMarket) in county 130102 (same system as the two market departments, for the city form).
///
/// Plans:
///   P1 Market 2026001 "石鹿市监〔2026〕6号": 2026001-01 joint (Market m1+m2 lead, Tax t1), 2026001-02 by credit class (Market m3).
///      Approved 1-20, adjustment started 3-10 (approved again 3-12).
///   P2 Market 2026002, drafted 1-06, voided 2-05.
///   P3 Tax 2026001 (no implementing scheme): 2026001-01 plain ratio 3% (Tax t2). Approved 1-22, adjustment started 4-03.
///   P4 CityMarket 2026001 "石市监〔2026〕2号" (scheme added by a details change): 2026001-01 ratio 2% (cm1, cm2).
///   P5 ChanganMarket 2026001 "长市监〔2026〕1号": 2026001-01 ratio 3% (x1).
///
/// Draws (department, task, drawn, pool):
///   D0 Market P1-02 (credit) 2-10, 60      D1 Market P1-01 (joint) 3-02, 40; a recusal and its replacement 3-04
///   D2 Market P1-02 (credit) 3-05, 60      D3 Tax P3-01 3-06, 50, voided 3-09
///   D4 Tax P3-01 3-10, 50                  D5 CityMarket P4-01 3-03, 80
///   D6 Market P1-02 (credit) 4-01, 60; a recusal and its replacement 4-02
///   D7 ChanganMarket P5-01 3-04, 30        D8 CityMarket P4-01 scheduled 2-26 (pool 80), voided 2-27 before drawing
///
/// Cases (target region 130185 unless said; entry due = 20 working days after the end, publication due = 20 working days
/// after the results were formed, both with the 2026 calendar: 清明 4-04..4-06 off, 劳动节 5-01..5-05 off, 5-09 (Sat) and 2-28 (Sat) worked):
///   C0  D0 Market E0      ended 2-27 (due 3-26), submitted 3-02, formed 3-03 (pub. due 3-31), published 3-20.
///   C1  D1 Market+Tax E1  ended 3-10 (due 4-08), submitted 3-12/3-13, formed 3-17 (pub. due 4-15), published 4-10. m2 problem-rectified.
///   C2  D1 Market+Tax E2  ended 3-20 (due 4-20), Tax returned 3-25 and resubmitted 3-26, formed 3-27, withheld 4-02.
///   C3  D2 Market E3      ended 3-06 (due 4-03), overdue raised 4-04 before submission 4-08, formed 4-09 (pub. due 5-11), published 4-13. no-activity.
///   C4  D2 Market E4      ended 3-09 (due 4-07), submitted 3-10, formed 3-11 (pub. due 4-09), published 4-14 (late). problem-pending, follow-up F1.
///   C5  D4 Tax E5         ended 3-13 (due 4-13), submitted 3-16, formed 3-18 (pub. due 4-16), not published.
///   C6  D4 Tax E6         withdrawn 3-11.
///   C7  D5 CityMarket E7  ended 3-12 (due 4-10), submitted 3-16, formed 3-17, published 3-30; cm2 corrected to problem-rectified 4-03.
///   C8  D5 CityMarket E8 (130102) ended 3-19 (due 4-17), submitted 3-20, formed 3-23, published 4-08.
///   C9  D7 ChanganMarket E9 (130102) ended 3-18 (due 4-16), submitted 3-19, formed 3-20, published 3-25.
///   C10 D0 Market E3 (again) ended 3-16 (due 4-14), never submitted; overdue raised 4-15.
///   C11 D6 Market E11     ended 4-08 (due 5-09, a make-up Saturday), uncooperative entered, not submitted.
///
/// Follow-up F1 on C4/m3 (opened 3-12): #1 rectification order, Market, due 3-20, back-filled 3-19 (on time);
///   #2 hand-over, Tax, due 3-27, back-filled 4-02 (Late); #3 file a case, Market, due 4-10, still open (overdue raised 4-11).
/// </remarks>
public static class DashboardWorld
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);
    public static readonly WorkingDayCalendar WorkingDays = WorkingDayCalendar.Shipped;

    /// <summary>The day the dashboards are looked at: Friday 17 April 2026.</summary>
    public static readonly DateOnly Today = D(4, 17);

    public static Guid G(int n) => new($"00000000-0000-4000-8000-{n:x12}");

    public static DateOnly D(int month, int day) => new(2026, month, day);

    public static readonly Guid Market = G(0xd1);
    public static readonly Guid Tax = G(0xd2);
    public static readonly Guid CityMarket = G(0xd3);
    public static readonly Guid ChanganMarket = G(0xd4);

    public const string MarketName = "县市场监管局";
    public const string TaxName = "县税务局";
    public const string CityMarketName = "市市场监管局";
    public const string ChanganMarketName = "长安区市场监管局";

    public const string P1Scheme = "石鹿市监〔2026〕6号";
    public const string P3Document = "2026001 县税务局2026年度抽查计划";
    public const string P4Scheme = "石市监〔2026〕2号";
    public const string P5Scheme = "长市监〔2026〕1号";

    public static readonly Guid M1 = G(0x101), M2 = G(0x102), M3 = G(0x103), T1 = G(0x201), T2 = G(0x202), Cm1 = G(0x301), Cm2 = G(0x302), X1 = G(0x401);

    public static readonly Guid P1 = G(0x1001), P2 = G(0x1002), P3 = G(0x1003), P4 = G(0x1004), P5 = G(0x1005);

    public static readonly Guid D0 = G(0x2000), D1 = G(0x2001), D2 = G(0x2002), D3 = G(0x2003), D4 = G(0x2004), D5 = G(0x2005), D6 = G(0x2006),
        D7 = G(0x2007), D8 = G(0x2008);

    public static readonly Guid E0 = G(0x3000), E1 = G(0x3001), E2 = G(0x3002), E3 = G(0x3003), E4 = G(0x3004), E5 = G(0x3005), E6 = G(0x3006),
        E7 = G(0x3007), E8 = G(0x3008), E9 = G(0x3009), E11 = G(0x3011);

    public static readonly Guid C0 = InspectionCase.IdFor(D0, E0), C1 = InspectionCase.IdFor(D1, E1), C2 = InspectionCase.IdFor(D1, E2),
        C3 = InspectionCase.IdFor(D2, E3), C4 = InspectionCase.IdFor(D2, E4), C5 = InspectionCase.IdFor(D4, E5), C6 = InspectionCase.IdFor(D4, E6),
        C7 = InspectionCase.IdFor(D5, E7), C8 = InspectionCase.IdFor(D5, E8), C9 = InspectionCase.IdFor(D7, E9), C10 = InspectionCase.IdFor(D0, E3),
        C11 = InspectionCase.IdFor(D6, E11);

    public static readonly Guid F1 = FollowUpCase.IdFor(C4, M3);

    public static Actor By(Guid department, string role = Roles.Planner) => new($"u-{department.ToString("N")[^2..]}-{role}", role, role, department);

    public static readonly Participant MarketFood = new(Market, [new MatterRef(M1, 1), new MatterRef(M2, 1)]);
    public static readonly Participant TaxRegistration = new(Tax, [new MatterRef(T1, 1)]);

    public static readonly TaskDefinition JointTask = new("食品经营与税务登记联合抽查", TaskType.Undirected, Market, Market, [MarketFood, TaxRegistration],
        new TargetFilter(RegionCode: "130185"), "鹿泉区食品经营企业", new SamplingRule(5m, null, null), 2, D(3, 1), D(6, 30));

    public static readonly TaskDefinition CreditTask = new("食品生产企业信用风险分类抽查", TaskType.Undirected, Market, null, [new Participant(Market, [new MatterRef(M3, 1)])],
        new TargetFilter(RegionCode: "130185"), "鹿泉区食品生产企业",
        new SamplingRule(null, null, [new ClassRatio("A", 1m), new ClassRatio("B", 3m), new ClassRatio("C", 10m), new ClassRatio("D", 20m)]), 2, D(2, 1), D(11, 30));

    public static readonly TaskDefinition TaxTask = new("发票管理抽查", TaskType.Undirected, Tax, null, [new Participant(Tax, [new MatterRef(T2, 1)])],
        new TargetFilter(RegionCode: "130185"), "鹿泉区一般纳税人", new SamplingRule(3m, null, null), 2, D(3, 1), D(10, 31));

    public static readonly TaskDefinition CityTask = new("全市食品生产企业监督抽查", TaskType.Undirected, CityMarket, null,
        [new Participant(CityMarket, [new MatterRef(Cm1, 1), new MatterRef(Cm2, 1)])], new TargetFilter(RegionCode: "130100"), "石家庄市食品生产企业",
        new SamplingRule(2m, null, null), 2, D(3, 1), D(10, 31));

    public static readonly TaskDefinition ChanganTask = new("长安区食品经营抽查", TaskType.Undirected, ChanganMarket, null,
        [new Participant(ChanganMarket, [new MatterRef(X1, 1)])], new TargetFilter(RegionCode: "130102"), "长安区食品经营企业",
        new SamplingRule(3m, null, null), 2, D(3, 1), D(10, 31));

    public static readonly IReadOnlyDictionary<Guid, string> TargetRegions = new Dictionary<Guid, string>
    {
        [E0] = "130185",
        [E1] = "130185",
        [E2] = "130185",
        [E3] = "130185",
        [E4] = "130185",
        [E5] = "130185",
        [E6] = "130185",
        [E7] = "130185",
        [E8] = "130102",
        [E9] = "130102",
        [E11] = "130185",
    };

    /// <summary>Every event with its commit instant, in the order written (folds sort by instant, stably).</summary>
    public static IReadOnlyList<(DateTimeOffset At, object Event)> Events { get; } = Build();

    public static DashboardFacts Facts { get; } = Fold(Events, TargetRegions);

    public static DateTimeOffset At(int month, int day, int hour = 10, int minute = 0) => new(2026, month, day, hour, minute, 0, China);

    public static MatterResult Result(Guid matter, string code, DateOnly enteredOn, int revision = 1) =>
        new(matter, code, null, null, null, null, "2026", enteredOn, "inspector", revision, [], null);

    public static ResultDeadline Due(DateOnly ended, DateOnly due) =>
        new(DeadlineTrigger.InspectionEnded, ended, due, false, ["2026r1"], due.AddDays(-3));

    public static ResultPublished Published(Guid caseId, string planNumber, string taskNumber, DateOnly ended, DateOnly publishedOn, Guid department)
    {
        var id = ResultPublication.IdFor(caseId);
        return new ResultPublished(id, new PublicResult(id, 1, caseId, planNumber, taskNumber, "抽查任务", TaskType.Undirected, "检查机关", ended, "某企业",
            "91130185MA0000000X", [], [InspectionMethod.OnSite], null, publishedOn, null, null, []), [], By(department, Roles.Reviewer));
    }

    private static List<(DateTimeOffset, object)> Build()
    {
        var events = new List<(DateTimeOffset, object)>();
        void On(DateTimeOffset at, params object[] es)
        {
            foreach (var e in es) events.Add((at, e));
        }

        var mp = By(Market);
        var ma = By(Market, Roles.Approver);
        var mi = By(Market, Roles.Inspector);
        var mr = By(Market, Roles.Reviewer);
        var tp = By(Tax);
        var ti = By(Tax, Roles.Inspector);
        var tr = By(Tax, Roles.Reviewer);
        var cp = By(CityMarket);
        var ci = By(CityMarket, Roles.Inspector);
        var cr = By(CityMarket, Roles.Reviewer);
        var xp = By(ChanganMarket);
        var xi = By(ChanganMarket, Roles.Inspector);
        var xr = By(ChanganMarket, Roles.Reviewer);

        // ---- Plans ----
        On(At(1, 5), new PlanDrafted(P1, Market, 2026, "2026001", "县市场监管局2026年度双随机抽查计划", P1Scheme, false, mp),
            new TaskAdded(P1, "2026001-01", JointTask, mp), new TaskAdded(P1, "2026001-02", CreditTask, mp));
        On(At(1, 20), new PlanApproved(P1, 1, null, ma));
        On(At(3, 10), new PlanAdjustmentStarted(P1, 2, "增加联合抽查事项", mp));
        On(At(3, 12), new PlanApproved(P1, 2, null, ma));

        On(At(1, 6), new PlanDrafted(P2, Market, 2026, "2026002", "县市场监管局2026年度专项抽查计划", null, false, mp));
        On(At(2, 5), new PlanVoided(P2, PlanStatus.Draft, "并入年度计划", mp));

        On(At(1, 8), new PlanDrafted(P3, Tax, 2026, "2026001", "县税务局2026年度抽查计划", null, false, tp),
            new TaskAdded(P3, "2026001-01", TaxTask with { Sampling = new SamplingRule(5m, null, null) }, tp));
        On(At(1, 9), new TaskChanged(P3, "2026001-01", TaxTask, tp), new TaskAdded(P3, "2026001-02", TaxTask with { Name = "重复任务" }, tp));
        On(At(1, 10), new TaskRemoved(P3, "2026001-02", tp));
        On(At(1, 22), new PlanApproved(P3, 1, null, By(Tax, Roles.Approver)));
        On(At(4, 3), new PlanAdjustmentStarted(P3, 2, "调整抽查比例", tp));

        On(At(1, 7), new PlanDrafted(P4, CityMarket, 2026, "2026001", "市市场监管局2026年度抽查计划", null, false, cp),
            new TaskAdded(P4, "2026001-01", CityTask, cp));
        On(At(1, 12), new PlanDetailsChanged(P4, "市市场监管局2026年度抽查计划", P4Scheme, cp));
        On(At(1, 15), new PlanApproved(P4, 1, null, By(CityMarket, Roles.Approver)));

        On(At(1, 9), new PlanDrafted(P5, ChanganMarket, 2026, "2026001", "长安区市场监管局2026年度抽查计划", P5Scheme, false, xp),
            new TaskAdded(P5, "2026001-01", ChanganTask, xp));
        On(At(1, 16), new PlanApproved(P5, 1, null, By(ChanganMarket, Roles.Approver)));

        // ---- Draws ----
        DrawScheduled Scheduled(Guid draw, Guid plan, Guid department, string task, IReadOnlyList<Guid> matters, int pool) =>
            new(draw, plan, department, "2026001", task, 2026, matters, "commitment", "sha256", 1, pool, 10, 0, By(department));
        TargetsDrawn Drawn(Guid draw, Guid department) => new(draw, "secret", "targets", "batches", By(department));

        On(At(2, 9), Scheduled(D0, P1, Market, "2026001-02", [M3], 60));
        On(At(2, 10), Drawn(D0, Market));
        On(At(2, 27), Scheduled(D1, P1, Market, "2026001-01", [M1, M2, T1], 40));
        On(At(3, 2, 9, 30), Drawn(D1, Market));
        On(At(3, 4), new InspectorRecused(D1, E2, G(0x9001), "与企业负责人系近亲属", ma), new ReplacementDrawn(D1, 1, ["R|0001|inspector|..."], ma));
        On(At(3, 4), Scheduled(D2, P1, Market, "2026001-02", [M3], 60));
        On(At(3, 5), Drawn(D2, Market));
        On(At(3, 5), Scheduled(D3, P3, Tax, "2026001-01", [T2], 50));
        On(At(3, 6), Drawn(D3, Tax));
        On(At(3, 9), new DrawVoided(D3, "名录导入有误，重新抽取", tp));
        On(At(3, 9), Scheduled(D4, P3, Tax, "2026001-01", [T2], 50));
        On(At(3, 10), Drawn(D4, Tax));
        On(At(2, 26), Scheduled(D8, P4, CityMarket, "2026001-01", [Cm1, Cm2], 80));
        On(At(2, 27), new DrawVoided(D8, "抽取前发现名录不全", cp));
        On(At(3, 2), Scheduled(D5, P4, CityMarket, "2026001-01", [Cm1, Cm2], 80));
        On(At(3, 3), Drawn(D5, CityMarket));
        On(At(3, 3), Scheduled(D7, P5, ChanganMarket, "2026001-01", [X1], 30));
        On(At(3, 4), Drawn(D7, ChanganMarket));
        On(At(3, 31), Scheduled(D6, P1, Market, "2026001-02", [M3], 60));
        On(At(4, 1), Drawn(D6, Market));
        On(At(4, 2), new InspectorRecused(D6, E11, G(0x9002), "曾在该企业任职", ma), new ReplacementDrawn(D6, 1, ["R|0001|inspector|..."], ma));

        // ---- Cases ----
        CaseOpened Opened(Guid id, Guid draw, Guid plan, string task, Guid target, params Participant[] participants) =>
            new(id, draw, plan, task, target, participants, [], DeadlineTrigger.InspectionEnded, By(participants[0].DepartmentId, Roles.Inspector));
        var marketM3 = new Participant(Market, [new MatterRef(M3, 1)]);
        var taxT2 = new Participant(Tax, [new MatterRef(T2, 1)]);

        // C0: ended in February, published in March.
        On(At(2, 10, 11), Opened(C0, D0, P1, "2026001-02", E0, marketM3));
        On(At(2, 27, 16), new InspectionEnded(C0, D(2, 27), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C0, Due(D(2, 27), D(3, 26))));
        On(At(3, 2), new ResultEntered(C0, Market, Result(M3, "no-problem", D(3, 2)), mi), new ResultsSubmitted(C0, Market, mi));
        On(At(3, 3), new ResultsApproved(C0, Market, mr));
        On(At(3, 20), Published(C0, "2026001", "2026001-02", D(2, 27), D(3, 20), Market));

        // C1: joint, a problem ordered corrected under the market matter m2; published on time.
        On(At(3, 2, 10), Opened(C1, D1, P1, "2026001-01", E1, MarketFood, TaxRegistration));
        On(At(3, 10, 17), new InspectionEnded(C1, D(3, 10), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C1, Due(D(3, 10), D(4, 8))));
        On(At(3, 11), new ResultEntered(C1, Market, Result(M1, "no-problem", D(3, 11)), mi), new ResultEntered(C1, Market, Result(M2, "problem-rectified", D(3, 11)), mi));
        On(At(3, 12), new ResultEntered(C1, Tax, Result(T1, "no-problem", D(3, 12)), ti), new ResultsSubmitted(C1, Market, mi));
        On(At(3, 13), new ResultsSubmitted(C1, Tax, ti));
        On(At(3, 16), new ResultsApproved(C1, Market, mr));
        On(At(3, 17), new ResultsApproved(C1, Tax, tr));
        On(At(4, 10), Published(C1, "2026001", "2026001-01", D(3, 10), D(4, 10), Market));

        // C2: joint, no problem; the tax results were returned once and resubmitted; withheld from disclosure.
        On(At(3, 2, 10), Opened(C2, D1, P1, "2026001-01", E2, MarketFood, TaxRegistration));
        On(At(3, 20, 17), new InspectionEnded(C2, D(3, 20), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C2, Due(D(3, 20), D(4, 20))));
        On(At(3, 23), new ResultEntered(C2, Market, Result(M1, "no-problem", D(3, 23)), mi), new ResultEntered(C2, Market, Result(M2, "no-problem", D(3, 23)), mi),
            new ResultEntered(C2, Tax, Result(T1, "no-problem", D(3, 23)), ti), new ResultsSubmitted(C2, Market, mi));
        On(At(3, 24), new ResultsSubmitted(C2, Tax, ti));
        On(At(3, 25), new ResultsApproved(C2, Market, mr), new ResultsReturned(C2, Tax, ["检查记录不完整"], tr));
        On(At(3, 26), new ResultsSubmitted(C2, Tax, ti));
        On(At(3, 27), new ResultsApproved(C2, Tax, tr));
        On(At(4, 2), new ResultWithheld(ResultPublication.IdFor(C2), C2, WithholdingGround.CommercialSecret, "《政府信息公开条例》第十五条", "涉及商业秘密", mr));

        // C3: the entry deadline passed before submission.
        On(At(3, 5, 11), Opened(C3, D2, P1, "2026001-02", E3, marketM3));
        On(At(3, 6, 17), new InspectionEnded(C3, D(3, 6), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C3, Due(D(3, 6), D(4, 3))));
        On(At(3, 9), new ResultEntered(C3, Market, Result(M3, "no-activity", D(3, 9)), mi));
        On(At(4, 4, 0, 0), new ResultEntryOverdueRaised(C3, D(4, 3), D(4, 4)));
        On(At(4, 8), new ResultsSubmitted(C3, Market, mi));
        On(At(4, 9), new ResultsApproved(C3, Market, mr));
        On(At(4, 13), Published(C3, "2026001", "2026001-02", D(3, 6), D(4, 13), Market));

        // C4: a problem left for follow-up; published late.
        On(At(3, 5, 11), Opened(C4, D2, P1, "2026001-02", E4, marketM3));
        On(At(3, 9, 17), new InspectionEnded(C4, D(3, 9), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C4, Due(D(3, 9), D(4, 7))));
        On(At(3, 10), new ResultEntered(C4, Market, Result(M3, "problem-pending", D(3, 10)), mi), new ResultsSubmitted(C4, Market, mi));
        On(At(3, 11), new ResultsApproved(C4, Market, mr));
        On(At(4, 14), Published(C4, "2026001", "2026001-02", D(3, 9), D(4, 14), Market));

        // C5, C6: tax's own task.
        On(At(3, 10, 11), Opened(C5, D4, P3, "2026001-01", E5, taxT2), Opened(C6, D4, P3, "2026001-01", E6, taxT2));
        On(At(3, 11), new CaseWithdrawn(C6, "企业已注销", ti));
        On(At(3, 13, 17), new InspectionEnded(C5, D(3, 13), [InspectionMethod.Documentary], ti), new ResultDeadlineSet(C5, Due(D(3, 13), D(4, 13))));
        On(At(3, 16), new ResultEntered(C5, Tax, Result(T2, "no-problem", D(3, 16)), ti), new ResultsSubmitted(C5, Tax, ti));
        On(At(3, 18), new ResultsApproved(C5, Tax, tr));

        // C7, C8: the city department's task, sent down into the county (E7) and in 130102 (E8).
        var cityBoth = new Participant(CityMarket, [new MatterRef(Cm1, 1), new MatterRef(Cm2, 1)]);
        On(At(3, 3, 11), Opened(C7, D5, P4, "2026001-01", E7, cityBoth), Opened(C8, D5, P4, "2026001-01", E8, new Participant(CityMarket, [new MatterRef(Cm1, 1)])));
        On(At(3, 12, 17), new InspectionEnded(C7, D(3, 12), [InspectionMethod.OnSite], ci), new ResultDeadlineSet(C7, Due(D(3, 12), D(4, 10))));
        On(At(3, 13), new ResultEntered(C7, CityMarket, Result(Cm1, "no-problem", D(3, 13)), ci), new ResultEntered(C7, CityMarket, Result(Cm2, "no-problem", D(3, 13)), ci));
        On(At(3, 16), new ResultsSubmitted(C7, CityMarket, ci));
        On(At(3, 17), new ResultsApproved(C7, CityMarket, cr));
        On(At(3, 30), Published(C7, "2026001", "2026001-01", D(3, 12), D(3, 30), CityMarket));
        On(At(4, 3), new ResultCorrected(C7, CityMarket, Result(Cm2, "problem-rectified", D(4, 3), 2), "复核发现标签问题已当场责令改正", cr));
        On(At(3, 19, 17), new InspectionEnded(C8, D(3, 19), [InspectionMethod.OnSite], ci), new ResultDeadlineSet(C8, Due(D(3, 19), D(4, 17))));
        On(At(3, 20), new ResultEntered(C8, CityMarket, Result(Cm1, "no-problem", D(3, 20)), ci), new ResultsSubmitted(C8, CityMarket, ci));
        On(At(3, 23), new ResultsApproved(C8, CityMarket, cr));
        On(At(4, 8), Published(C8, "2026001", "2026001-01", D(3, 19), D(4, 8), CityMarket));

        // C9: 长安区, outside the county.
        On(At(3, 4, 11), Opened(C9, D7, P5, "2026001-01", E9, new Participant(ChanganMarket, [new MatterRef(X1, 1)])));
        On(At(3, 18, 17), new InspectionEnded(C9, D(3, 18), [InspectionMethod.OnSite], xi), new ResultDeadlineSet(C9, Due(D(3, 18), D(4, 16))));
        On(At(3, 19), new ResultEntered(C9, ChanganMarket, Result(X1, "no-problem", D(3, 19)), xi), new ResultsSubmitted(C9, ChanganMarket, xi));
        On(At(3, 20), new ResultsApproved(C9, ChanganMarket, xr));
        On(At(3, 25), Published(C9, "2026001", "2026001-01", D(3, 18), D(3, 25), ChanganMarket));

        // C10: E3 again (the February draw), results entered but never submitted.
        On(At(2, 10, 11), Opened(C10, D0, P1, "2026001-02", E3, marketM3));
        On(At(3, 16, 17), new InspectionEnded(C10, D(3, 16), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C10, Due(D(3, 16), D(4, 14))));
        On(At(3, 17), new ResultEntered(C10, Market, Result(M3, "no-problem", D(3, 17)), mi));
        On(At(4, 15, 0, 0), new ResultEntryOverdueRaised(C10, D(4, 14), D(4, 15)));

        // C11: April, obstruction entered, not yet submitted.
        On(At(4, 1, 11), Opened(C11, D6, P1, "2026001-02", E11, marketM3));
        On(At(4, 8, 17), new InspectionEnded(C11, D(4, 8), [InspectionMethod.OnSite], mi), new ResultDeadlineSet(C11, Due(D(4, 8), D(5, 9))));
        On(At(4, 9), new ResultEntered(C11, Market, Result(M3, "uncooperative", D(4, 9)), mi));

        // ---- Follow-up F1 on C4 ----
        var fh = By(Market, Roles.FollowUpHandler);
        On(At(3, 12), new FollowUpOpened(F1, C4, E4, M3, Market, "problem-pending",
        [
            new Measure(1, MeasureKind.RectificationOrder, Market, D(3, 20), "责令改正", true, null, [], null, false),
            new Measure(2, MeasureKind.HandOver, Tax, D(3, 27), "移交税务", false, null, [], null, false),
            new Measure(3, MeasureKind.FileCase, Market, D(4, 10), "立案查处", true, null, [], null, false),
        ], "发现问题待后续处理", fh));
        On(At(3, 19), new MeasureBackFilled(F1, 1, "已改正", ["鹿市监责改〔2026〕3号"], D(3, 19), false, fh));
        On(At(3, 28, 0, 0), new MeasureOverdueRaised(F1, 2, D(3, 27), D(3, 28)));
        On(At(4, 2), new MeasureBackFilled(F1, 2, "已处理", [], D(4, 1), true, By(Tax, Roles.FollowUpHandler)));
        On(At(4, 11, 0, 0), new MeasureOverdueRaised(F1, 3, D(4, 10), D(4, 11)));
        return events;
    }

    private static Guid? PlanIdOf(object e) => e switch
    {
        PlanDrafted x => x.PlanId,
        PlanDetailsChanged x => x.PlanId,
        TaskAdded x => x.PlanId,
        TaskChanged x => x.PlanId,
        TaskRemoved x => x.PlanId,
        PlanApproved x => x.PlanId,
        PlanAdjustmentStarted x => x.PlanId,
        PlanVoided x => x.PlanId,
        _ => null,
    };

    private static Guid? DrawIdOf(object e) => e switch
    {
        DrawScheduled x => x.DrawId,
        TargetsDrawn x => x.DrawId,
        InspectorRecused x => x.DrawId,
        ReplacementDrawn x => x.DrawId,
        DrawVoided x => x.DrawId,
        _ => null,
    };

    private static Guid? FollowUpIdOf(object e) => e switch
    {
        FollowUpOpened x => x.FollowUpId,
        MeasureBackFilled x => x.FollowUpId,
        MeasureOverdueRaised x => x.FollowUpId,
        _ => null,
    };

    /// <summary>Groups the events by the fact they belong to and folds each group in commit order.</summary>
    public static List<T> FoldBy<T>(IEnumerable<(DateTimeOffset At, object Event)> events, Func<object, Guid?> idOf, Func<T?, object, DateTimeOffset, T?> evolve)
        where T : class =>
        events.OrderBy(x => x.At)
            .Select(x => (Id: idOf(x.Event), x.At, x.Event))
            .Where(x => x.Id is not null)
            .GroupBy(x => x.Id!.Value)
            .Select(g => g.Aggregate((T?)null, (state, x) => evolve(state, x.Event, x.At)))
            .OfType<T>()
            .ToList();

    public static DashboardFacts Fold(IEnumerable<(DateTimeOffset At, object Event)> events, IReadOnlyDictionary<Guid, string> targetRegions)
    {
        var list = events.ToList();
        return new DashboardFacts(
            FoldBy<PlanFact>(list, PlanIdOf, PlanFact.Evolve),
            FoldBy<DrawFact>(list, DrawIdOf, DrawFact.Evolve),
            FoldBy<CaseFact>(list, CaseFact.IdOf, CaseFact.Evolve),
            FoldBy<FollowUpFact>(list, FollowUpIdOf, FollowUpFact.Evolve),
            targetRegions);
    }

    public static CaseFact Case(Guid id) => Facts.Cases.Single(c => c.Id == id);

    public static DrawFact Draw(Guid id) => Facts.Draws.Single(d => d.Id == id);

    public static PlanFact Plan(Guid id) => Facts.Plans.Single(p => p.Id == id);
}
