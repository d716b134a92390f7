using Supervision.Api.Draws;
using Supervision.Domain.Draws;
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

        // 1. Propose (pools frozen, randomness plan declared), then the 纪检's contribution hash makes the commitment final and public.
        var proposed = await scenario.Schedule(plan, taskNumber);
        Assert.Equal((DrawStatus.Proposed, 40, 6, DrawV2.Algorithm), (proposed.Status, proposed.PoolSize, proposed.InspectorPoolSize, proposed.Algorithm));
        await (await app.Anonymous().GetAsync($"/api/public/draws/{proposed.Id}/commitment")).ShouldHaveStatus(404);
        var scheduled = await scenario.Commit(proposed);
        Assert.Equal(DrawStatus.Scheduled, scheduled.Status);
        var commitment = await (await app.Anonymous().GetAsync($"/api/public/draws/{scheduled.Id}/commitment")).ReadNodeAs(200);
        Assert.Equal(scheduled.CommitmentSha256, commitment["commitmentSha256"]!.GetValue<string>());
        Assert.Equal(DrawV2.ContributionSha256(scenario.DisciplineContribution), Canonical.Lines(scheduled.Commitment)[^1].Split('|')[2]);
        await (await planner.PostJson($"/api/draws/{scheduled.Id}/draw", new PerformDraw(scheduled.Version))).ShouldHaveStatus(409); // no randomness yet

        // 2. The values, after their moment, each entered by two people; then the discipline contribution.
        var witnessed = await scenario.Witness(scheduled, " 福彩3D 2027045期  3 9 1 ");
        Assert.True(witnessed.DisciplineContributionRevealed);

        // 3. The draw.
        var drawn = await (await planner.PostJson($"/api/draws/{scheduled.Id}/draw", new PerformDraw(witnessed.Version))).ReadAs<DrawView>();
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

        // 4. Recusal: the replacement is the next in the committed ranking, and the act (with its reason) is chained.
        var first = drawn.Targets[0];
        var recused = first.Team[0]!.Value;
        var afterRecusal = await (await approver.PostJson($"/api/draws/{drawn.Id}/recusals",
            new RecuseInspector(first.TargetId, recused, "检查人员与该企业存在利害关系", drawn.Version))).ReadAs<DrawView>();
        var newTeam = afterRecusal.Targets.Single(t => t.TargetId == first.TargetId).Team;
        Assert.DoesNotContain(recused, newTeam.Cast<Guid>());
        Assert.Equal(2, newTeam.Distinct().Count());
        var published = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/commitment")).ReadAs<PublicDrawSummary>();
        Assert.Equal(afterRecusal.RecordSha256, published.RecordSha256);
        Assert.Equal(["commit", "randomness", "contribution", "contribution", "draw", "inspector"], published.Chain.Select(c => c.Kind));

        // 5. The record replays against the published hashes, here, through the API and (the same bytes) offline.
        var record = await (await planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.Contains(record.Acts, a => a.Contains("检查人员与该企业存在利害关系", StringComparison.Ordinal));
        Assert.NotNull(record.Actors);
        Assert.True(DrawV2.Verify(record, published.CommitmentSha256, published.RecordSha256).Matches);
        var verdict = await (await app.Anonymous().PostAsJsonAsync($"/api/draws/verify?expectCommitment={published.CommitmentSha256}&expectRecord={published.RecordSha256}",
            record, HttpExtensions.Json)).ReadAs<Verification>();
        Assert.True(verdict.Matches, verdict.Message);

        // 6. The directories change; the record, and its replay, do not.
        await ImportTargets(10, 8000);
        var later = await (await planner.GetAsync($"/api/draws/{drawn.Id}/record")).ReadAs<DrawRecordV2>();
        Assert.Equal(JsonSerializer.Serialize(record), JsonSerializer.Serialize(later));

        // 6b. Offline, the public record (no login) with nothing but the published hashes: the .NET tool and the independent Python tool agree.
        var publicRecord = await (await app.Anonymous().GetAsync($"/api/public/draws/{drawn.Id}/record")).ReadNodeAs(200);
        Assert.Null(publicRecord["actors"]);
        var folder = Directory.CreateTempSubdirectory("draw-record-").FullName;
        var path = Path.Combine(folder, "public.json");
        await File.WriteAllTextAsync(path, publicRecord.ToJsonString());
        var expect = new[] { "--expect-commitment", published.CommitmentSha256, "--expect-record", published.RecordSha256 };
        var (python, dotnet) = await Supervision.DrawVerifier.Tests.Verifiers.RunBoth(path, expect);
        Assert.True(dotnet.ExitCode == 0 && dotnet.Stdout.StartsWith("MATCH"), dotnet.ToString());
        if (Supervision.DrawVerifier.Tests.Verifiers.PythonMissing is null) Assert.True(python.ExitCode == 0 && python.Stdout.StartsWith("MATCH"), python.ToString());
        Directory.Delete(folder, recursive: true);

        // 7. One active draw per task; once drawn, a void needs a reason and a 纪检's countersignature, and the redo reuses the pools.
        Assert.Equal("draw.task.active", (await (await planner.PostJson("/api/draws", new ScheduleDraw(plan.Id, taskNumber, null, null, scenario.Sources()))).ReadNodeAs(409))["violations"]![0]!["rule"]!.GetValue<string>());
        await (await approver.PostJson($"/api/draws/{drawn.Id}/void", new RequestVoid("", null, afterRecusal.Version))).ShouldHaveStatus(400);
        var requested = await (await approver.PostJson($"/api/draws/{drawn.Id}/void", new RequestVoid("现场发现见证人未到场，经批准作废重抽", null, afterRecusal.Version))).ReadAs<DrawView>();
        Assert.Equal((DrawStatus.Drawn, "现场发现见证人未到场，经批准作废重抽"), (requested.Status, requested.PendingVoidReason));
        var voided = await (await scenario.JijianB.PostJson($"/api/draws/{drawn.Id}/void/countersignature", new CountersignVoid())).ReadAs<DrawView>();
        Assert.Equal((DrawStatus.Voided, true), (voided.Status, voided.VoidedAfterRandomness));
        var again = await scenario.Schedule(plan, taskNumber, replaces: drawn.Id);
        Assert.Equal((drawn.Id, drawn.PoolSize), (again.ReplacesDrawId!.Value, again.PoolSize));
        var all = (await (await planner.GetAsync($"/api/draws?planId={plan.Id}")).ReadAs<Supervision.Api.Infrastructure.PagedResult<DrawView>>()).Items;
        Assert.Contains(all, d => d.Id == drawn.Id && d.Status == DrawStatus.Voided);
    }

    [Fact]
    public async Task Targets_already_drawn_this_year_under_the_same_matter_are_excluded_with_that_reason()
    {
        await Use("XT-DRAW-B", "130522");
        await ImportTargets(30, 9000);
        foreach (var n in Enumerable.Range(1, 3)) await Inspector($"E-{n}", new DateOnly(2024, 1, 1));
        var (first, task1) = await ApprovedPlan("XT-DRAW-REPEAT");
        var drawn = await scenario.Draw(first, task1, "17 22 31");
        var draw1 = drawn;

        var (second, task2) = await ApprovedPlan("XT-DRAW-REPEAT");
        var draw2 = await scenario.Schedule(second, task2);
        var files = await (await planner.GetAsync($"/api/draws/{draw2.Id}/record")).ReadAs<DrawRecordV2>();
        foreach (var target in drawn.Targets)
            Assert.Contains($"X|target|{target.TargetId}|", files.Files.Exclusions);
        Assert.Contains("|drawn-this-year", files.Files.Exclusions);
        Assert.Equal(draw1.PoolSize - drawn.Targets.Count, draw2.PoolSize);
    }
}
