using ClosedXML.Excel;
using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Dashboards;
using Supervision.Api.Draws;
using Supervision.Api.Infrastructure;
using Supervision.Api.Inspections;
using Supervision.Api.Integrity;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Calendar;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Draws;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Dashboards;

/// <summary>
/// One enterprise across two plans, one draw with a recusal, one result with a correction, one follow-up hand-over and
/// one disclosure; then the dashboards, the monthly report, "as of", a rebuild of every read model, and the full history.
/// The application's clock is frozen at the real "now", so the events' stored timestamps and the business dates agree.
/// </summary>
public sealed class DashboardAndHistoryTests
{
    private const string County = "130528";
    private const string DepartmentCode = "XT-DB";

    [Fact]
    public async Task Dashboards_report_and_history_follow_one_enterprise_through_two_plans_and_survive_a_rebuild()
    {
        var now = DateTimeOffset.UtcNow;
        var today = ChinaTime.DateOf(now);
        var year = today.Year;
        var clock = new FakeTimeProvider(now);
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();

        var scenario = await new InspectionScenario(app, DepartmentCode, County, year).Setup();
        var admin = app.ClientFor("admin-db", Roles.SystemAdmin);
        await (await admin.PostJson("/api/departments", new RegisterDepartment("XT-DB-TAX", "县税务局", DepartmentKind.Other, County, null))).ShouldHaveStatus(201);
        var tax = Department.IdFor("XT-DB-TAX");
        foreach (var n in Enumerable.Range(1, 4)) await scenario.Inspector($"DB-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(2, 17000);
        var enterprise = Target.IdFor(TestData.CreditCode(17000));
        var creditCode = TestData.CreditCode(17000);

        // The county's goals for the year, from its plan document: these are what the figures are measured against.
        var beforeGoals = (await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}"))
            .ReadAs<DepartmentDashboard>()).AsOfSequence;
        var goals = new DashboardGoals(50m, 10m, 80m, 3m, 100m, 100m, 100m);
        await (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/goals/{County}/{year}")
        {
            Content = JsonContent.Create(new SetGoals(goals with { Coverage = 120m }, 40, 20, "县双随机办〔2026〕1号", "年度目标"), options: HttpExtensions.Json),
        })).ShouldHaveStatus(400);
        var setting = await (await admin.SendAsync(new HttpRequestMessage(HttpMethod.Put, $"/api/goals/{County}/{year}")
        {
            Content = JsonContent.Create(new SetGoals(goals, 40, 20, "县双随机办〔2026〕1号", "年度目标"), options: HttpExtensions.Json),
        })).ReadAs<GoalSetting>();
        Assert.Equal((1, 1L), (setting.Revision, setting.Version));
        var resolved = await (await scenario.Planner.GetAsync($"/api/goals/{County}/{year}")).ReadAs<ResolvedGoals>();
        Assert.Equal((County, 3m, 20), (resolved.SetForRegion, resolved.Goals.Coverage, resolved.MonthlyReportDueDay));

