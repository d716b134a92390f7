using System.Security.Cryptography;
using System.Text;
using Supervision.Domain.Draws;
using Supervision.Domain.Kernel;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// Builds varied, valid supervision-draw/2 records deterministically from a seed, by driving the real pure decisions
/// (DrawRules) over an in-memory draw: proposal, commitment, two-person randomness entries, the discipline reveal, the
/// draw, recusals and replacements chosen valid for the current state, and sometimes a countersigned void. Non-ASCII,
/// '|' and '%' appear in identifiers, class names, values, descriptions and reasons.
/// </summary>
public static class RecordFactoryV2
{
    public const int Seeds = 220;
    public static readonly DateTimeOffset T0 = new(2027, 3, 1, 1, 0, 0, TimeSpan.Zero);

    public static IEnumerable<object[]> AllSeeds() => Enumerable.Range(0, Seeds).Select(s => new object[] { s });

    public static DrawActor Person(string userId, string role, Guid department, string region = "130500") =>
        new(new Actor(userId, userId + " (test)", role, department),
            DrawV2.ActorField(role, department, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Identity.Normalize(userId))))[..16]), region);

    public static DrawRecordV2 Build(int seed, int? targetCount = null, int? requests = null) => BuildDraw(seed, targetCount, requests).Record;

    public static (DrawRecordV2 Record, Draw Draw) BuildDraw(int seed, int? targetCount = null, int? requests = null, bool? partialTeams = null)
    {
        var rng = new Random(7_000_003 * (seed + 1));
        Guid NewId() => new(RecordFactory.Bytes(rng, 16));
        var drawId = NewId();
        var department = NewId();

        var departments = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => NewId()).Prepend(department).Distinct().ToList();
        var inspectors = Enumerable.Range(1, 3 + rng.Next(12)).Select(_ => new PoolInspector(NewId(), departments[rng.Next(departments.Count)], rng.Next(4) == 0, "")).ToList();

        var form = seed % 3;
        string[] classes = seed % 2 == 0 ? ["A", "B", "C|%", "甲", "-"] : ["A", "AB", "A-1", "Ω", "Z%7C"];
        DrawSampling sampling;
        Func<string> stratum = () => "*";
        if (form == 0) sampling = new DrawSampling(1 + rng.Next(6000), null, null);
        else if (form == 1) sampling = new DrawSampling(null, 1 + rng.Next(40), null);
        else
        {
            sampling = new DrawSampling(null, null, classes.Select(c => new ClassBasisPoints(c, 1 + rng.Next(5000))).ToList());
            stratum = () => classes[rng.Next(classes.Length)];
        }
        var count = targetCount ?? (seed % 10 == 9 ? 1200 : 5 + rng.Next(250));
        var targets = Enumerable.Range(1, count).Select(n => new PoolTarget(NewId(), RecordFactory.Identifier(rng, n), stratum())).ToList();
        var excludedInspector = NewId();
        var exclusions = new List<PoolExclusion>
        {
            new("target", NewId(), "91130500000999999X", "deregistered"),
            new("target", NewId(), "91130500000888888X", "no-credit-class"),
            new("inspector", excludedInspector, Canonical.Id(excludedInspector), "not-eligible-on-window"),
        };
        IReadOnlyList<TeamSlot> team = [];
        if (seed % 4 == 1 || (departments.Count > 1 && rng.Next(3) == 0))
            team = departments.Select(d => new TeamSlot(d, 1 + rng.Next(2))).ToList();
        var conflicts = Enumerable.Range(0, rng.Next(Math.Min(60, count))).Select(_ =>
            new PoolConflict(inspectors[rng.Next(inspectors.Count)].Id, targets[rng.Next(targets.Count)].Id)).Distinct().ToList();

        var sources = new List<RandomnessSourceDeclaration>
        {
            new("fc3d", DrawV2.Beacon, T0.AddHours(1), $"福彩3D 第2027{seed:D3}期开奖号码 | 100%"),
        };
        if (seed % 3 == 1) sources.Add(new("ceremony", DrawV2.Ceremony, T0.AddHours(2), "抽签仪式：局三楼会议室，纪检组 王某、公证员 李某 见证"));
        if (seed % 5 == 2) sources.Add(new("drand", DrawV2.Beacon, T0.AddHours(1).AddMinutes(30), "drand quicknet round 12345678"));

        var setup = new DrawSetup(drawId, $"2027{seed:D3}", $"2027{seed:D3}-0{1 + seed % 9}", 4000 + seed, sampling, 1 + rng.Next(3), team,
            seed % 5 == 0 ? 0 : rng.Next(5), seed % 6 == 2 ? 1 : 1 + rng.Next(5), new DateOnly(2027, 3, 1), new DateOnly(2027, 4, 30),
            partialTeams ?? true, seed % 4 == 3 ? DrawV2.RecordPublicAtInspectionsStart : DrawV2.RecordPublicImmediately, seed % 11 == 4 ? NewId() : null);

        var departmentHex = Convert.ToHexStringLower(RecordFactory.Bytes(rng, 32));
        var disciplineHex = Convert.ToHexStringLower(RecordFactory.Bytes(rng, 32));
        var proposal = DrawV2.Freeze(setup, targets, exclusions, inspectors, conflicts, sources, DrawV2.ContributionSha256(departmentHex));
        var planner = Person("planner-" + seed, Roles.Planner, department);
        var approver = Person("approver-" + seed, Roles.Approver, department);
        var jijianA = Person("jijian-a", Roles.DisciplineInspector, NewId());
        var jijianB = Person("JiJian-B", Roles.DisciplineInspector, NewId(), "130000");

        var draw = DrawRules.Evolve(null, new DrawScheduled(drawId, NewId(), department, setup.PlanNumber, setup.TaskNumber, 2027, [], proposal.CommitmentBase, "",
            setup.PoolAsOfSequence, targets.Count, inspectors.Count, exclusions.Count, planner.By, DrawV2.Algorithm, sources, "130521", setup.RecordPublic,
            setup.WindowFrom, setup.ReplacesDrawId, setup.PartialTeams))!;
        Draw Apply(Draw state, Decision decision) =>
            decision.IsRejected ? throw new InvalidOperationException($"seed {seed}: {string.Join("; ", decision.Errors.Select(e => e.Rule + ": " + e.Message))}")
                : decision.Events.Aggregate(state, (s, e) => DrawRules.Evolve(s, e)!);

        draw = Apply(draw, DrawRules.Decide(new CommitDraw(DrawV2.ContributionSha256(disciplineHex), 1), draw, T0.AddSeconds(1), jijianA));
        var at = T0.AddHours(3);
        foreach (var source in sources.OrderBy(_ => rng.Next()))
        {
            var value = Value(rng, seed);
            draw = Apply(draw, DrawRules.Decide(new EnterRandomness(source.Name, value), draw, at = at.AddSeconds(1 + rng.Next(100)), jijianA, Digest));
            draw = Apply(draw, DrawRules.Decide(new EnterRandomness(source.Name, "  " + value + "\u3000"), draw, at = at.AddSeconds(rng.Next(100)), jijianB, Digest));
        }
        draw = Apply(draw, DrawRules.Decide(new RevealContribution(disciplineHex), draw, at = at.AddMinutes(1), jijianB));
        if (seed % 17 == 5)
        {
            // Voided after the discipline reveal, before the draw: the void reveals the department's contribution too.
            draw = Apply(draw, DrawRules.DecideV2(new RequestVoid("抽取前发现名录错误", [], 0), draw, new HashSet<Guid>(), new HashSet<Guid>(), at = at.AddMinutes(1), approver));
            draw = Apply(draw, DrawRules.Decide(new CountersignVoid(), draw, at = at.AddMinutes(1), jijianA, departmentHex));
            return (DrawRules.RecordV2(draw, proposal.Files).Public(), draw);
        }
        var performed = DrawRules.DecideV2(new PerformDraw(0), draw, proposal.Files, departmentHex, at = at.AddMinutes(1), planner);
        if (performed.Errors.Any(e => e.Rule == "draw.team.short")) return BuildDraw(seed, targetCount, requests, partialTeams: true);
        draw = Apply(draw, performed);

        var wanted = requests ?? (seed % 3 == 0 ? 0 : 1 + rng.Next(4));
        for (var r = 0; r < wanted; r++)
        {
            var state = RecordFactory.CurrentTeams(draw.Outputs! with { Teams = draw.Outputs.Teams });
            if (state.Count == 0) break;
            var target = state.Keys.Order(StringComparer.Ordinal).ElementAt(rng.Next(state.Count));
            var members = state[target].Where(m => m != "-").ToList();
            var decision = members.Count > 0 && rng.Next(3) != 0
                ? DrawRules.DecideV2(new RecuseInspector(Guid.Parse(target), Guid.Parse(members[rng.Next(members.Count)]), " 与被检查企业负责人系亲属关系|回避% ", 0), draw, proposal.Files, at = at.AddMinutes(5), approver)
                : DrawRules.DecideV2(new ReplaceTarget(Guid.Parse(target), "已注销 | 100%", 0), draw, proposal.Files, at = at.AddMinutes(5), approver);
            draw = Apply(draw, decision);
        }
        if (seed % 13 == 7)
        {
            draw = Apply(draw, DrawRules.DecideV2(new RequestVoid("见证人未按规定到场，经批准作废", [], 0), draw, new HashSet<Guid>(), new HashSet<Guid>(), at = at.AddMinutes(1), approver));
            draw = Apply(draw, DrawRules.Decide(new CountersignVoid(), draw, at = at.AddMinutes(1), jijianA, departmentHex));
        }
        return (DrawRules.RecordV2(draw, proposal.Files).Public(), draw);
    }

    public static string Digest(string text) => Convert.ToHexStringLower(HMACSHA256.HashData("test value key"u8, Encoding.UTF8.GetBytes(text)));

    private static string Value(Random rng, int seed) => (seed % 5) switch
    {
        0 => $"  福彩3D 第2027{seed:D3}期 开奖号码  {rng.Next(10)} {rng.Next(10)} {rng.Next(10)} ",
        1 => $"\t体彩|排列3%\u00a0\u00a0{rng.Next(1000):D3}\n\r 公证员 cafe\u0301 ",
        2 => $"dice: {rng.Next(1, 7)}\u2003{rng.Next(1, 7)}\u3000\u3000{rng.Next(1, 7)}\u2028end\u001f",
        3 => $"{rng.Next(100000)}",
        _ => $" 摇号结果：{rng.Next(10)}|{rng.Next(10)}|{rng.Next(10)} 100% \u0085",
    };
}
