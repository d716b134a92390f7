using System.Security.Cryptography;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// Builds varied, valid draw records through the public engine API, deterministically from a seed:
/// ratio / fixed / per-class sampling (with a class that has no ratio line, a class line without targets and a '-' stratum),
/// joint teams, experts, conflicts, load caps, batches, recusals and target replacements taken from the current state,
/// non-ASCII and '|' / '%' in identifiers, staff codes, labels, class names and witness values, several witness sources.
/// </summary>
public static class RecordFactory
{
    public const int Seeds = 60;

    public static IEnumerable<object[]> AllSeeds() => Enumerable.Range(0, Seeds).Select(s => new object[] { s });

    public static DrawRecord Build(int seed, int? targetCount = null, int? requests = null, bool specialClasses = false)
    {
        var rng = new Random(1_000_003 * (seed + 1));
        Guid NewId() => new(Bytes(rng, 16));
        var drawId = NewId();

        // Departments and inspectors.
        var departments = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => NewId()).ToList();
        var inspectors = Enumerable.Range(1, 3 + rng.Next(12)).Select(n => new PoolInspector(
            NewId(), departments[rng.Next(departments.Count)], rng.Next(4) == 0, StaffCode(rng, n))).ToList();

        // Sampling and strata.
        var form = specialClasses ? 2 : seed % 3;
        // "A", "AB", "A-1": one stratum name is a prefix of others, so "stratum, then rank" and the bytewise order of the lines differ.
        // Class names with '|' or '%' are left to Class_names_with_escaped_characters_match_in_both_verifiers (see there).
        string[] classes = specialClasses ? ["A", "%7C", "B|%c", "甲", "Z|"] : seed % 2 == 0 ? ["A", "B", "C", "D", "甲", "E"] : ["A", "AB", "A-1", "Ω", "B2", "Z"];
        DrawSampling sampling;
        Func<string> stratum = () => "*";
        if (form == 0)
            sampling = new DrawSampling(1 + rng.Next(6000), null, null);
        else if (form == 1)
            sampling = new DrawSampling(null, rng.Next(40), null);
        else
        {
            // The last class has targets but no ratio line; "未用" has a ratio line but no targets; '-' is a target without a class.
            var lines = classes.Take(classes.Length - 1).Select(c => new ClassBasisPoints(c, rng.Next(5000))).Append(new ClassBasisPoints("未用", 700)).ToList();
            sampling = new DrawSampling(null, null, lines);
            stratum = () => rng.Next(8) == 0 ? "-" : classes[rng.Next(classes.Length)];
        }

        var count = targetCount ?? (seed % 10 == 9 ? 1200 : 5 + rng.Next(250));
        var targets = Enumerable.Range(1, count).Select(n => new PoolTarget(NewId(), Identifier(rng, n), stratum())).ToList();
        var exclusions = new List<PoolExclusion>
        {
            new("target", NewId(), "91130500000999999X", "deregistered"),
            new("inspector", NewId(), "检查员|停用%", "suspended"),
        };

        // Teams: a joint composition (sometimes with a department that has no inspector), or a plain size.
        IReadOnlyList<TeamSlot> team = [];
        if (seed % 4 == 1 || (departments.Count > 1 && rng.Next(3) == 0))
        {
            team = departments.Select(d => new TeamSlot(d, 1 + rng.Next(2))).ToList();
            if (seed % 8 == 5) team = team.Append(new TeamSlot(NewId(), 1)).ToList();
        }
        var perTarget = 1 + rng.Next(3);
        var loadCap = seed % 5 == 0 ? 0 : rng.Next(5);
        var batches = seed % 6 == 2 ? 1 : 1 + rng.Next(5);

        var conflicts = Enumerable.Range(0, rng.Next(Math.Min(60, count))).Select(_ =>
            new PoolConflict(inspectors[rng.Next(inspectors.Count)].Id, targets[rng.Next(targets.Count)].Id)).Distinct().ToList();

