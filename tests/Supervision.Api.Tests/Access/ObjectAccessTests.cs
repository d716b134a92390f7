using Supervision.Api.Draws;
using Supervision.Api.Inspections;
using Supervision.Api.Plans;
using Supervision.Domain.Draws;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Access;

/// <summary>
/// Issue 13's object-level findings, performed against the real service: another department, another region, an inspector not on
/// the team and a token without a department each get the answer docs/access.md gives them (404 as if missing, 403 for a write).
/// </summary>
public sealed class ObjectAccessTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private const int Year = 2027;

    /// <summary>One department's draw with its cases opened; a sibling department in the same county; a department in another county.</summary>
    private async Task<(InspectionScenario Own, InspectionScenario Sibling, InspectionScenario Elsewhere, AnnualPlan Plan, DrawView Draw, Guid CaseId)> World(string code, string county, string otherCounty)
    {
        var own = await new InspectionScenario(app, code, county, Year).Setup();
        var admin = app.ClientFor("admin-" + code, Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment(code + "-TAX", "县税务局", DepartmentKind.Other, county, null))).StatusCode is 201 or 409);
        var sibling = new InspectionScenario(app, code + "-TAX", county, Year);
        var elsewhere = await new InspectionScenario(app, code + "-FAR", otherCounty, Year).Setup();
        await own.ImportTargets(20, 30000 + int.Parse(county[^3..]) * 50);
        foreach (var n in Enumerable.Range(1, 3)) await own.Inspector($"{code}-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await own.ApprovedPlan(code + "-M");
        var draw = await own.Draw(plan, task);
        await (await own.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ShouldHaveStatus(200);
        return (own, sibling, elsewhere, plan, draw, InspectionCase.IdFor(draw.Id, draw.Targets[0].TargetId));
    }

    [Fact]
    public async Task Other_departments_regions_and_tokens_without_a_department_read_nothing_of_a_departments_plans_draws_and_cases()
    {
        var (own, sibling, elsewhere, plan, draw, caseId) = await World("ACC-R", "130561", "130562");
        var outsiders = new Dictionary<string, HttpClient>
        {
            ["sibling planner"] = sibling.Planner,
            ["sibling approver"] = sibling.Approver,
            ["other county's market regulation planner"] = elsewhere.Planner,
            ["other county's 纪检"] = app.ClientFor("jj-far", Roles.DisciplineInspector, elsewhere.Department),
            ["auditor without a department"] = app.ClientFor("auditor-nobody", Roles.Auditor),
            ["planner without a department"] = app.ClientFor("planner-nobody", Roles.Planner),
            ["system admin"] = app.ClientFor("admin-reader", Roles.SystemAdmin),
        };
        var urls = new[] { $"/api/plans/{plan.Id}", $"/api/draws/{draw.Id}", $"/api/draws/{draw.Id}/record", $"/api/cases/{caseId}" };
        var missing = await (await own.Planner.GetAsync($"/api/plans/{Guid.NewGuid()}")).Content.ReadAsStringAsync();
        foreach (var (who, client) in outsiders)
        {
            foreach (var url in urls)
            {
                var response = await client.GetAsync(url);
                Assert.True(404 == (int)response.StatusCode, $"{who} reading {url}: {(int)response.StatusCode}");
            }
            // The lists hold none of it, even when the filter names the department.
            Assert.DoesNotContain((await (await client.GetAsync($"/api/plans?departmentId={own.Department}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<PlanSummary>>()).Items, p => p.Id == plan.Id);
            Assert.DoesNotContain((await (await client.GetAsync("/api/plans")).ReadAs<Supervision.Api.Infrastructure.PagedResult<PlanSummary>>()).Items, p => p.Id == plan.Id);
            Assert.DoesNotContain((await (await client.GetAsync($"/api/draws?planId={plan.Id}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<DrawView>>()).Items, d => d.Id == draw.Id);
            Assert.DoesNotContain((await (await client.GetAsync($"/api/cases?departmentId={own.Department}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items, c => c.Id == caseId);
        }
        // An object out of scope answers exactly like one that does not exist (apart from the trace id).
        var outOfScope = await (await sibling.Planner.GetAsync($"/api/plans/{plan.Id}")).Content.ReadAsStringAsync();
        Assert.Equal(missing[..missing.IndexOf("traceId", StringComparison.Ordinal)], outOfScope[..outOfScope.IndexOf("traceId", StringComparison.Ordinal)]);

        // Who may read: the department's staff, 纪检 of its county or above, the county's 双随机 office (market regulation) for planning.
        var insiders = new Dictionary<string, HttpClient>
        {
            ["own approver"] = own.Approver,
            ["own 纪检"] = own.JijianA,
            ["a city 纪检"] = app.ClientFor("jj-city", Roles.DisciplineInspector, Department.IdFor("ACC-R-CITY")),
        };
        Assert.True((int)(await app.ClientFor("admin-acc", Roles.SystemAdmin).PostJson("/api/departments",
            new RegisterDepartment("ACC-R-CITY", "市纪委监委驻局纪检组", DepartmentKind.Other, "130500", null))).StatusCode is 201 or 409);
        foreach (var (who, client) in insiders)
            foreach (var url in urls)
                Assert.True(200 == (int)(await client.GetAsync(url)).StatusCode, $"{who} reading {url}");
    }

    [Fact]
    public async Task An_inspector_reads_and_acts_on_a_case_only_when_on_its_team_as_the_same_person_of_the_same_department()
    {
        var (own, sibling, _, _, draw, caseId) = await World("ACC-I", "130563", "130564");
        var team = (await (await own.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>()).Team;
        var member = team[0].StaffCode;
        var outsider = own.Inspectors.Keys.Select(k => k.ToUpperInvariant()).First(code => team.All(m => m.StaffCode != code));

        await (await own.ClientOf(member).GetAsync($"/api/cases/{caseId}")).ShouldHaveStatus(200);
        await (await app.ClientFor(member.ToLowerInvariant(), Roles.Inspector, own.Department).GetAsync($"/api/cases/{caseId}")).ShouldHaveStatus(200);
        await (await own.ClientOf(outsider).GetAsync($"/api/cases/{caseId}")).ShouldHaveStatus(404);
        // The member's staff code under another department's token is not the member.
        var impostor = app.ClientFor(member, Roles.Inspector, sibling.Department);
        await (await impostor.GetAsync($"/api/cases/{caseId}")).ShouldHaveStatus(404);
        Assert.DoesNotContain((await (await impostor.GetAsync("/api/cases/mine")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items, c => c.Id == caseId);
        var start = await impostor.PostJson($"/api/cases/{caseId}/start", new StartInspection(new DateOnly(2026, 11, 30), 1));
        Assert.Contains("case.not-on-team", await start.Content.ReadAsStringAsync());
        Assert.Contains(draw.Id, ((await (await own.ClientOf(member).GetAsync("/api/cases/mine")).ReadAs<Supervision.Api.Infrastructure.PagedResult<CaseSummary>>()).Items).Select(c => InspectionCase.IdFor(draw.Id, c.TargetId) == c.Id ? draw.Id : Guid.Empty));
    }

    [Fact]
    public async Task A_keeper_writes_only_targets_of_the_regions_its_department_supervises_and_only_its_own_tags()
    {
        var own = await new InspectionScenario(app, "ACC-K", "130565", Year).Setup();
        var far = await new InspectionScenario(app, "ACC-K-FAR", "130566", Year).Setup();
        await own.ImportTargets(2, 45000);
        var target = await (await own.Keeper.GetAsync($"/api/targets/{Target.IdFor(TestData.CreditCode(45000))}")).ReadAs<Target>();

        // Another county's keeper: status, credit class, details, registration in a county it does not supervise, an import there.
        Assert.Equal("target.region.not-supervised", (await (await far.Keeper.PostJson($"/api/targets/{target.Id}/status",
            new ChangeTargetStatus(OperatingStatus.Deregistered, null, "越权注销", target.Version))).ReadNodeAs(403))["violations"]![0]!["rule"]!.GetValue<string>());
        await (await far.Keeper.PostJson($"/api/targets/{target.Id}/credit-class", new SetTargetCreditClass("D", new DateOnly(2026, 1, 5), "越权降级", target.Version))).ShouldHaveStatus(403);
        var csv = $"credit_code,name,kind,region_code,status\n{TestData.CreditCode(45900)},越权导入,Enterprise,130565,Operating";
        var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } };
        var import = await (await far.Keeper.PostAsync("/api/targets/import", content)).ReadNodeAs(400);
        Assert.Contains("target.region.not-supervised", import.ToJsonString());
        // A keeper without a department writes nothing.
        await (await app.ClientFor("keeper-nobody", Roles.DirectoryKeeper).PostJson($"/api/targets/{target.Id}/status",
            new ChangeTargetStatus(OperatingStatus.Deregistered, null, "无部门", target.Version))).ShouldHaveStatus(403);

        // The own keeper may not name another department as supervising the target, nor define a tag owned by it.
        var details = new ChangeTargetDetails(target.Name, target.IndustryCode, target.RegionCode, target.Address, target.RegisteredOn, target.Scale,
            [.. target.SupervisingDepartmentIds, far.Department], target.Tags, "加入外县部门", target.Version);
        Assert.Equal("target.supervisors.not-yours", (await (await own.Keeper.PostJson($"/api/targets/{target.Id}/details", details)).ReadNodeAs(403))["violations"]![0]!["rule"]!.GetValue<string>());
        Assert.Equal("tag.owner.not-yours", (await (await own.Keeper.PostJson("/api/tags", new DefineTag("ACC-K-TAG", "越权标签", TagScope.Target, far.Department, null)))
            .ReadNodeAs(403))["violations"]![0]!["rule"]!.GetValue<string>());
        await (await own.Keeper.PostJson("/api/tags", new DefineTag("ACC-K-TAG2", "本部门标签", TagScope.Target, own.Department, null))).ShouldHaveStatus(201);
        // And the own keeper still changes its own county's target.
        await (await own.Keeper.PostJson($"/api/targets/{target.Id}/status", new ChangeTargetStatus(OperatingStatus.Suspended, new DateOnly(2026, 11, 30), "停业", target.Version))).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task Four_eyes_and_two_person_rules_see_one_person_under_two_spellings()
    {
        var s = await new InspectionScenario(app, "ACC-4E", "130567", Year).Setup();
        var both = app.ClientFor("zhang-both", Roles.Planner, s.Department, Roles.Approver);
        var same = app.ClientFor("ZHANG-BOTH", Roles.Approver, s.Department);
        await (await s.Keeper.PostJson("/api/matters", new DefineMatter("ACC-4E-M", "食品经营者检查", "《食品安全法》", s.Department, "检查内容",
            [InspectionMethod.OnSite], MatterCategory.General, 20m, null, null, []))).ShouldHaveStatus(201);
        var plan = (await (await both.PostJson("/api/plans", new DraftPlan(s.Department, Year, "计划", null))).ReadNodeAs(201))["value"].Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        var task = new TaskDefinition("抽查", TaskType.Undirected, s.Department, null, [new Participant(s.Department, [new MatterRef(InspectionMatter.IdFor("ACC-4E-M"), 1)])],
            new TargetFilter(RegionCode: "130567"), "辖区", new SamplingRule(10m, null, null), 2, new DateOnly(Year, 3, 1), new DateOnly(Year, 4, 30));
        plan = await (await both.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(task, plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await both.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadAs<AnnualPlan>();
        var refused = await same.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version));
        Assert.True((int)refused.StatusCode is 403 or 409, $"approved by the drafter under another spelling: {(int)refused.StatusCode}");
        await (await s.Approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ShouldHaveStatus(200);
    }

    [Fact]
    public async Task A_case_history_shows_a_discipline_inspector_only_the_acts_of_their_region_and_nothing_without_a_department()
    {
        var (own, _, elsewhere, _, draw, _) = await World("ACC-H", "130568", "130569");
        var url = $"/api/history?id={draw.Id}";
        await (await app.ClientFor("jj-nobody-h", Roles.DisciplineInspector).GetAsync(url)).ShouldHaveStatus(403);
        Assert.Empty(await (await app.ClientFor("jj-far-h", Roles.DisciplineInspector, elsewhere.Department).GetAsync(url)).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>());
        Assert.NotEmpty(await (await own.JijianB.GetAsync(url)).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>());
    }
}
