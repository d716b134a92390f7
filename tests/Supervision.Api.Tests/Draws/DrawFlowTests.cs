using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using Supervision.Api.Draws;
using Supervision.Api.Tests.Harness;
using Supervision.Domain.Directories;
using Supervision.Domain.Draws;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Draws;

/// <summary>The draw through HTTP: schedule, commitment public, witnessed value, draw, teams, recusal, record, verification.</summary>
public sealed class DrawFlowTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private const int Year = 2027;
    private InspectionScenario scenario = null!;
    private Guid market;
    private HttpClient planner = null!;
    private HttpClient approver = null!;
    private HttpClient keeper = null!;
    private Dictionary<string, Guid> inspectors = null!;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Each test works in a county and department of its own, so tests sharing the host do not share pools.</summary>
    private async Task Use(string departmentCode, string countyCode)
    {
        scenario = await new InspectionScenario(app, departmentCode, countyCode, Year).Setup();
        (market, planner, approver, keeper, inspectors) = (scenario.Department, scenario.Planner, scenario.Approver, scenario.Keeper, scenario.Inspectors);
    }

    private Task<Guid> Inspector(string code, DateOnly issued, bool expert = false) => scenario.Inspector(code, issued, expert);

    private Task<(AnnualPlan Plan, string Task)> ApprovedPlan(string matterCode) => scenario.ApprovedPlan(matterCode);

    private Task ImportTargets(int count, int from) => scenario.ImportTargets(count, from);

    [Fact]
    public async Task Schedule_commit_witness_draw_recuse_and_verify_the_record()
    {
        await Use("XT-DRAW-A", "130521");
        await ImportTargets(40, 7000);
        foreach (var n in Enumerable.Range(1, 5)) await Inspector($"D-{n}", new DateOnly(2024, 1, 1));
        await Inspector("D-EXP", new DateOnly(2024, 1, 1), expert: true);
        await Inspector("D-LATE", new DateOnly(Year, 3, 15));   // certificate not yet valid when the window opens: never drawn
        var conflicted = inspectors["D-1"];
        var conflictTarget = TestData.CreditCode(7003);
        var d1 = await (await keeper.GetAsync($"/api/inspectors/{conflicted}")).ReadNodeAs(200);
        await (await keeper.PostJson($"/api/inspectors/{conflicted}/conflicts",
            new DeclareConflictOfInterest(ConflictRelation.Kinship, conflictTarget, null, "配偶任法定代表人", d1["version"]!.GetValue<long>()))).ShouldHaveStatus(200);
        var (plan, taskNumber) = await ApprovedPlan("XT-DRAW-SP");

        // 1. Freeze and commit.
        var scheduled = (await (await planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, taskNumber, null, null))).ReadNodeAs(201))["value"].Deserialize<DrawView>(HttpExtensions.Json)!;
        Assert.Equal((DrawStatus.Scheduled, 40, 6), (scheduled.Status, scheduled.PoolSize, scheduled.InspectorPoolSize));
        var commitment = await (await app.Anonymous().GetAsync($"/api/public/draws/{scheduled.Id}/commitment")).ReadNodeAs(200);
        Assert.Equal(scheduled.CommitmentSha256, commitment["commitmentSha256"]!.GetValue<string>());
        await (await planner.PostJson($"/api/draws/{scheduled.Id}/draw", new PerformDraw(1))).ShouldHaveStatus(409); // no randomness yet

        // 2. The witnessed value, entered after the commitment.
        var witness = app.ClientFor("jijian-zhang", Roles.DisciplineInspector, market);
        var withRandomness = await (await witness.PostJson($"/api/draws/{scheduled.Id}/randomness",
            new RecordRandomness("witness", " 福彩3D 2027045期  3 9 1 ", "纪检监察组 张某、公证员 李某"))).ReadAs<DrawView>();

        // 3. The draw.
        var drawn = await (await planner.PostJson($"/api/draws/{scheduled.Id}/draw", new PerformDraw(withRandomness.Version))).ReadAs<DrawView>();
        Assert.Equal(DrawStatus.Drawn, drawn.Status);
        Assert.Equal(4, drawn.Targets.Count); // 10% of 40
        foreach (var target in drawn.Targets)
        {
            Assert.Equal(2, target.Team.Distinct().Count());
            Assert.DoesNotContain(null, target.Team);
            Assert.DoesNotContain(inspectors["D-LATE"], target.Team.Cast<Guid>());
            Assert.Contains(target.Team, i => i != inspectors["D-EXP"]);
            if (target.TargetId == Target.IdFor(conflictTarget)) Assert.DoesNotContain(conflicted, target.Team.Cast<Guid>());
        }
        await using (var session = app.Store.QuerySession())
            Assert.NotNull((await session.LoadAsync<AnnualPlan>(plan.Id))!.Tasks[0].DrawId);

        // 4. Recusal: the replacement is the next in the committed ranking.
        var first = drawn.Targets[0];
        var recused = first.Team[0]!.Value;
        var afterRecusal = await (await approver.PostJson($"/api/draws/{drawn.Id}/recusals",
            new RecuseInspector(first.TargetId, recused, "检查人员与该企业存在利害关系", drawn.Version))).ReadAs<DrawView>();
        var newTeam = afterRecusal.Targets.Single(t => t.TargetId == first.TargetId).Team;
        Assert.DoesNotContain(recused, newTeam.Cast<Guid>());
        Assert.Equal(2, newTeam.Distinct().Count());

        // 5. The record replays, here and (the same bytes) offline.
        var record = await (await planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecord>();
        Assert.True(DrawEngine.Verify(record).Matches);
        var verdict = await (await app.Anonymous().PostAsJsonAsync("/api/draws/verify", record, HttpExtensions.Json)).ReadAs<Verification>();
        Assert.True(verdict.Matches, verdict.Message);

        var tampered = record with { Randomness = [record.Randomness[0] with { Raw = "3 9 2", Canonical = "3 9 2" }, .. record.Randomness.Skip(1)] };
        var refused = await (await app.Anonymous().PostAsJsonAsync("/api/draws/verify", tampered, HttpExtensions.Json)).ReadAs<Verification>();
        Assert.False(refused.Matches);
        Assert.StartsWith("outputs.", refused.Part);

        // 6. The directories change; the record, and its replay, do not.
        await ImportTargets(10, 8000);
        var later = await (await planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecord>();
        Assert.Equal(JsonSerializer.Serialize(record), JsonSerializer.Serialize(later));
        Assert.True(DrawEngine.Verify(later).Matches);

        // 6b. Offline, with nothing but the downloaded record: the .NET tool and the independent Python tool agree.
        var folder = Directory.CreateTempSubdirectory("draw-record-").FullName;
        var (python, dotnet) = await Supervision.DrawVerifier.Tests.Verifiers.RunBoth(Supervision.DrawVerifier.Tests.Verifiers.Write(later, folder, "record"));
        Assert.True(dotnet.ExitCode == 0 && dotnet.Stdout.Contains("MATCH"), dotnet.ToString());
        if (Supervision.DrawVerifier.Tests.Verifiers.PythonMissing is null) Assert.True(python.ExitCode == 0 && python.Stdout.Contains("MATCH"), python.ToString());
        var (pythonTampered, dotnetTampered) = await Supervision.DrawVerifier.Tests.Verifiers.RunBoth(Supervision.DrawVerifier.Tests.Verifiers.Write(tampered, folder, "tampered"));
        Assert.Equal(1, dotnetTampered.ExitCode);
        if (Supervision.DrawVerifier.Tests.Verifiers.PythonMissing is null) Assert.Equal(1, pythonTampered.ExitCode);
        Directory.Delete(folder, recursive: true);

        // 7. One active draw per task; voiding needs a reason, then a new commitment can be made.
        Assert.Equal("draw.task.active", (await (await planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, taskNumber, null, null))).ReadNodeAs(409))["violations"]![0]!["rule"]!.GetValue<string>());
        await (await approver.PostJson($"/api/draws/{drawn.Id}/void", new VoidDraw("", afterRecusal.Version))).ShouldHaveStatus(400);
        await (await approver.PostJson($"/api/draws/{drawn.Id}/void", new VoidDraw("现场发现见证人未到场，经批准作废重抽", afterRecusal.Version))).ShouldHaveStatus(200);
        var again = (await (await planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, taskNumber, null, null))).ReadNodeAs(201))["value"].Deserialize<DrawView>(HttpExtensions.Json)!;
        Assert.NotEqual(drawn.Id, again.Id);
        var all = await (await planner.GetAsync($"/api/draws?planId={plan.Id}")).ReadAs<List<DrawView>>();
        Assert.Contains(all, d => d.Id == drawn.Id && d.Status == DrawStatus.Voided);
    }

    [Fact]
    public async Task Targets_already_drawn_this_year_under_the_same_matter_are_excluded_with_that_reason()
    {
        await Use("XT-DRAW-B", "130522");
        await ImportTargets(30, 9000);
        foreach (var n in Enumerable.Range(1, 3)) await Inspector($"E-{n}", new DateOnly(2024, 1, 1));
        var (first, task1) = await ApprovedPlan("XT-DRAW-REPEAT");
        var draw1 = (await (await planner.PostJson("/api/draws", new ScheduleDraw(first.Id, task1, null, null))).ReadNodeAs(201))["value"].Deserialize<DrawView>(HttpExtensions.Json)!;
        var witnessed = await (await planner.PostJson($"/api/draws/{draw1.Id}/randomness", new RecordRandomness(null, "17 22 31", "纪检 王某"))).ReadAs<DrawView>();
        var drawn = await (await planner.PostJson($"/api/draws/{draw1.Id}/draw", new PerformDraw(witnessed.Version))).ReadAs<DrawView>();

        var (second, task2) = await ApprovedPlan("XT-DRAW-REPEAT");
        var draw2 = (await (await planner.PostJson("/api/draws", new ScheduleDraw(second.Id, task2, null, null))).ReadNodeAs(201))["value"].Deserialize<DrawView>(HttpExtensions.Json)!;
        var files = await (await planner.GetAsync($"/api/draws/{draw2.Id}/record")).ReadAs<DrawRecord>();
        foreach (var target in drawn.Targets)
            Assert.Contains($"X|target|{target.TargetId}|", files.Files.Exclusions);
        Assert.Contains("|drawn-this-year", files.Files.Exclusions);
        Assert.Equal(draw1.PoolSize - drawn.Targets.Count, draw2.PoolSize);
    }
}
