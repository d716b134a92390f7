using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Supervision.Api.Draws;
using Supervision.Api.Infrastructure;
using Supervision.Api.Inspections;
using Supervision.Api.Integrity;
using Supervision.Api.Plans;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Directories;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.Plans;
using static Supervision.Demo.DemoWorld;

namespace Supervision.Demo;

/// <summary>Who a request is made as: the token's subject, role and department.</summary>
public sealed record DemoActor(string UserId, string Role, Guid? DepartmentId);

/// <summary>Where the loader runs: against a real service (ops/demo.sh) or a test host whose clock the test moves.</summary>
public interface IDemoHost
{
    HttpClient ClientFor(DemoActor actor);
    HttpClient Anonymous();
    /// <summary>The service's "now" (business dates, and the moment a declared randomness source becomes available).</summary>
    DateTimeOffset Now { get; }
    /// <summary>Returns once the service's clock has passed <paramref name="moment"/>: a real service waits, a test host advances its clock.</summary>
    Task WaitUntilAsync(DateTimeOffset moment, CancellationToken ct);
}

/// <summary>A page to look at, and whom to read it as (null: anyone, no token).</summary>
public sealed record DemoLink(string Title, string Path, DemoActor? ReadAs, string MustContain);

/// <param name="Writes">Requests that changed something; 0 on a run that found everything in place.</param>
/// <param name="WriteRequests">Those requests (method, path, who), in order.</param>
public sealed record DemoReport(IReadOnlyList<DemoLink> Links, long SequenceBefore, long SequenceAfter, int Writes, IReadOnlyList<string> WriteRequests, Guid PlanId, Guid DrawId,
    IReadOnlyList<Guid> Cases, string ProblemCreditCode);

public sealed class DemoException(string message) : Exception(message);

