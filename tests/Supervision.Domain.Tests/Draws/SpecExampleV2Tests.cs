using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>The worked example of docs/draw-algorithm.md, section 12 (supervision-draw/2): this implementation must produce exactly it.</summary>
public sealed class SpecExampleV2Tests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly Guid DrawId = new("00000000-0000-4000-8000-000000000002");
    private static readonly Guid Department = new("00000000-0000-4000-8000-0000000000d1");
    private static readonly DateTimeOffset Committed = new(2027, 3, 20, 2, 0, 0, TimeSpan.Zero);
    public const string DepartmentContribution = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    public const string DisciplineContribution = "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";

    private static DrawActor Actor(string role, string department, string digest) =>
        new(new Actor(digest, role, role, Guid.Parse(department)), $"{role}:{department}:{digest}", "130521");

    /// <summary>The example: 10 targets, 30%, 4 inspectors (the 4th an expert), one conflict, one beacon, a recusal.</summary>
    public static (DrawRecordV2 Record, byte[] Prk) Example()
    {
        var setup = new DrawSetup(DrawId, "2027001", "2027001-01", 4242, new DrawSampling(3000, null, null), 2, [], 0, 1,
            new DateOnly(2027, 4, 1), new DateOnly(2027, 5, 31), PartialTeams: false, RecordPublic: DrawV2.RecordPublicImmediately);
        var targets = Enumerable.Range(1, 10).Select(n => new PoolTarget(new Guid($"10000000-0000-4000-8000-0000000000{n:D2}"), $"9113050000000000{n:D2}", "*")).ToList();
        var inspectors = Enumerable.Range(1, 4).Select(n => new PoolInspector(new Guid($"20000000-0000-4000-8000-00000000000{n}"), Department, n == 4, "")).ToList();
        var sources = new[] { new RandomnessSourceDeclaration("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D 第2027076期开奖号码") };
        var proposal = DrawV2.Freeze(setup, targets,
            [new PoolExclusion("target", new Guid("10000000-0000-4000-8000-000000999999"), "91130500000999999X", "deregistered")],
            inspectors, [new PoolConflict(inspectors[0].Id, targets[2].Id)], sources, DrawV2.ContributionSha256(DepartmentContribution));
        var planner = Actor(Roles.Planner, "00000000-0000-4000-8000-0000000000d1", "1111111111111111");
        var approver = Actor(Roles.Approver, "00000000-0000-4000-8000-0000000000d1", "2222222222222222");
        var jijianA = Actor(Roles.DisciplineInspector, "00000000-0000-4000-8000-0000000000e1", "3333333333333333");
        var jijianB = Actor(Roles.DisciplineInspector, "00000000-0000-4000-8000-0000000000e1", "4444444444444444");
        var draw = DrawRules.Evolve(null, new DrawScheduled(DrawId, Guid.Empty, Department, "2027001", "2027001-01", 2027, [], proposal.CommitmentBase, "", 4242, 10, 4, 1,
            planner.By, DrawV2.Algorithm, sources, "130521", DrawV2.RecordPublicImmediately, setup.WindowFrom, null, false))!;
        static Draw Apply(Draw d, Decision decision) => decision.IsRejected ? throw new InvalidOperationException(decision.Errors[0].Message)
            : decision.Events.Aggregate(d, (s, e) => DrawRules.Evolve(s, e)!);
        static string Digest(string text) => text;
        draw = Apply(draw, DrawRules.Decide(new CommitDraw(DrawV2.ContributionSha256(DisciplineContribution), 1), draw, Committed, jijianA));
        draw = Apply(draw, DrawRules.Decide(new EnterRandomness("fc3d", "  3 9 1 "), draw, new DateTimeOffset(2027, 3, 25, 13, 35, 0, TimeSpan.Zero), jijianA, Digest));
        draw = Apply(draw, DrawRules.Decide(new EnterRandomness("fc3d", "3\u30009 1"), draw, new DateTimeOffset(2027, 3, 25, 13, 36, 0, TimeSpan.Zero), jijianB, Digest));
        draw = Apply(draw, DrawRules.Decide(new RevealContribution(DisciplineContribution), draw, new DateTimeOffset(2027, 3, 25, 14, 0, 0, TimeSpan.Zero), jijianA));
        draw = Apply(draw, DrawRules.DecideV2(new PerformDraw(0), draw, proposal.Files, DepartmentContribution, new DateTimeOffset(2027, 3, 25, 14, 5, 0, TimeSpan.Zero), planner));
        var first = Canonical.Lines(draw.Outputs!.Teams)[0].Split('|');
        draw = Apply(draw, DrawRules.DecideV2(new RecuseInspector(Guid.Parse(first[1]), Guid.Parse(first[3]), "配偶任该企业法定代表人", 0), draw, proposal.Files,
            new DateTimeOffset(2027, 3, 26, 1, 0, 0, TimeSpan.Zero), approver));
        var record = DrawRules.RecordV2(draw, proposal.Files).Public();
        var prk = DrawV2.DeriveKey(record.Commitment, DrawV2.RandomnessText([("fc3d", "3 9 1")], DepartmentContribution, DisciplineContribution));
        return (record, prk);
    }

    [Fact]
    public void The_worked_example_is_reproduced_byte_for_byte()
    {
        var (record, prk) = Example();
        if (Environment.GetEnvironmentVariable("DRAW_V2_WRITE_EXAMPLE") is "1")
            File.WriteAllText(SpecExampleTests.Docs("draw-algorithm.md").Replace("draw-algorithm.md", "draw-example-record.json"), JsonSerializer.Serialize(record, Json) + "\n");
        Assert.Equal("310c873d7af4ab2199c8e9fea0a02bb3a9c0b564a18669be29187aa591055912", record.CommitmentSha256);
        Assert.Equal("7d58a8f8c8639b1aec2ed55302d3dc2a5aa1eb4bbe82f8f104adbe2b415eefad", Convert.ToHexStringLower(prk));
        Assert.Equal("64a13f44abbb327ef4e493312f9b2da727642b9a90817150d87d459b6ba03c6a", record.RecordSha256);
        Assert.True(DrawV2.Verify(record, record.CommitmentSha256, record.RecordSha256).Matches);
        var published = JsonSerializer.Deserialize<DrawRecordV2>(File.ReadAllText(SpecExampleTests.Docs("draw-example-record.json")), Json)!;
        Assert.Equal(JsonSerializer.Serialize(record, Json), JsonSerializer.Serialize(published, Json));
    }
}
