using System.Security.Cryptography;
using System.Text;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// The byte path (issue 14: freeze into canonical bytes, rank over UTF-8 slices with a bounded selection) against the string
/// path every recorded draw was made with: on random pools with rare characters, strata, empty pools and replacements, the
/// canonical bytes, the hashes, the selected targets, teams, batches and replacements are exactly the same.
/// </summary>
public sealed class ByteDrawTests
{
    private static readonly string[] Rare = ["𠮷", "䶮", "𪚥", "㐀", "é", "e\u0301", "|", "%", "%7C", "\n", "\r", "\uFFFD", "\uE000", "Ω", "A", "z", " ", "-", "*"];

    private static string RandomText(Random random, int maxLength)
    {
        var builder = new StringBuilder();
        var length = random.Next(0, maxLength + 1);
        for (var i = 0; i < length; i++) builder.Append(random.Next(3) == 0 ? Rare[random.Next(Rare.Length)] : ((char)('0' + random.Next(10))).ToString());
        return builder.ToString();
    }

    private static List<PoolTarget> Pool(Random random, int count, string[]? strata) =>
        Enumerable.Range(0, count).Select(_ => new PoolTarget(Guid.NewGuid(), RandomText(random, 12), strata is null ? "*" : strata[random.Next(strata.Length)])).ToList();

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_canonical_writer_gives_the_bytes_and_hash_of_the_string_file(int seed)
    {
        var random = new Random(seed);
        string[]? strata = seed % 3 == 0 ? null : ["A", "B", "-", "𠮷", "䶮", "㐀", "a|b", "e\u0301"];
        var targets = Pool(random, seed % 7 == 0 ? 0 : random.Next(1, 400), strata);
        var expected = Canonical.File(targets.Select(t => Canonical.Line("T", t.Stratum, Canonical.Id(t.Id), t.Identifier)));
        foreach (var order in new[] { targets, targets.OrderBy(t => Canonical.Line("T", t.Stratum, Canonical.Id(t.Id), t.Identifier), Canonical.Utf8ByteOrder.Instance).ToList() })
        {
            var writer = new CanonicalTargetsWriter(16);
            foreach (var t in order) writer.Add(t.Stratum, t.Id, t.Identifier);
            var (bytes, length, sha) = writer.Complete();
            Assert.Equal(Canonical.Utf8.GetBytes(expected), bytes.AsSpan(0, length).ToArray());
            Assert.Equal(Canonical.Sha256Hex(expected), sha);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_byte_draw_selects_exactly_what_the_string_draw_selects(int seed)
    {
        var random = new Random(seed);
        var byClass = seed % 2 == 1;
        string[] classes = ["A", "B", "𠮷", "-"];
        var targets = Pool(random, seed % 10 == 0 ? 0 : random.Next(2, 600), byClass ? classes : null);
        var inspectors = DrawEngineTests.Inspectors(12, expert: n => n % 5 == 0);
        var conflicts = targets.Take(20).Select((t, i) => new PoolConflict(inspectors[i % inspectors.Count].Id, t.Id)).ToList();
        var sampling = byClass
            ? new DrawSampling(null, null, classes.Select((c, i) => new ClassBasisPoints(c, 500 + 1500 * i)).ToList())
            : seed % 4 == 0 ? new DrawSampling(null, random.Next(1, 50), null) : new DrawSampling(random.Next(1, 10001), null, null);
        var setup = DrawEngineTests.Setup(sampling, loadCap: seed % 3 == 0 ? 0 : 200, batches: 1 + seed % 3);
        var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D 𠮷") };
        var proposal = DrawV2.Freeze(setup, targets, [], inspectors, conflicts, sources, DrawV2.ContributionSha256(DrawEngineTests.Secret));
        var prk = RandomNumberGenerator.GetBytes(32);

        var reference = DrawEngine.RunReference(proposal.Files, prk, []);
        Assert.Equal(reference, DrawEngine.Run(proposal.Files, prk, []));
        var bytes = Canonical.Utf8.GetBytes(proposal.Files.Targets);
        Assert.Equal(reference, DrawEngine.Run(proposal.Files with { Targets = "" }, bytes, prk, []));

        // Replacements read deeper into a stratum's ranking than its quota: the bounded selection must keep enough.
        var selected = Canonical.Lines(reference.Targets).Select(l => l.Split('|')[3]).ToList();
        var teams = Canonical.Lines(reference.Teams).Select(l => l.Split('|')).Where(f => f[3] != "-").ToList();
        var requests = new List<ReplacementRequest>();
        foreach (var id in selected.OrderBy(_ => random.Next()).Take(random.Next(0, 6)))
            requests.Add(new ReplacementRequest("target", Guid.Parse(id), null, "注销"));
        if (teams.Count > 0 && !requests.Any(r => Canonical.Id(r.TargetId) == teams[0][1]))
            requests.Add(new ReplacementRequest("inspector", Guid.Parse(teams[0][1]), Guid.Parse(teams[0][3]), "回避"));
        var expected = DrawEngine.RunReference(proposal.Files, prk, requests);
        Assert.Equal(expected, DrawEngine.Run(proposal.Files with { Targets = "" }, bytes, prk, requests));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void The_byte_checks_accept_and_refuse_what_the_string_checks_do(int seed)
    {
        var random = new Random(seed);
        var targets = Pool(random, random.Next(0, 60), seed % 2 == 0 ? null : ["A", "𪚥", "-"]);
        var file = Canonical.File(targets.Select(t => Canonical.Line("T", t.Stratum, Canonical.Id(t.Id), t.Identifier)));
        var lines = Canonical.Lines(file);
        var variants = new List<string> { file };
        if (lines.Length > 1) variants.Add(string.Concat(lines.Reverse().Select(l => l + "\n")));
        if (lines.Length > 0)
        {
            variants.Add(file + lines[^1] + "\n");
            variants.Add(file.Replace("\n", "\r\n"));
            variants.Add("\uFEFF" + file);
            variants.Add(file[..^1]);
            variants.Add(file.Replace("\n", "e\u0301\n"));
            variants.Add(file.Replace("\n", "%\n"));
            variants.Add(file.Replace("\n", "%7c\n"));
            variants.Add(file.Replace("T|", "T|x|"));
            variants.Add(file.Replace("-4", "-X"));
        }
        foreach (var text in variants)
        {
            var reference = Canonical.FileProblem(text, f => f is ["T", _, var id, _] && CanonicalUtf8.IsUuid(Encoding.ASCII.GetBytes(id)) && Guid.TryParse(id, out _));
            Assert.Equal(reference is null, CanonicalUtf8.TargetsFileProblem(Canonical.Utf8.GetBytes(text)) is null);
        }
    }
}