        var setup = new DrawSetup(drawId, $"2026{seed:D3}", $"2026{seed:D3}-0{1 + seed % 9}", 4000 + seed, sampling, perTarget, team,
            loadCap, batches, new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));

        // Randomness: the server secret (sometimes upper case with white space around it), one to three witness-like sources.
        var secret = Convert.ToHexStringLower(Bytes(rng, 32));
        var secretRaw = seed % 3 == 1 ? $"  {secret.ToUpperInvariant()}\t" : secret;
        var sources = new List<RandomnessSource> { Source("server-secret", secretRaw) };
        sources.Add(Source("witness", Witness(rng, seed)));
        if (seed % 4 == 3) sources.Add(Source("witness", Witness(rng, seed + 1000)));
        if (seed % 7 == 6) sources.Add(Source("drand", $" round 4242\u3000{Convert.ToHexStringLower(Bytes(rng, 8))} "));
        if (rng.Next(2) == 0) sources.Reverse();

        var frozen = DrawEngine.Freeze(setup, targets, exclusions, inspectors, conflicts,
            Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(secret))));
        var prk = DrawEngine.DeriveKey(frozen.Commitment, sources);

        // Replacement requests, each chosen valid for the state the previous ones left.
        var wanted = requests ?? (seed % 3 == 0 ? 0 : 1 + rng.Next(4));
        var replacements = new List<ReplacementRequest>();
        var outputs = DrawEngine.Run(frozen.Files, prk, replacements);
        for (var r = 0; r < wanted; r++)
        {
            var state = CurrentTeams(outputs);
            if (state.Count == 0) break;
            var target = state.Keys.Order(StringComparer.Ordinal).ElementAt(rng.Next(state.Count));
            var members = state[target].Where(m => m != "-").ToList();
            replacements.Add(members.Count > 0 && rng.Next(3) != 0
                ? new ReplacementRequest("inspector", Guid.Parse(target), Guid.Parse(members[rng.Next(members.Count)]), "与被检查企业负责人系亲属关系|回避%")
                : new ReplacementRequest("target", Guid.Parse(target), null, "已注销 | 100%"));
            outputs = DrawEngine.Run(frozen.Files, prk, replacements);
        }

        return new DrawRecord(DrawEngine.Algorithm, drawId, frozen.Files, frozen.Commitment, frozen.CommitmentSha256, sources, replacements, outputs);
    }

    /// <summary>The current team of every currently selected target, from the initial teams and the replacement lines.</summary>
    public static Dictionary<string, string[]> CurrentTeams(DrawOutputs outputs)
    {
        var teams = Lines(outputs.Teams).Select(l => l.Split('|')).GroupBy(f => f[1])
            .ToDictionary(g => g.Key, g => g.OrderBy(f => f[2], StringComparer.Ordinal).Select(f => f[3]).ToArray());
        foreach (var step in Lines(outputs.Replacements).Select(l => l.Split('|')).GroupBy(f => f[1]).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var f in step.Where(f => f[2] == "inspector"))
            {
                var members = teams[f[3]];
                members[Array.IndexOf(members, f[4])] = f[5];
            }
            foreach (var f in step.Where(f => f[2] == "target"))
            {
                teams.Remove(f[3]);
                if (f[4] != "-")
                    teams[f[4]] = step.Where(m => m[2] == "member" && m[3] == f[4]).OrderBy(m => m[4], StringComparer.Ordinal).Select(m => m[5]).ToArray();
            }
        }
        return teams;
    }

    public static string[] Lines(string file) => file.Length == 0 ? [] : file.TrimEnd('\n').Split('\n');

    private static RandomnessSource Source(string source, string raw) => new(source, raw, DrawEngine.CanonicalRandomness(source, raw));

    internal static byte[] Bytes(Random rng, int count)
    {
        var bytes = new byte[count];
        rng.NextBytes(bytes);
        return bytes;
    }

    internal static string Identifier(Random rng, int n) => rng.Next(5) switch
    {
        0 => $"个体工商户/张三|李四%{n}",
        1 => $"Kind/cafe\u0301-{n}",
        2 => $"9113050{n:D10}X",
        _ => $"91130500MA{n:D8}",
    };

    private static string StaffCode(Random rng, int n) => rng.Next(4) switch
    {
        0 => $"检查员|{n}%",
        1 => $"XT-{n:D3} 李\u3000四",
        _ => $"XT-{n:D3}",
    };

    private static string Witness(Random rng, int seed) => (seed % 5) switch
    {
        0 => $"  福彩3D 第2026{seed:D3}期 开奖号码  {rng.Next(10)} {rng.Next(10)} {rng.Next(10)} ",
        1 => $"\t体彩|排列3%\u00a0\u00a0{rng.Next(1000):D3}\n\r 公证员 cafe\u0301 ",
        2 => $"dice: {rng.Next(1, 7)}\u2003{rng.Next(1, 7)}\u3000\u3000{rng.Next(1, 7)}\u2028end",
        3 => $"{rng.Next(100000)}",
        _ => $" 摇号结果：{rng.Next(10)}|{rng.Next(10)}|{rng.Next(10)} 100% \u0085",
    };
}
