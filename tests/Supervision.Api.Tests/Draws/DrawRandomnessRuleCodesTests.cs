using Supervision.Api.Draws;
using Supervision.Domain.Draws;

namespace Supervision.Api.Tests.Draws;

/// <summary>The /2 draw refuses a value that is only white space, and a draw before its randomness exists (docs/draw-algorithm.md, section 1).</summary>
public sealed class DrawRandomnessRuleCodesTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static async Task<List<string>> Rules(HttpResponseMessage response, int status) =>
        (await response.ReadNodeAs(status))["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_blank_value_and_a_draw_before_its_randomness_are_refused()
    {
        var s = await new InspectionScenario(app, "RC-V2", "130543", 2027).Setup();
        await s.ImportTargets(30, 54300);
        foreach (var n in Enumerable.Range(1, 4)) await s.Inspector($"RC-V2-{n}", new DateOnly(2024, 1, 1));
        var (plan, task) = await s.ApprovedPlan("RC-V2-M");
        var committed = await s.Commit(await s.Schedule(plan, task));
        Assert.Equal(["draw.randomness.missing"], await Rules(await s.Planner.PostJson($"/api/draws/{committed.Id}/draw", new PerformDraw(committed.Version)), 409));
        app.AdvanceClock(TimeSpan.FromMinutes(2));
        Assert.Equal(["randomness.value"], await Rules(await s.JijianA.PostJson($"/api/draws/{committed.Id}/randomness", new EnterRandomness("fc3d", " \u3000 ")), 400));
    }
}

