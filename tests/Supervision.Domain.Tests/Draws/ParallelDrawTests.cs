using System.Security.Cryptography;
using System.Text;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// Issue 14: the draw's keys are computed on several workers and eight labels per vector. Neither may change a byte: on
/// random pools (rare characters, credit-class strata, several strata per worker, conflicts, load caps, joint teams, batches,
/// recusals and target replacements), every partitioning and either HMAC path give the outputs of one worker with one
/// platform HMAC per label, and so the same record.
/// </summary>
public sealed class ParallelDrawTests
{
    private static readonly string[] Rare = ["𠮷", "䶮", "𪚥", "㐀", "é", "e\u0301", "|", "%", "\n", "\uE000", "Ω", " ", "-", "*"];

    private static string RandomText(Random random, int maxLength)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, maxLength + 1);
        for (var i = 0; i < length; i++) builder.Append(random.Next(3) == 0 ? Rare[random.Next(Rare.Length)] : ((char)('0' + random.Next(10))).ToString());
        return builder.ToString();
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 24).Select(s => new object[] { s });

    private static readonly DrawComputation[] Computations =
    [
        new(1, true, 1), new(2, false, 1), new(2, true, 1), new(3, true, 1), new(7, true, 1), new(64, true, 1), DrawComputation.Default,
    ];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_partitioning_and_HMAC_path_gives_the_sequential_outputs(int seed)
    {
        var random = new Random(seed);
        string[] classes = ["A", "B", "𠮷", "-", "a long credit class name that takes the label past one SHA-256 block"];
        var byClass = seed % 2 == 1;
        var targets = Enumerable.Range(0, seed % 8 == 0 ? 0 : random.Next(1, 900))
            .Select(_ => new PoolTarget(Guid.NewGuid(), RandomText(random, 14), byClass ? classes[random.Next(classes.Length)] : "*")).ToList();
        var departments = new[] { Guid.NewGuid(), Guid.NewGuid() };
        var inspectors = DrawEngineTests.Inspectors(random.Next(3, 30), department: n => departments[n % 2], expert: n => n % 4 == 0);
        var conflicts = targets.Where(_ => random.Next(5) == 0).Select(t => new PoolConflict(inspectors[random.Next(inspectors.Count)].Id, t.Id)).Distinct().ToList();
        var sampling = byClass
            ? new DrawSampling(null, null, classes.Select((c, i) => new ClassBasisPoints(c, 700 + 1900 * i)).ToList())
            : seed % 4 == 0 ? new DrawSampling(null, random.Next(1, 80), null) : new DrawSampling(random.Next(100, 10001), null, null);
        IReadOnlyList<TeamSlot>? team = seed % 3 == 2 ? [new TeamSlot(departments[0], 1), new TeamSlot(departments[1], 2)] : null;
        var setup = DrawEngineTests.Setup(sampling, loadCap: seed % 3 == 0 ? 0 : random.Next(1, 40), batches: 1 + seed % 4, team: team);
        var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D") };
        var proposal = DrawV2.Freeze(setup, targets, [], inspectors, conflicts, sources, DrawV2.ContributionSha256(DrawEngineTests.Secret));
        var files = proposal.Files with { Targets = "" };
        var bytes = Canonical.Utf8.GetBytes(proposal.Files.Targets);
        var prk = RandomNumberGenerator.GetBytes(32);

        var sequential = DrawEngine.Run(files, bytes, prk, [], DrawComputation.Sequential);
        var teams = Canonical.Lines(sequential.Teams).Select(l => l.Split('|')).Where(f => f[3] != "-").ToList();
        var requests = new List<ReplacementRequest>();
        foreach (var line in Canonical.Lines(sequential.Targets).OrderBy(_ => random.Next()).Take(random.Next(0, 5)))
            requests.Add(new ReplacementRequest("target", Guid.Parse(line.Split('|')[3]), null, "注销"));
        foreach (var member in teams.OrderBy(_ => random.Next()).Take(random.Next(0, 3)))
            if (!requests.Any(r => Canonical.Id(r.TargetId) == member[1]))
                requests.Add(new ReplacementRequest("inspector", Guid.Parse(member[1]), Guid.Parse(member[3]), "回避"));
        var sequentialWithActs = DrawEngine.Run(files, bytes, prk, requests, DrawComputation.Sequential);

        foreach (var computation in Computations)
        {
            Assert.Equal(sequential, DrawEngine.Run(files, bytes, prk, [], computation));
            Assert.Equal(sequentialWithActs, DrawEngine.Run(files, bytes, prk, requests, computation));
        }
        Assert.Equal(DrawEngine.RunReference(proposal.Files, prk, requests), sequentialWithActs);
    }
}
