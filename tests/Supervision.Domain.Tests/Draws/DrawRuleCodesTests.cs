using Supervision.Domain.Draws;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// The draw refusals that waited for a test when the rule-code coverage check came (issue 18): each one produced by the real
/// decide or pool function and asserted by its rule code (docs/draw-algorithm.md, sections 1 and 11, for the /2 lifecycle).
/// </summary>
public sealed class DrawRuleCodesTests
{
    private static readonly Guid DrawId = Guid.NewGuid();
    private static readonly Guid Department = Guid.NewGuid();
    private static readonly DateTimeOffset Committed = new(2027, 3, 20, 2, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ValueAvailable = new(2027, 3, 25, 13, 30, 0, TimeSpan.Zero);
    private static readonly string DisciplineContribution = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private static readonly string DepartmentContribution = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private static readonly DrawActor Planner = ActorOf(Roles.Planner, "planner");
    private static readonly DrawActor Approver = ActorOf(Roles.Approver, "approver");
    private static readonly DrawActor JijianA = ActorOf(Roles.DisciplineInspector, "jijian-a");
    private static readonly DrawActor JijianB = ActorOf(Roles.DisciplineInspector, "jijian-b");

    private static DrawActor ActorOf(string role, string user) =>
        new(new Actor(user, user, role, Department), $"{role}:{Department}:{user}", "130521");

    private static DrawSetup Setup() => new(DrawId, "2027001", "2027001-01", 1, new DrawSampling(3000, null, null), 2, [], 0, 1,
        new DateOnly(2027, 4, 1), new DateOnly(2027, 5, 31), PartialTeams: false, RecordPublic: DrawV2.RecordPublicImmediately);

    private static readonly IReadOnlyList<PoolTarget> Targets =
        Enumerable.Range(1, 10).Select(n => new PoolTarget(Guid.NewGuid(), $"9113050000000000{n:D2}", "*")).ToList();

    private static readonly IReadOnlyList<PoolInspector> Inspectors =
        Enumerable.Range(1, 3).Select(n => new PoolInspector(Guid.NewGuid(), Department, false, "")).ToList();

    /// <summary>A /2 draw as scheduling records it: pools frozen, one beacon declared for <see cref="ValueAvailable"/>.</summary>
    private static DrawScheduled Scheduled()
    {
        var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, ValueAvailable, "福彩3D 第2027076期开奖号码") };
        var proposal = DrawV2.Freeze(Setup(), Targets, [], Inspectors, [], sources, DrawV2.ContributionSha256(DepartmentContribution));
        return new DrawScheduled(DrawId, Guid.Empty, Department, "2027001", "2027001-01", 2027, [], proposal.CommitmentBase, "", 1, Targets.Count,
            Inspectors.Count, 0, Planner.By, DrawV2.Algorithm, sources, "130521", DrawV2.RecordPublicImmediately, new DateOnly(2027, 4, 1), null, false);
    }

    private static DeciderSpec<Draw> Draw() => Decider.For<Draw>(DrawRules.Evolve, (d, v) => d with { Version = v });

    private static string Digest(string text) => text;

    /// <summary>Committed by a 纪检: the randomness may now be entered once its moment comes.</summary>
    private static DeciderSpec<Draw> CommittedDraw() => Draw().Given(Scheduled())
        .And(d => DrawRules.Decide(new CommitDraw(DrawV2.ContributionSha256(DisciplineContribution), 1), d!, Committed, JijianA));

    /// <summary>Every declared value recorded by two agreeing entries: the discipline contribution may now be revealed.</summary>
    private static DeciderSpec<Draw> WitnessedDraw() => CommittedDraw()
        .And(d => DrawRules.Decide(new EnterRandomness("fc3d", "3 9 1"), d!, ValueAvailable.AddMinutes(5), JijianA, Digest))
        .And(d => DrawRules.Decide(new EnterRandomness("fc3d", "3 9 1"), d!, ValueAvailable.AddMinutes(6), JijianB, Digest));

    [Fact]
    public void A_task_is_drawn_again_only_once_its_draw_is_voided_and_only_by_a_redo_when_its_randomness_existed()
    {
        var scheduled = DrawRules.Evolve(null, Scheduled())!;
        Assert.Equal("draw.task.active", DrawScheduling.CheckRedo("2027001-01", [scheduled], null)?.Rule);

        var voided = scheduled with { Status = DrawStatus.Voided };
        Assert.Null(DrawScheduling.CheckRedo("2027001-01", [voided], null));
        Assert.Null(DrawScheduling.CheckRedo("2027001-01", [voided], voided.Id));
        Assert.Equal("draw.redo.not-voided", DrawScheduling.CheckRedo("2027001-01", [voided], Guid.NewGuid())?.Rule);

        var voidedLate = voided with { VoidedAfterRandomness = true };
        Assert.Equal("draw.redo.required", DrawScheduling.CheckRedo("2027001-01", [voidedLate], null)?.Rule);
        var redo = voided with { Id = Guid.NewGuid(), ReplacesDrawId = voidedLate.Id };
        Assert.Null(DrawScheduling.CheckRedo("2027001-01", [voidedLate, redo], null));
        Assert.Equal("draw.redo.exists", DrawScheduling.CheckRedo("2027001-01", [voidedLate, redo], voidedLate.Id)?.Rule);
    }

    [Fact]
    public void The_discipline_contribution_is_revealed_only_after_every_declared_value_is_recorded()
    {
        CommittedDraw()
            .When(d => DrawRules.Decide(new RevealContribution(DisciplineContribution), d!, ValueAvailable.AddMinutes(1), JijianA))
            .ThenRefused("contribution.too-early", ErrorKind.Conflict);
    }

    [Fact]
    public void Bytes_that_do_not_hash_to_the_committed_contribution_are_refused_and_the_committed_bytes_are_accepted()
    {
        var witnessed = WitnessedDraw();
        var other = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        witnessed.When(d => DrawRules.Decide(new RevealContribution(other), d!, ValueAvailable.AddMinutes(10), JijianA))
            .ThenRefused("contribution.mismatch");
        // The committed hash itself instead of the bytes it hashes is refused too (it is public, so anyone could "reveal" it).
        witnessed.When(d => DrawRules.Decide(new RevealContribution(DrawV2.ContributionSha256(DisciplineContribution)), d!, ValueAvailable.AddMinutes(10), JijianA))
            .ThenRefused("contribution.mismatch");
        Assert.Contains(witnessed.When(d => DrawRules.Decide(new RevealContribution(DisciplineContribution), d!, ValueAvailable.AddMinutes(10), JijianA)).ThenAccepted(),
            e => e is ContributionRevealed { Party: DrawV2.DisciplineParty });
    }

    [Fact]
    public void The_discipline_contribution_is_revealed_once()
    {
        WitnessedDraw()
            .And(d => DrawRules.Decide(new RevealContribution(DisciplineContribution), d!, ValueAvailable.AddMinutes(10), JijianA))
            .When(d => DrawRules.Decide(new RevealContribution(DisciplineContribution), d!, ValueAvailable.AddMinutes(11), JijianB))
            .ThenRefused("contribution.revealed");
    }

    [Fact]
    public void A_draw_of_the_retired_algorithm_takes_no_v2_randomness_and_no_contribution()
    {
        var retired = Scheduled() with { Algorithm = null, Sources = null, CommitmentSha256 = "00" };
        var draw = Draw().Given(retired);
        Assert.Equal(DrawEngine.Algorithm, draw.State!.Algorithm);
        draw.When(d => DrawRules.Decide(new EnterRandomness("fc3d", "3 9 1"), d!, ValueAvailable.AddMinutes(5), JijianA, Digest))
            .ThenRefused("draw.algorithm.retired");
        draw.When(d => DrawRules.Decide(new RevealContribution(DisciplineContribution), d!, ValueAvailable.AddMinutes(5), JijianA))
            .ThenRefused("draw.algorithm.retired");
    }

    [Fact]
    public void Only_discipline_inspection_staff_commit_enter_randomness_and_countersign()
    {
        var proposed = Draw().Given(Scheduled());
        foreach (var notJijian in new[] { Planner, Approver })
            proposed.When(d => DrawRules.Decide(new CommitDraw(DrawV2.ContributionSha256(DisciplineContribution), 1), d!, Committed, notJijian))
                .ThenRefused("draw.discipline.role");
        CommittedDraw().When(d => DrawRules.Decide(new EnterRandomness("fc3d", "3 9 1"), d!, ValueAvailable.AddMinutes(5), Planner, Digest))
            .ThenRefused("draw.discipline.role");
        CommittedDraw().When(d => DrawRules.Decide(new CountersignVoid(), d!, Committed.AddMinutes(1), Approver, DepartmentContribution))
            .ThenRefused("draw.discipline.role");
    }

    [Fact]
    public void A_countersignature_needs_a_requested_void()
    {
        // Committed, nothing requested: the 纪检 has nothing to countersign (a countersignature never voids on its own).
        CommittedDraw()
            .When(d => DrawRules.Decide(new CountersignVoid(), d!, Committed.AddMinutes(1), JijianB, DepartmentContribution))
            .ThenRefused("draw.void.none-pending");
        // After the void was requested (randomness may exist) the same countersignature is accepted.
        Assert.Contains(WitnessedDraw()
            .And(d => DrawRules.DecideV2(new RequestVoid("见证人未到场", null, 4), d!, new HashSet<Guid>(), new HashSet<Guid>(), ValueAvailable.AddMinutes(20), Approver))
            .When(d => DrawRules.Decide(new CountersignVoid(), d!, ValueAvailable.AddMinutes(30), JijianB, DepartmentContribution)).ThenAccepted(),
            e => e is DrawVoided { AfterRandomness: true });
    }

    [Fact]
    public void A_void_names_at_most_1000_corrections()
    {
        var corrections = Enumerable.Range(0, 1001).Select(_ => new PoolCorrection("target", Guid.NewGuid())).ToList();
        var pool = corrections.Select(c => c.Id).ToHashSet();
        var error = CommittedDraw()
            .When(d => DrawRules.DecideV2(new RequestVoid("计划任务填写有误", corrections, 2), d!, pool, new HashSet<Guid>(), Committed.AddMinutes(1), Approver))
            .ThenRefused("draw.void.corrections.too-many", ErrorKind.Invalid);
        Assert.Equal("corrections", error.Field);
        // 1000 is the limit itself, not over it.
        CommittedDraw()
            .When(d => DrawRules.DecideV2(new RequestVoid("计划任务填写有误", corrections[..1000], 2), d!, pool, new HashSet<Guid>(), Committed.AddMinutes(1), Approver))
            .ThenAccepted();
    }

    private static readonly Guid Market = Guid.NewGuid();

    private static SamplingTask Task() => new("2026001-01", new TaskDefinition(
        "食品经营者抽查", TaskType.Undirected, Market, null, [new Participant(Market, [new MatterRef(Guid.NewGuid(), 1)])],
        new TargetFilter(RegionCode: "130500"), "邢台市食品经营企业", new SamplingRule(3m, null, null), 2,
        new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30)), false, null);

    /// <summary>An inspector as the directory folds it: registered, with a certificate valid over the whole window.</summary>
    private static Inspector InspectorOf(string staffCode, bool expert)
    {
        var id = Guid.NewGuid();
        var by = new Actor("keeper", "keeper", Roles.DirectoryKeeper, Market);
        return Decider.Fold<Inspector>(InspectorRules.Evolve,
            new InspectorRegistered(id, staffCode, "检查员" + staffCode, Market, "科员", "130500", expert, [], new DateOnly(2025, 1, 1), by),
            new CertificateAdded(id, "JA-" + staffCode, new DateOnly(2025, 1, 1), new DateOnly(2035, 12, 31), by));
    }

    [Fact]
    public void A_pool_of_experts_only_is_refused_because_experts_cannot_form_a_team_alone()
    {
        // DOMAIN 随机选派执法人员: experts assist; enough of them for a team of 2 is still no team.
        var experts = new[] { InspectorOf("EXP-1", expert: true), InspectorOf("EXP-2", expert: true), InspectorOf("EXP-3", expert: true) };
        var (pools, errors) = DrawPools.Build(Guid.NewGuid(), null!, Task(), 1, null, null, [], experts, new Dictionary<Guid, InspectionMatter>(), new HashSet<Guid>());
        Assert.Null(pools);
        var rules = errors.Select(e => e.Rule).ToList();
        Assert.Contains("draw.inspectors.experts-only", rules);
        Assert.DoesNotContain("draw.inspectors.insufficient", rules);

        // One non-expert among them is enough to lift this refusal (the empty scope still refuses the draw).
        var mixed = experts.Append(InspectorOf("STAFF-1", expert: false));
        var mixedRules = DrawPools.Build(Guid.NewGuid(), null!, Task(), 1, null, null, [], mixed, new Dictionary<Guid, InspectionMatter>(), new HashSet<Guid>())
            .Errors.Select(e => e.Rule).ToList();
        Assert.DoesNotContain("draw.inspectors.experts-only", mixedRules);
    }

    [Fact]
    public void Declared_conflicts_that_leave_a_target_without_a_full_team_make_the_draw_infeasible()
    {
        var target = Targets[0];
        // Two of the three inspectors are in conflict with the target: one is left for a team of two, whatever the randomness.
        var conflicts = Inspectors.Take(2).Select(i => new PoolConflict(i.Id, target.Id)).ToList();
        var errors = DrawPools.Shortfalls(new DrawPools.Pools(Setup(), Targets, [], Inspectors, conflicts));
        var error = Assert.Single(errors, e => e.Rule == "draw.team.infeasible");
        Assert.Contains(target.Identifier, error.Message);

        // With one conflict only, two free inspectors remain: no shortfall.
        Assert.DoesNotContain(DrawPools.Shortfalls(new DrawPools.Pools(Setup(), Targets, [], Inspectors, conflicts[..1])), e => e.Rule == "draw.team.infeasible");
    }
}