        // Plan 1: both targets drawn; an inspector recused from the enterprise's team and replaced.
        var (plan1, task1) = await Plan(scenario, "XT-DB-M1", "第一批");
        var draw1 = await scenario.Draw(plan1, task1);
        var drawn = draw1.Targets.Single(t => t.TargetId == enterprise);
        await (await scenario.Approver.PostJson($"/api/draws/{draw1.Id}/recusals",
            new RecuseInspector(enterprise, drawn.Team[0]!.Value, "检查人员系该企业股东近亲属", draw1.Version))).ShouldHaveStatus(200);
        var cases1 = (await (await scenario.Planner.PostJson($"/api/draws/{draw1.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
        var caseOfEnterprise = InspectionCase.IdFor(draw1.Id, enterprise);
        var otherCase = cases1.Single(c => c != caseOfEnterprise);

        // The enterprise's case: a problem, approved, handed over to the tax bureau, corrected, and published.
        var matter1 = InspectionMatter.IdFor("XT-DB-M1");
        var (member, inspectionCase) = await Inspect(app, scenario, caseOfEnterprise, today, matter1, "problem-pending", "other-violation", "未按规定建立进货查验记录");
        var handler = app.ClientFor("handler-db", Roles.FollowUpHandler, scenario.Department);
        var taxHandler = app.ClientFor("handler-db-tax", Roles.FollowUpHandler, tax);
        var followUpId = (await (await handler.PostJson($"/api/cases/{caseOfEnterprise}/follow-ups", new OpenFollowUp(matter1,
            [new MeasureInput(MeasureKind.HandOver, tax, today.AddDays(30), "涉嫌未按规定开具发票，移送税务部门")], "发现问题待后续处理"))).ReadNodeAs(201))["value"]!["id"]!.GetValue<Guid>();
        var followUp = await (await taxHandler.PostJson($"/api/follow-ups/{followUpId}/measures/1/accept", new AcceptMeasure(1))).ReadAs<FollowUpCase>();
        await (await taxHandler.PostJson($"/api/follow-ups/{followUpId}/measures/1/back-fill",
            new BackFillMeasure("已立案调查", ["县税立〔2026〕8号"], today, followUp.Version))).ShouldHaveStatus(200);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseOfEnterprise}/corrections", new CorrectResult(matter1, "problem-pending", "other-violation",
            "未按规定建立进货查验记录及索证索票台账", "责令限期改正", null, "复核发现漏记索证索票问题", inspectionCase.Version))).ReadAs<InspectionCase>();
        var beforePublication = (await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}&today={today:yyyy-MM-dd}"))
            .ReadAs<DepartmentDashboard>()).AsOfSequence;
        await (await scenario.Approver.PostJson($"/api/cases/{caseOfEnterprise}/publication", new PublishResult(today, null, "已责令改正并移送税务部门"))).ShouldHaveStatus(200);
        await Inspect(app, scenario, otherCase, today, matter1, "no-problem", null, null);

        // Plan 2: the enterprise is drawn again, for another matter; its case stays open. Plan 3 is voided.
        var (plan2, task2) = await Plan(scenario, "XT-DB-M2", "第二批");
        var draw2 = await scenario.Draw(plan2, task2);
        await (await scenario.Planner.PostJson($"/api/draws/{draw2.Id}/cases", new { })).ShouldHaveStatus(200);
        var (plan3, _) = await Plan(scenario, "XT-DB-M3", "第三批");
        await (await scenario.Approver.PostJson($"/api/plans/{plan3.Id}/void", new VoidPlan("机构改革，任务并入第二批", plan3.Version))).ShouldHaveStatus(200);

        // ---- The department's dashboard for the year, every figure worked out by hand.
        var calendar = WorkingDayCalendar.Shipped;
        var twentyWorkingDays = calendar.AddWorkingDays(today, 20).Date;
        var dueThisYear = twentyWorkingDays.Year == year;
        var department = (await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}&today={today:yyyy-MM-dd}"))
            .ReadAs<DepartmentDashboard>()).Dashboard;
        Assert.Equal(2, department.Draws);               // draws 1 and 2; the voided plan 3 never drew
        Assert.Equal(2, department.Inspections);         // the two cases of draw 1 ended today; draw 2's case is still open
        Assert.Equal(2, department.EntitiesInspected);
        Assert.Equal(1, department.EntitiesWithProblems); // the enterprise
        Assert.Equal(1, department.ResultsPublished);
        Assert.Equal((1, 0, 1, 1), (department.VoidedPlans, department.AdjustedPlans, department.Recusals, department.Replacements));
        Assert.Equal(new OverdueNow(0, 0, 0), department.OverdueNow);
        var share = department.Shares.ToDictionary(s => s.Key);
        Assert.Equal(new ShareFigure("jointInspectionShare", 0, 2, 0m, 50m, false), share["jointInspectionShare"]);
        Assert.Equal(new ShareFigure("jointEntityShare", 0, 2, 0m, 10m, false), share["jointEntityShare"]);
        Assert.Equal(new ShareFigure("creditClassDrawShare", 0, 2, 0m, 80m, false), share["creditClassDrawShare"]);
        Assert.Equal(new ShareFigure("coverage", 2, 40, 5m, 3m, true), share["coverage"]);   // 2 of the 40 enterprises recorded for the county
        Assert.Equal(new ShareFigure("problemRate", 1, 2, 50m, null, null), share["problemRate"]);
        // Both entries are due 20 working days after today and were submitted today; the one publication is due as long after its approval.
        Assert.Equal(dueThisYear ? (2, 2) : (0, 0), (share["enteredOnTimeShare"].Numerator, share["enteredOnTimeShare"].Denominator));
        Assert.Equal(dueThisYear ? (1, 1) : (0, 0), (share["publishedOnTimeShare"].Numerator, share["publishedOnTimeShare"].Denominator));
        // The hand-over belongs to the tax bureau: it counts on the tax bureau's figures and the region's, not the originating department's.
        Assert.Equal((0, 0), (share["backFilledOnTimeShare"].Numerator, share["backFilledOnTimeShare"].Denominator));
        Assert.Equal(("recorded", 40), (department.RegisteredEnterprisesSource, department.RegisteredEnterprises));

        // As of the moment before the publication: nothing published yet.
        var asOf = (await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}&today={today:yyyy-MM-dd}&sequence={beforePublication}"))
            .ReadAs<DepartmentDashboard>());
        // As of before the county set its goals, the figures are judged against the seed documents' goals for the year.
        var seedGoals = (await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}&sequence={beforeGoals}"))
            .ReadAs<DepartmentDashboard>()).Dashboard;
        Assert.Equal((GoalRules.Resolve(County, year, []).Goals.JointInspectionShare, (string?)null),
            (seedGoals.Shares.Single(s => s.Key == "jointInspectionShare").Goal, seedGoals.GoalsSetForRegion));
        Assert.Equal((beforePublication, 0, 1), (asOf.AsOfSequence, asOf.Dashboard.ResultsPublished, asOf.Dashboard.Inspections)); // the other case was inspected later

        // Another department's planner may not read these figures; the tax bureau's own dashboard shows its back-fill.
        var taxPlanner = app.ClientFor("planner-db-tax", Roles.Planner, tax);
        await (await taxPlanner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}")).ShouldHaveStatus(403);
        var taxFigures = (await (await taxPlanner.GetAsync($"/api/dashboards/departments/{tax}?period={year}&today={today:yyyy-MM-dd}")).ReadAs<DepartmentDashboard>()).Dashboard;
        var backFill = taxFigures.Shares.Single(s => s.Key == "backFilledOnTimeShare");
        var measureDueThisYear = today.AddDays(30).Year == year;
        Assert.Equal(measureDueThisYear ? (1, 1) : (0, 0), (backFill.Numerator, backFill.Denominator));
        await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period=2026-13")).ShouldHaveStatus(400);
        await (await scenario.Planner.GetAsync($"/api/dashboards/departments/{scenario.Department}?period={year}&at=9999-12-31T23:59:59Z")).ShouldHaveStatus(400);

        // ---- The city rolls up its county; the county's own goals do not apply to the city, which falls back to the seed documents.
        // An auditor reads case data of its own region and below (docs/access.md): here the province's audit office.
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("HB-AUDIT-DB", "省审计厅", DepartmentKind.Other, "130000", null))).StatusCode is 201 or 409);
        var auditor = app.ClientFor("auditor-db", Roles.Auditor, Department.IdFor("HB-AUDIT-DB"));
        var city = await (await auditor.GetAsync($"/api/dashboards/regions/130500?period={year}&today={today:yyyy-MM-dd}")).ReadAs<RegionDashboard>();
        var county = Assert.Single(city.Regions);
        Assert.Equal(County, county.Scope.RegionCode);
        Assert.Equal((2, 2, 1, 1), (city.Total.Draws, city.Total.EntitiesInspected, city.Total.EntitiesWithProblems, city.Total.ResultsPublished));
        Assert.Equal((county.Draws, county.EntitiesInspected), (city.Total.Draws, city.Total.EntitiesInspected));
        Assert.Null(city.Total.GoalsSetForRegion);
        Assert.Equal(GoalRules.Resolve("130500", year, []).Source, city.Total.GoalSource);
        Assert.Equal(measureDueThisYear ? 1 : 0, city.Total.Shares.Single(s => s.Key == "backFilledOnTimeShare").Denominator);
        await (await scenario.Planner.GetAsync($"/api/dashboards/regions/130500?period={year}")).ShouldHaveStatus(403);

        // ---- The monthly report (county form) for this month, as JSON, CSV and XLSX.
        var month = $"{year}-{today.Month:00}";
        var reportUrl = $"/api/reports/monthly?regionCode={County}&month={month}&today={today:yyyy-MM-dd}";
        var report = await (await scenario.Planner.GetAsync(reportUrl)).ReadAs<MonthlyReport>();
        var line = Assert.Single(report.Departments); // the tax bureau inspected nothing and published nothing
        Assert.Equal((1, 2, 1, 1), (line.MattersInspected, line.EntitiesInspected, line.EntitiesWithProblems, line.ResultsPublished));
        Assert.Equal([$"{plan1.Number} 第一批"], line.ImplementingDocuments);
        Assert.Equal(new ReportTotals(1, 2, 1, 1), report.Totals);
        Assert.Empty(report.Joint);
        Assert.Equal(new DateOnly(year, today.Month, 1).AddMonths(1).AddDays(19), report.DueOn); // the county's goals set the 20th
        var csv = System.Text.Encoding.UTF8.GetString(await (await scenario.Planner.GetAsync(reportUrl + "&format=csv")).Content.ReadAsByteArrayAsync());
        Assert.Contains($",{line.Department},1,2,1,1,", csv);
        Assert.Contains("合计", csv);
        var xlsx = await scenario.Planner.GetAsync(reportUrl + "&format=xlsx");
        Assert.Equal(MonthlyReportEndpoints.XlsxType, xlsx.Content.Headers.ContentType!.MediaType);
        using (var workbook = new XLWorkbook(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync())))
        {
            var row = workbook.Worksheet(1).RowsUsed().Single(r => r.Cell(2).GetString() == line.Department);
            Assert.Equal([1, 2, 1, 1], Enumerable.Range(3, 4).Select(c => row.Cell(c).GetValue<int>()));
        }
        await (await scenario.Planner.GetAsync($"/api/reports/monthly?regionCode=130500&month={month}")).ShouldHaveStatus(400);

        // ---- A rebuild of every read model from the event store gives the same answers, even after the stored facts were lost.
        async Task<string> Answers() => string.Join("\n",
            await (await auditor.GetAsync($"/api/dashboards/regions/130500?period={year}&today={today:yyyy-MM-dd}")).Content.ReadAsStringAsync(),
            await (await auditor.GetAsync($"/api/dashboards/departments/{tax}?period={month}&today={today:yyyy-MM-dd}")).Content.ReadAsStringAsync(),
            await (await auditor.GetAsync(reportUrl)).Content.ReadAsStringAsync(),
            await (await auditor.GetAsync($"/api/cases/{caseOfEnterprise}")).Content.ReadAsStringAsync());
        var before = await Answers();
        var inlineRows = await Integrity.ReadModelTables.TakeAsync(app);
        await using (var session = app.Store.LightweightSession())
        {
            session.DeleteWhere<CaseFact>(_ => true);
            await session.SaveChangesAsync();
        }
        Assert.NotEqual(before, await Answers());
        var rebuild = await (await admin.PostJson("/api/admin/read-models/rebuild?scope=all", new { })).ReadAs<ReadModelRebuildReport>();
        Assert.Contains(rebuild.ReadModels, r => r.Projection == nameof(CaseFactProjection));
        Assert.Contains(rebuild.ReadModels, r => r.Projection == nameof(CaseProjection));
        Assert.Equal(before, await Answers());
        // The one-pass rebuild (issue 14) wrote every read model row for row as the inline projections had.
        Integrity.ReadModelTables.AssertSame(inlineRows, await Integrity.ReadModelTables.TakeAsync(app));
        // By default only the reporting read models (nothing decides from them), which is safe while commands run.
        var reporting = await (await admin.PostJson("/api/admin/read-models/rebuild", new { })).ReadAs<ReadModelRebuildReport>();
        Assert.Equal([nameof(CaseFactProjection), nameof(DrawFactProjection), nameof(FollowUpFactProjection), nameof(PlanFactProjection), nameof(PublicationFactProjection)],
            reporting.ReadModels.Select(r => r.Projection).Order(StringComparer.Ordinal));
        Assert.Equal(before, await Answers());

        // ---- The full history of the enterprise: both plans, the draw with its seed material and the recusal, the result and its
        // correction, the hand-over and its back-fill, the publication; in order, each with who, roles, department and why.
        var jijian = app.ClientFor("jijian-db", Roles.DisciplineInspector, Department.IdFor("HB-AUDIT-DB"));
        var history = await (await jijian.GetAsync($"/api/history?creditCode={creditCode}")).ReadAs<List<HistoryEntry>>();
        Assert.Equal(history.OrderBy(h => h.Sequence).Select(h => h.Sequence), history.Select(h => h.Sequence));
        int At(string type, Guid stream) => history.FindIndex(h => h.Type == type && h.StreamId == stream);
        var order = new[]
        {
            At("plan_approved", plan1.Id), At("draw_scheduled", draw1.Id), At("randomness_confirmed", draw1.Id), At("targets_drawn", draw1.Id),
            At("inspector_recused", draw1.Id), At("case_opened", caseOfEnterprise), At("result_entered", caseOfEnterprise), At("results_approved", caseOfEnterprise),
            At("follow_up_opened", followUpId), At("measure_accepted", followUpId), At("measure_back_filled", followUpId), At("result_corrected", caseOfEnterprise),
            At("result_published", DeterministicPublication(history, caseOfEnterprise)), At("plan_approved", plan2.Id), At("targets_drawn", draw2.Id),
            At("case_opened", InspectionCase.IdFor(draw2.Id, enterprise)),
        };
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.DoesNotContain(history, h => h.StreamId == plan3.Id || h.StreamId == otherCase);
        var recusal = history[At("inspector_recused", draw1.Id)];
        Assert.Equal(("approver-XT-DB", Roles.Approver, scenario.Department.ToString(), "检查人员系该企业股东近亲属", HistoryKinds.Recusal),
            (recusal.User, recusal.Roles, recusal.Department, recusal.Why, recusal.Kind));
        var accepted = history[At("measure_accepted", followUpId)];
        Assert.Equal(("handler-db-tax", tax.ToString()), (accepted.User, accepted.Department));
        Assert.Equal(("复核发现漏记索证索票问题", HistoryKinds.Correction), (history[At("result_corrected", caseOfEnterprise)].Why, history[At("result_corrected", caseOfEnterprise)].Kind));
        Assert.True(history[At("targets_drawn", draw1.Id)].Data.TryGetProperty("ServerSecret", out _));
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty(h.CorrelationId)));

        // The subject index rebuilt in SQL from the stored events (as the migration does for old events) answers the same.
        var indexed = await (await jijian.GetAsync($"/api/history?creditCode={creditCode}")).Content.ReadAsStringAsync();
        await using (var connection = new Npgsql.NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var rebuildIndex = new Npgsql.NpgsqlCommand($"delete from {app.Schema}.event_subjects; {EventSubjectsProjection.BackfillSql(app.Schema)}", connection);
            await rebuildIndex.ExecuteNonQueryAsync();
        }
        Assert.Equal(indexed, await (await jijian.GetAsync($"/api/history?creditCode={creditCode}")).Content.ReadAsStringAsync());

        // What the case said just before its correction, and right after it.
        var correctedAt = history[At("result_corrected", caseOfEnterprise)].Sequence;
        async Task<int> RevisionAsOf(long sequence) => (await (await jijian.GetAsync($"/api/as-of/case/{caseOfEnterprise}?sequence={sequence}")).ReadNodeAs(200))
            ["state"]!["departments"]![0]!["results"]![0]!["revision"]!.GetValue<int>();
        Assert.Equal((1, 2), (await RevisionAsOf(correctedAt - 1), await RevisionAsOf(correctedAt)));
        await (await jijian.GetAsync($"/api/as-of/case/{caseOfEnterprise}")).ShouldHaveStatus(400);
        await (await jijian.GetAsync($"/api/as-of/gossip/{caseOfEnterprise}?sequence=1")).ShouldHaveStatus(400);

        // Filtered by kind, and exported as CSV and as a printable report.
        var filtered = await (await jijian.GetAsync($"/api/history?creditCode={creditCode}&kind=recusal,correction")).ReadAs<List<HistoryEntry>>();
        Assert.Equal(["inspector_recused", "result_corrected"], filtered.Select(h => h.Type));
        await (await jijian.GetAsync($"/api/history?creditCode={creditCode}&kind=gossip")).ShouldHaveStatus(400);
        var historyCsv = await (await jijian.GetAsync($"/api/history?creditCode={creditCode}&format=csv")).Content.ReadAsStringAsync();
        Assert.StartsWith("\uFEFFsequence,time,kind,event,user,roles,department,why", historyCsv);
        Assert.Contains("检查人员系该企业股东近亲属", historyCsv);
        var printable = await (await jijian.GetAsync($"/api/history?creditCode={creditCode}&format=html")).Content.ReadAsStringAsync();
        Assert.Equal(history.Count, printable.Split("<tr class=\"event\">").Length - 1);
    }

    private static Guid DeterministicPublication(IEnumerable<HistoryEntry> history, Guid caseId) =>
        history.First(h => h.Type == "result_published" && h.Data.GetProperty("Content").GetProperty("CaseId").GetGuid() == caseId).StreamId;

    /// <summary>An approved plan with one task drawing both targets (a fixed count), for its own matter.</summary>
    private static async Task<(AnnualPlan Plan, string Task)> Plan(InspectionScenario scenario, string matterCode, string name)
    {
        await (await scenario.Keeper.PostJson("/api/matters", new DefineMatter(matterCode, "食品经营者检查", "《食品安全法》", scenario.Department, "检查内容",
            [InspectionMethod.OnSite], MatterCategory.General, 20m, null, null, []))).ShouldHaveStatus(201);
        var plan = (await (await scenario.Planner.PostJson("/api/plans", new DraftPlan(scenario.Department, scenario.Year, name, null))).ReadNodeAs(201))["value"]
            .Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        var task = new TaskDefinition(name + "抽查", TaskType.Undirected, scenario.Department, null,
            [new Participant(scenario.Department, [new MatterRef(InspectionMatter.IdFor(matterCode), 1)])], new TargetFilter(RegionCode: scenario.County), "县内企业",
            new SamplingRule(null, 2, null), 2, new DateOnly(scenario.Year, 1, 1), new DateOnly(scenario.Year, 12, 31));
        plan = await (await scenario.Planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(task, plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await scenario.Planner.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await scenario.Approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadAs<AnnualPlan>();
        return (plan, plan.Tasks[0].Number);
    }

    /// <summary>Inspected today, the result entered, submitted and approved.</summary>
    private static async Task<(HttpClient Member, InspectionCase Case)> Inspect(SupervisionApp app, InspectionScenario scenario, Guid caseId, DateOnly today, Guid matter,
        string code, string? subKind, string? found)
    {
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(today, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(today, [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(matter, code, subKind, found, found is null ? null : "责令限期改正", null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await app.ClientFor("reviewer-db", Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        return (member, inspectionCase);
    }
}
