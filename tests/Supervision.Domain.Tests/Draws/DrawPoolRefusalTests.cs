using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// What refuses a draw's pools before anything is frozen (DrawPools.Build): settings out of range, a ratio that cannot be drawn exactly,
/// no target in scope, too few eligible inspectors for a team (at least 2 per inspection, DOMAIN 随机选派执法人员).
/// </summary>
public sealed class DrawPoolRefusalTests
{
    private static readonly Guid Market = Guid.NewGuid();

    private static SamplingTask Task(decimal ratio = 3m) => new("2026001-01", new TaskDefinition(
        "食品经营者抽查", TaskType.Undirected, Market, null, [new Participant(Market, [new MatterRef(Guid.NewGuid(), 1)])],
        new TargetFilter(RegionCode: "130500"), "邢台市食品经营企业", new SamplingRule(ratio, null, null), 2,
        new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30)), false, null);

    /// <summary>The plan is read only once the pools are built, so a refusal needs none.</summary>
    private static IReadOnlyList<string> Refusals(SamplingTask task, int? loadCap = null, int? batches = null) =>
        DrawPools.Build(Guid.NewGuid(), null!, task, 1, loadCap, batches, [], [], new Dictionary<Guid, InspectionMatter>(), new HashSet<Guid>())
            .Errors.Select(e => e.Rule).ToList();

    [Fact]
    public void An_empty_scope_and_a_department_without_enough_eligible_inspectors_are_refused_together()
    {
        var rules = Refusals(Task());
        Assert.Contains("draw.pool.empty", rules);
        Assert.Contains("draw.inspectors.insufficient", rules);
    }

    [Fact]
    public void A_load_cap_below_zero_batches_outside_1_to_100_and_a_ratio_finer_than_hundredths_are_refused()
    {
        var rules = Refusals(Task(ratio: 2.555m), loadCap: -1, batches: 0);
        Assert.Contains("draw.load-cap", rules);
        Assert.Contains("draw.batches", rules);
        Assert.Contains("draw.ratio.precision", rules);
        Assert.Contains("draw.batches", Refusals(Task(), batches: 101));
    }
}
