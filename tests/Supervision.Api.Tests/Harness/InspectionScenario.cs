using Supervision.Api.Draws;
using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Harness;

/// <summary>
/// The chain every later slice starts from: a department in a county of its own, inspectors, targets, a general matter,
/// an approved plan with one task, and its draw. Each test gets its own department and county, so tests sharing a host
/// do not share pools.
/// </summary>
public sealed class InspectionScenario(SupervisionApp app, string departmentCode, string county, int year = 2027)
{
    public Guid Department { get; } = Supervision.Domain.Organization.Department.IdFor(departmentCode);
    public int Year => year;
    public string County => county;
    public HttpClient Planner { get; } = app.ClientFor("planner-" + departmentCode, Roles.Planner, Supervision.Domain.Organization.Department.IdFor(departmentCode));
    public HttpClient Approver { get; } = app.ClientFor("approver-" + departmentCode, Roles.Approver, Supervision.Domain.Organization.Department.IdFor(departmentCode));
    public HttpClient Keeper { get; } = app.ClientFor("keeper-" + departmentCode, Roles.DirectoryKeeper, Supervision.Domain.Organization.Department.IdFor(departmentCode));
    public Dictionary<string, Guid> Inspectors { get; } = new();

    public async Task<InspectionScenario> Setup()
    {
        var admin = app.ClientFor("admin-scenario", Roles.SystemAdmin);
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), (county, "县区" + county) })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        var response = await admin.PostJson("/api/departments", new RegisterDepartment(departmentCode, departmentCode + " 市场监督管理局", DepartmentKind.MarketRegulation, county, null));
        Assert.True((int)response.StatusCode is 201 or 409);
        return this;
    }

    /// <summary>An inspector whose login (token <c>sub</c>) is the staff code.</summary>
    public async Task<Guid> Inspector(string code, DateOnly issued, bool expert = false)
    {
        var command = new RegisterInspector(code, "检查员" + code, Department, "科员", county,
            [new CertificateInput("JA-" + code, issued, new DateOnly(2035, 12, 31))], [], expert, new DateOnly(2025, 1, 1));
        var node = await (await Keeper.PostJson("/api/inspectors", command)).ReadNodeAs(201);
        return Inspectors[code] = node["value"]!["id"]!.GetValue<Guid>();
    }

    public HttpClient ClientOf(string staffCode, string role = Roles.Inspector) => app.ClientFor(staffCode, role, Department);

    public async Task ImportTargets(int count, int from)
    {
        var csv = "credit_code,name,kind,region_code,status\n" + string.Join("\n", Enumerable.Range(from, count).Select(n => $"{TestData.CreditCode(n)},抽取测试企业{n},Enterprise,{county},Operating"));
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } };
        await (await Keeper.PostAsync("/api/targets/import", content)).ShouldHaveStatus(200);
    }

    public async Task<(AnnualPlan Plan, string Task)> ApprovedPlan(string matterCode, decimal ratio = 10m)
    {
        var defined = await Keeper.PostJson("/api/matters", new DefineMatter(matterCode, "食品经营者检查", "《食品安全法》", Department, "检查内容",
            [InspectionMethod.OnSite], MatterCategory.General, 20m, null, null, []));
        Assert.True((int)defined.StatusCode is 201 or 409);
        var plan = (await (await Planner.PostJson("/api/plans", new DraftPlan(Department, year, $"{year}年度计划", null))).ReadNodeAs(201))["value"].Deserialize<AnnualPlan>(HttpExtensions.Json)!;
        var task = new TaskDefinition("食品经营者抽查", TaskType.Undirected, Department, null, [new Participant(Department, [new MatterRef(InspectionMatter.IdFor(matterCode), 1)])],
            new TargetFilter(RegionCode: county), "食品经营者", new SamplingRule(ratio, null, null), 2, new DateOnly(year, 3, 1), new DateOnly(year, 4, 30));
        plan = await (await Planner.PostJson($"/api/plans/{plan.Id}/tasks", new AddTask(task, plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await Planner.PostJson($"/api/plans/{plan.Id}/submit", new SubmitPlan(plan.Version))).ReadAs<AnnualPlan>();
        plan = await (await Approver.PostJson($"/api/plans/{plan.Id}/approve", new ApprovePlan(null, plan.Version))).ReadAs<AnnualPlan>();
        return (plan, plan.Tasks[0].Number);
    }

    /// <summary>Two discipline inspectors (纪检) of the department: a value is entered by two different people.</summary>
    public HttpClient JijianA { get; } = app.ClientFor("jijian-a-" + departmentCode, Roles.DisciplineInspector, Supervision.Domain.Organization.Department.IdFor(departmentCode));
    public HttpClient JijianB { get; } = app.ClientFor("jijian-b-" + departmentCode, Roles.DisciplineInspector, Supervision.Domain.Organization.Department.IdFor(departmentCode));

    /// <summary>The discipline office's 32 bytes for this scenario's draws (a real office generates and keeps its own).</summary>
    public string DisciplineContribution { get; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public string DisciplineContributionSha256 => DrawV2.ContributionSha256(DisciplineContribution);

    /// <summary>One future beacon, a minute from the application's now.</summary>
    public IReadOnlyList<RandomnessSourceDeclaration> Sources(string name = "fc3d") =>
        [new(name, DrawV2.Beacon, app.Now.AddMinutes(1), $"福彩3D 第{year}045期开奖号码")];

    public async Task<DrawView> Schedule(AnnualPlan plan, string task, Guid? replaces = null) =>
        (await (await Planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, task, null, null, Sources(), replaces))).ReadNodeAs(201))["value"].Deserialize<DrawView>(HttpExtensions.Json)!;

    /// <summary>The 纪检's contribution hash makes the commitment final.</summary>
    public async Task<DrawView> Commit(DrawView proposed) =>
        await (await JijianA.PostJson($"/api/draws/{proposed.Id}/commitment", new CommitDraw(DisciplineContributionSha256, proposed.Version))).ReadAs<DrawView>();

    /// <summary>Past the sources' moment: each value entered by two people, then the discipline contribution revealed.</summary>
    public async Task<DrawView> Witness(DrawView committed, string value = "3 9 1")
    {
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        var view = committed;
        foreach (var source in committed.Sources)
        {
            await (await JijianA.PostJson($"/api/draws/{committed.Id}/randomness", new EnterRandomness(source.Name, value))).ShouldHaveStatus(200);
            view = await (await JijianB.PostJson($"/api/draws/{committed.Id}/randomness", new EnterRandomness(source.Name, value))).ReadAs<DrawView>();
        }
        return await (await JijianA.PostJson($"/api/draws/{committed.Id}/contribution", new RevealContribution(DisciplineContribution))).ReadAs<DrawView>();
    }

    public async Task<DrawView> Draw(AnnualPlan plan, string task, string witnessValue = "3 9 1")
    {
        var witnessed = await Witness(await Commit(await Schedule(plan, task)), witnessValue);
        return await (await Planner.PostJson($"/api/draws/{witnessed.Id}/draw", new PerformDraw(witnessed.Version))).ReadAs<DrawView>();
    }
}