/// <summary>
/// Loads the demo county through the public HTTP API, each step as the role that does it in the seed documents' procedure:
/// the administrator registers the regions and departments, keepers their matters, targets and inspectors, the planner drafts
/// the plan, the approver approves and publishes it, the planner proposes the draw, two 纪检 witness it, the approver recuses,
/// the inspectors inspect and enter results, the reviewers approve, the handlers hand over and back-fill, the approver publishes
/// and corrects. Every step first reads whether it is done (natural keys, deterministic ids), so a second run writes nothing.
/// </summary>
public sealed class DemoCountyLoader(IDemoHost host, TextWriter log)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly Dictionary<DemoActor, HttpClient> clients = new();
    private readonly List<string> writes = [];

    private static readonly DemoActor Admin = new("demo-admin", Roles.SystemAdmin, null);
    private static DemoActor Keeper(DemoDepartment d) => new("keeper-" + d.Code.ToLowerInvariant(), Roles.DirectoryKeeper, d.Id);
    private static readonly DemoActor Planner = new("planner-lq", Roles.Planner, CountyMarket.Id);
    private static readonly DemoActor Approver = new("approver-lq", Roles.Approver, CountyMarket.Id);
    private static readonly DemoActor JijianA = new("jijian-lq-1", Roles.DisciplineInspector, CountyDiscipline.Id);
    private static readonly DemoActor JijianB = new("jijian-lq-2", Roles.DisciplineInspector, CountyDiscipline.Id);
    private static DemoActor Reviewer(Guid department) => new("reviewer-" + department.ToString("N")[..6], Roles.Reviewer, department);
    private static readonly DemoActor MarketHandler = new("handler-lq", Roles.FollowUpHandler, CountyMarket.Id);
    private static readonly DemoActor TaxHandler = new("handler-lq-tax", Roles.FollowUpHandler, CountyTax.Id);
    public static readonly DemoActor CityPlanner = new("planner-sjz", Roles.Planner, CityMarket.Id);
    public static readonly DemoActor CountyPlanner = Planner;
    public static readonly DemoActor Jijian = JijianA;

    private DateOnly Today => ChinaTime.DateOf(host.Now);

    public async Task<DemoReport> RunAsync(CancellationToken ct = default)
    {
        var before = await CurrentSequence(ct);
        var year = Today.Year;
        log.WriteLine($"demo: the county 鹿泉区 ({CountyCode}) of 石家庄市, year {year}; event sequence before: {before}");

        await Organization(ct);
        await MattersList(ct);
        await TargetDirectory(ct);
        await InspectorDirectory(ct);
        var plan = await PublishedPlan(year, ct);
        var draw = await WitnessedDraw(plan, ct);
        draw = await Recusal(draw, ct);
        var cases = await Cases(draw, ct);
        var problemCase = cases[0];
        var correctedCase = cases[1];
        for (var i = 0; i < cases.Count; i++) await Inspect(cases[i], i, ct);
        await HandOver(problemCase, ct);
        for (var i = 0; i < cases.Count; i++)
            if (OutcomeOf(i) is not Outcome.NotYetInspected and not Outcome.InProgress) await Publish(cases[i], i, ct);
        await CorrectPublication(correctedCase, ct);

        var after = await CurrentSequence(ct);
        var problemTarget = await Read<Target>(Planner, $"/api/targets/{(await Case(problemCase.Id, ct)).TargetId}", ct);
        log.WriteLine(writes.Count == 0
            ? $"demo: already loaded, nothing written (event sequence {after})"
            : $"demo: {writes.Count} writes, event sequence {before} → {after}");
        return new DemoReport(Links(year, plan.Id, draw, problemTarget), before, after, writes.Count, writes.ToList(), plan.Id, draw.Id, cases.Select(c => c.Id).ToList(),
            problemTarget.CreditCode!);
    }

    private IReadOnlyList<DemoLink> Links(int year, Guid planId, DrawView draw, Target problem)
    {
        var month = $"{Today:yyyy-MM}";
        return
        [
            new("public search (公示查询), the enterprise with a problem", $"/public?creditCode={problem.CreditCode}", null, problem.CreditCode!),
            new("public search, by name", $"/public?name={Uri.EscapeDataString(problem.Name)}", null, problem.CreditCode!),
            new("the published plan (抽查计划公示)", $"/public/plans/{planId}", null, JointTaskName),
            new("the witnessed draw and its record (抽取记录)", $"/public/draws/{draw.Id}", null, draw.CommitmentSha256),
            new("the city's dashboard for the year (石家庄市, rolled up from 鹿泉区)", $"/api/dashboards/regions/{CityCode}?period={year}&today={Today:yyyy-MM-dd}",
                CityPlanner, CountyCode),
            new("the county's monthly report (月报表, 邢双随机办〔2022〕1号 attachment 1)", $"/api/reports/monthly?regionCode={CountyCode}&month={month}&today={Today:yyyy-MM-dd}",
                Planner, CountyMarket.Name),
            new("the monthly report as a spreadsheet", $"/api/reports/monthly?regionCode={CountyCode}&month={month}&today={Today:yyyy-MM-dd}&format=xlsx", Planner, ""),
            new("the enterprise's case history (纪检), printable", $"/api/history?creditCode={problem.CreditCode}&format=html", JijianA, "inspector_recused"),
        ];
    }

    // ---------------------------------------------------------------- organisation

    private async Task Organization(CancellationToken ct)
    {
        foreach (var (code, name) in Regions)
        {
            var found = await Read<List<JsonNode>>(Admin, $"/api/regions?code={code}", ct);
            if (found.Count == 0) await Write(Admin, HttpMethod.Post, "/api/regions", new RegisterRegion(code, name), ct, 201);
        }
        foreach (var d in Departments)
        {
            if (!await Exists(Admin, $"/api/departments/{d.Id}", ct))
                await Write(Admin, HttpMethod.Post, "/api/departments", new RegisterDepartment(d.Code, d.Name, d.Kind, d.RegionCode, null), ct, 201);
        }
        log.WriteLine($"demo: regions {string.Join(", ", Regions.Select(r => r.Name))}; {Departments.Length} departments");
    }

    // ---------------------------------------------------------------- one list, two directories

    private async Task MattersList(CancellationToken ct)
    {
        foreach (var m in Matters)
        {
            if (await Exists(Keeper(m.Owner), $"/api/matters/{m.Id}", ct)) continue;
            await Write(Keeper(m.Owner), HttpMethod.Post, "/api/matters", new DefineMatter(m.Code, m.Name, m.LegalBasis, m.Owner.Id, m.Content,
                [InspectionMethod.OnSite, InspectionMethod.Documentary], m.Category, m.RatioCap, null, null, []), ct, 201);
        }
        log.WriteLine($"demo: {Matters.Length} matters with their legal bases");
    }

    private async Task TargetDirectory(CancellationToken ct)
    {
        var keeper = Keeper(CountyMarket);
        var page = await Read<PagedResult<Target>>(keeper, $"/api/targets?regionCode={CountyCode}&pageSize=1", ct);
        if (page.Total < TargetCount)
        {
            // One all-or-nothing import of the whole directory; the same bytes every run (a second import of the same file writes nothing).
            var content = new ByteArrayContent(Encoding.UTF8.GetBytes(TargetsCsv())) { Headers = { ContentType = new("text/csv") } };
            await Send(keeper, new HttpRequestMessage(HttpMethod.Post, "/api/targets/import") { Content = content }, ct, 200);
            writes.Add($"POST /api/targets/import as {keeper.UserId}");
        }
        log.WriteLine($"demo: {TargetCount} targets in the directory of {CountyCode}");
    }

    private async Task InspectorDirectory(CancellationToken ct)
    {
        foreach (var i in Inspectors)
        {
            var keeper = Keeper(i.Department);
            if (await Exists(keeper, $"/api/inspectors/{i.Id}", ct)) continue;
            await Write(keeper, HttpMethod.Post, "/api/inspectors", new RegisterInspector(i.StaffCode, i.Name, i.Department.Id, i.Post, CountyCode,
                [new CertificateInput(i.Certificate, new DateOnly(2023, 3, 1), new DateOnly(2029, 2, 28))], [], false, new DateOnly(2023, 3, 1)), ct, 201);
        }
        var conflicted = await Read<JsonNode>(Keeper(ConflictedInspector.Department), $"/api/inspectors/{ConflictedInspector.Id}", ct);
        if (conflicted["conflicts"]!.AsArray().Count == 0)
        {
            await Write(Keeper(ConflictedInspector.Department), HttpMethod.Post, $"/api/inspectors/{ConflictedInspector.Id}/conflicts",
                new DeclareConflictOfInterest(ConflictRelation.Kinship, Target(ConflictTargetNumber).CreditCode, null, "配偶任该企业法定代表人",
                    conflicted["version"]!.GetValue<long>()), ct, 200);
        }
        log.WriteLine($"demo: {Inspectors.Length} inspectors with certificates; {ConflictedInspector.Name} declared a conflict with {Target(ConflictTargetNumber).Name}");
    }

    // ---------------------------------------------------------------- the plan

    private async Task<AnnualPlan> PublishedPlan(int year, CancellationToken ct)
    {
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, PlanName, year);
        var plans = await Read<PagedResult<PlanSummary>>(Planner, $"/api/plans?departmentId={CountyMarket.Id}&year={year}&pageSize=500", ct);
        var existing = plans.Items.FirstOrDefault(p => p.Name == name && p.Status != PlanStatus.Voided);
        var plan = existing is null
            ? (await Write(Planner, HttpMethod.Post, "/api/plans", new DraftPlan(CountyMarket.Id, year, name, "石鹿市监〔2026〕6号"), ct, 201))["value"].Deserialize<AnnualPlan>(Json)!
            : await Read<AnnualPlan>(Planner, $"/api/plans/{existing.Id}", ct);

        if (plan.Status is PlanStatus.Draft or PlanStatus.Returned)
        {
            if (plan.Tasks.All(t => t.Definition.Name != JointTaskName))
                plan = await Do(Planner, plan, "tasks", new AddTask(JointTask(year), plan.Version), ct);
            if (plan.Tasks.All(t => t.Definition.Name != AnnualReportTaskName))
                plan = await Do(Planner, plan, "tasks", new AddTask(AnnualReportTask(year), plan.Version), ct);
            plan = await Do(Planner, plan, "submit", new SubmitPlan(plan.Version), ct);
        }
        if (plan.Status == PlanStatus.Submitted) plan = await Do(Approver, plan, "approve", new ApprovePlan("同意，按计划组织实施", plan.Version), ct);
        if (plan.Status == PlanStatus.Approved) plan = await Do(Approver, plan, "publish", new PublishPlan(Today, plan.Version), ct);
        if (plan.Status is not (PlanStatus.Published or PlanStatus.InProgress))
            throw new DemoException($"The plan {plan.Number} is {plan.Status}; the demo expects it published.");
        log.WriteLine($"demo: plan {plan.Number} 《{plan.Name}》 approved and published, {plan.Tasks.Count} tasks (one joint)");
        return plan;
    }

    /// <summary>进一次门、查多项事: the county bureau leads, the commerce bureau joins with its prepaid-card matter; ten of the county's catering and retail units.</summary>
    private static TaskDefinition JointTask(int year) => new(JointTaskName, TaskType.Undirected, CountyMarket.Id, CountyMarket.Id,
        [new Participant(CountyMarket.Id, [new MatterRef(FoodService.Id, 1)]), new Participant(CountyCommerce.Id, [new MatterRef(PrepaidCards.Id, 1)])],
        new TargetFilter(RegionCode: CountyCode), "鹿泉区辖区内登记的市场主体", new SamplingRule(null, DrawnTargets, null), 3,
        new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private static TaskDefinition AnnualReportTask(int year) => new(AnnualReportTaskName, TaskType.Directed, CountyMarket.Id, null,
        [new Participant(CountyMarket.Id, [new MatterRef(AnnualReports.Id, 1)])],
        new TargetFilter(RegionCode: CountyCode, Kind: TargetKind.Enterprise), "鹿泉区登记的企业", new SamplingRule(3m, null, null), 2,
        new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    private async Task<AnnualPlan> Do(DemoActor actor, AnnualPlan plan, string action, object command, CancellationToken ct) =>
        (await Write(actor, HttpMethod.Post, $"/api/plans/{plan.Id}/{action}", command, ct, 200)).Deserialize<AnnualPlan>(Json)!;

    // ---------------------------------------------------------------- the draw

    private async Task<DrawView> WitnessedDraw(AnnualPlan plan, CancellationToken ct)
    {
        var task = plan.Tasks.Single(t => t.Definition.Name == JointTaskName);
        var draws = await Read<PagedResult<DrawView>>(Planner, $"/api/draws?planId={plan.Id}&pageSize=500", ct);
        var draw = draws.Items.LastOrDefault(d => d.TaskNumber == task.Number && d.Status != DrawStatus.Voided);
        var contribution = DisciplineContribution;
        if (draw is { Status: DrawStatus.Proposed } stale && stale.Sources.Any(s => s.NotBefore <= host.Now))
        {
            // A run stopped between the proposal and the commitment: the source's moment has passed, so it can no longer be committed.
            // Voided alone (no randomness can exist yet) and proposed again.
            await DrawDo(Approver, stale, "void", new VoidDraw("演示数据：见证时刻已过，重新发起抽取", stale.Version), ct);
            draw = null;
        }
        if (draw is null)
        {
            // A witnessed ceremony a few seconds ahead: its value cannot be known when the 纪检 commit (docs/draw-algorithm.md, section 1).
            var moment = host.Now.AddSeconds(15);
            var source = new RandomnessSourceDeclaration(WitnessSource, DrawV2.Ceremony, moment, "区市场监管局办事大厅公开摇号，纪检监察组现场见证");
            draw = (await Write(Planner, HttpMethod.Post, "/api/draws", new ScheduleDraw(plan.Id, task.Number, null, null, [source]), ct, 201))["value"]
                .Deserialize<DrawView>(Json)!;
        }
        if (draw.Status == DrawStatus.Proposed)
            draw = await DrawDo(JijianA, draw, "commitment", new CommitDraw(DrawV2.ContributionSha256(contribution), draw.Version), ct);
        if (draw.Status != DrawStatus.Drawn)
        {
            foreach (var source in draw.Sources.Where(s => draw.Randomness.All(r => r.Source != s.Name)))
            {
                await host.WaitUntilAsync(source.NotBefore, ct);
                // Each value entered by two different people who must agree; a first entry already made is only completed.
                if (!draw.AwaitingSecondEntry.Contains(source.Name))
                    await Write(JijianA, HttpMethod.Post, $"/api/draws/{draw.Id}/randomness", new EnterRandomness(source.Name, WitnessValue), ct, 200);
                draw = (await Write(JijianB, HttpMethod.Post, $"/api/draws/{draw.Id}/randomness", new EnterRandomness(source.Name, WitnessValue), ct, 200))
                    .Deserialize<DrawView>(Json)!;
            }
            if (!draw.DisciplineContributionRevealed) draw = await DrawDo(JijianA, draw, "contribution", new RevealContribution(contribution), ct);
            draw = await DrawDo(Planner, draw, "draw", new PerformDraw(draw.Version), ct);
        }
        log.WriteLine($"demo: draw {draw.Id} of task {draw.TaskNumber}: {draw.Targets.Count} of {draw.PoolSize} targets, witnessed by two 纪检 (record {draw.RecordSha256[..12]}…)");
        return draw;
    }

    private async Task<DrawView> DrawDo(DemoActor actor, DrawView draw, string action, object command, CancellationToken ct) =>
        (await Write(actor, HttpMethod.Post, $"/api/draws/{draw.Id}/{action}", command, ct, 200)).Deserialize<DrawView>(Json)!;

    /// <summary>回避: the first drawn target's first county inspector withdraws (a former employee of it); the committed ranking names the replacement.</summary>
    private async Task<DrawView> Recusal(DrawView draw, CancellationToken ct)
    {
        var recusals = await Read<List<HistoryEntry>>(JijianA, $"/api/history?id={draw.Id}&kind=recusal", ct);
        if (recusals.Count == 0)
        {
            var target = draw.Targets[0];
            var inspector = target.Team.OfType<Guid>().First(id => Inspectors.Any(i => i.Id == id && i.Department == CountyMarket));
            draw = await DrawDo(Approver, draw, "recusals", new RecuseInspector(target.TargetId, inspector, "检查人员曾在该企业任职未满三年，申请回避", draw.Version), ct);
        }
        log.WriteLine("demo: one recusal, replaced by the committed ranking");
        return draw;
    }

    // ---------------------------------------------------------------- inspections

    private async Task<List<InspectionCase>> Cases(DrawView draw, CancellationToken ct)
    {
        var ids = draw.Targets.Where(t => !t.Replaced).Select(t => InspectionCase.IdFor(draw.Id, t.TargetId)).ToList();
        if (!await Exists(Planner, $"/api/cases/{ids[^1]}", ct) || !await Exists(Planner, $"/api/cases/{ids[0]}", ct))
            await Write(Planner, HttpMethod.Post, $"/api/draws/{draw.Id}/cases", new { }, ct, 200);
        var cases = new List<InspectionCase>();
        foreach (var id in ids) cases.Add(await Case(id, ct));
        return cases;
    }

    private Task<InspectionCase> Case(Guid id, CancellationToken ct) => Read<InspectionCase>(Planner, $"/api/cases/{id}", ct);

    private enum Outcome { ProblemPending, ProblemRectified, NoProblem, InProgress, NotYetInspected }

    /// <summary>The first case finds a problem that goes to the tax bureau, the second one corrected on the spot, the last two are not finished yet.</summary>
    private static Outcome OutcomeOf(int index) => index switch
    {
        0 => Outcome.ProblemPending,
        1 => Outcome.ProblemRectified,
        _ when index == DrawnTargets - 1 => Outcome.NotYetInspected,
        _ when index == DrawnTargets - 2 => Outcome.InProgress,
        _ => Outcome.NoProblem,
    };

    private async Task Inspect(InspectionCase @case, int index, CancellationToken ct)
    {
        var outcome = OutcomeOf(index);
        if (outcome == Outcome.NotYetInspected) return;
        DemoActor MemberOf(Guid department) => new(@case.Team.First(m => m.DepartmentId == department).StaffCode, Roles.Inspector, department);
        var lead = MemberOf(CountyMarket.Id);
        async Task<InspectionCase> CaseDo(DemoActor actor, string action, object command) =>
            (await Write(actor, HttpMethod.Post, $"/api/cases/{@case.Id}/{action}", command, ct, 200)).Deserialize<InspectionCase>(Json)!;

        if (@case.Status == CaseStatus.Open) @case = await CaseDo(lead, "start", new StartInspection(Today, @case.Version));
        if (outcome == Outcome.InProgress) return;
        if (@case.Status == CaseStatus.InProgress) @case = await CaseDo(lead, "end", new EndInspection(Today, [InspectionMethod.OnSite], @case.Version));

        // 谁检查、谁录入: each department's member enters its own matters' results, submits them, and its reviewer approves them.
        foreach (var department in @case.Departments.Select(d => d.DepartmentId).ToList())
        {
            var member = MemberOf(department);
            var part = @case.Departments.Single(d => d.DepartmentId == department);
            foreach (var matter in part.Matters.Where(m => part.Results.All(r => r.MatterId != m.MatterId)))
            {
                var command = (department == CountyMarket.Id ? outcome : Outcome.NoProblem) switch
                {
                    Outcome.ProblemPending => new EnterResult(matter.MatterId, "problem-pending", "other-violation",
                        "未按规定开具发票，进货查验记录不全", "责令限期改正，涉税问题移送税务部门", "移送税务部门", @case.Version),
                    Outcome.ProblemRectified => new EnterResult(matter.MatterId, "problem-rectified", null,
                        "从业人员健康证明过期", "当场责令改正", null, @case.Version),
                    _ => new EnterResult(matter.MatterId, "no-problem", null, null, null, null, @case.Version),
                };
                @case = await CaseDo(member, "results", command);
            }
            part = @case.Departments.Single(d => d.DepartmentId == department);
            if (part.Review is ReviewStatus.NotSubmitted or ReviewStatus.Returned)
                @case = await CaseDo(member, "submit", new SubmitResults(department, @case.Version));
            if (@case.Departments.Single(d => d.DepartmentId == department).Review == ReviewStatus.Submitted)
                @case = await CaseDo(Reviewer(department), "review", new ReviewResults(department, true, null, @case.Version));
        }
    }

    /// <summary>移送: the problem goes to the tax bureau, which accepts it and back-fills what it did (后续处理, 闭环).</summary>
    private async Task HandOver(InspectionCase @case, CancellationToken ct)
    {
        var id = FollowUpCase.IdFor(@case.Id, FoodService.Id);
        if (!await Exists(MarketHandler, $"/api/follow-ups/{id}", ct))
            await Write(MarketHandler, HttpMethod.Post, $"/api/cases/{@case.Id}/follow-ups", new OpenFollowUp(FoodService.Id,
                [new MeasureInput(MeasureKind.HandOver, CountyTax.Id, Today.AddDays(30), "涉嫌未按规定开具发票，移送税务部门")], "发现问题待后续处理"), ct, 201);
        var followUp = await Read<FollowUpCase>(TaxHandler, $"/api/follow-ups/{id}", ct);
        if (!followUp.Measures[0].Accepted)
            followUp = (await Write(TaxHandler, HttpMethod.Post, $"/api/follow-ups/{id}/measures/1/accept", new AcceptMeasure(followUp.Version), ct, 200))
                .Deserialize<FollowUpCase>(Json)!;
        if (followUp.Measures[0].Outcome is null)
            await Write(TaxHandler, HttpMethod.Post, $"/api/follow-ups/{id}/measures/1/back-fill",
                new BackFillMeasure("已责令补开发票并处以罚款", [$"鹿税简罚〔{Today.Year}〕17号"], Today, followUp.Version), ct, 200);
        log.WriteLine("demo: one follow-up handed over to the tax bureau, accepted and back-filled");
    }

    // ---------------------------------------------------------------- disclosure

    private async Task<List<HistoryEntry>> Disclosures(Guid caseId, CancellationToken ct) =>
        (await Read<List<HistoryEntry>>(JijianA, $"/api/history?id={caseId}", ct)).Where(h => h.StreamId == ResultPublication.IdFor(caseId)).ToList();

    private async Task Publish(InspectionCase @case, int index, CancellationToken ct)
    {
        if ((await Disclosures(@case.Id, ct)).Any(h => h.Type == "result_published")) return;
        var handling = OutcomeOf(index) switch
        {
            Outcome.ProblemPending => "责令限期改正，涉税问题已移送税务部门",
            Outcome.ProblemRectified => "已当场责令改正",
            _ => null,
        };
        await Write(Approver, HttpMethod.Post, $"/api/cases/{@case.Id}/publication", new PublishResult(Today, null, handling), ct, 200);
    }

    /// <summary>更正: a published result corrected by a new revision with its reason; both stay public.</summary>
    private async Task CorrectPublication(InspectionCase @case, CancellationToken ct)
    {
        var disclosures = await Disclosures(@case.Id, ct);
        if (disclosures.All(h => h.Type != "publication_corrected"))
        {
            var publication = ResultPublication.IdFor(@case.Id);
            var version = (await Read<List<HistoryEntry>>(JijianA, $"/api/history?id={@case.Id}", ct)).Where(h => h.StreamId == publication).Max(h => h.Version);
            await Write(Approver, HttpMethod.Post, $"/api/publications/{ResultPublication.IdFor(@case.Id)}/corrections",
                new CorrectPublication(Today, null, "已当场责令改正，企业已补办从业人员健康证明", "补充整改完成情况", version), ct, 200);
        }
        log.WriteLine("demo: results published, one publication corrected");
    }

    // ---------------------------------------------------------------- HTTP

    private HttpClient Client(DemoActor actor)
    {
        if (!clients.TryGetValue(actor, out var client)) clients[actor] = client = host.ClientFor(actor);
        return client;
    }

    /// <summary>The highest event sequence committed (every live listing reports it as <c>asOfSequence</c>).</summary>
    private async Task<long> CurrentSequence(CancellationToken ct) =>
        (await Read<PagedResult<Target>>(Keeper(CountyMarket), $"/api/targets?regionCode={CountyCode}&pageSize=1", ct)).AsOfSequence;

    private async Task<bool> Exists(DemoActor actor, string path, CancellationToken ct)
    {
        using var response = await Client(actor).GetAsync(path, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        await Check(response, "GET " + path, 200);
        return true;
    }

    private async Task<T> Read<T>(DemoActor actor, string path, CancellationToken ct)
    {
        using var response = await Client(actor).GetAsync(path, ct);
        await Check(response, "GET " + path, 200);
        return (await response.Content.ReadFromJsonAsync<T>(Json, ct))!;
    }

    private async Task<JsonNode> Write(DemoActor actor, HttpMethod method, string path, object body, CancellationToken ct, int status)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        var node = await Send(actor, request, ct, status);
        writes.Add($"{method} {path} as {actor.UserId}");
        return node;
    }

    private async Task<JsonNode> Send(DemoActor actor, HttpRequestMessage request, CancellationToken ct, int status)
    {
        using var response = await Client(actor).SendAsync(request, ct);
        await Check(response, $"{request.Method} {request.RequestUri} as {actor.Role} {actor.UserId}", status);
        var text = await response.Content.ReadAsStringAsync(ct);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static async Task Check(HttpResponseMessage response, string what, int status)
    {
        if ((int)response.StatusCode == status) return;
        var body = await response.Content.ReadAsStringAsync();
        var hint = response.StatusCode == HttpStatusCode.Unauthorized
            ? " (the token was refused: the service must trust the local key in src/Supervision.Api/.data/dev-signing-key, as a service started by ops/run.sh does)"
            : "";
        throw new DemoException($"{what}: expected {status}, got {(int)response.StatusCode}{hint}: {body}");
    }
}
