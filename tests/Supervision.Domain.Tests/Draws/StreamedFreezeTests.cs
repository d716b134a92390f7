using System.Text;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// The service's freeze from streamed rows (<see cref="TargetPoolWriter"/>, <see cref="DrawV2.Freeze(DrawSetup, FrozenTargets, IEnumerable{PoolExclusion}, IEnumerable{PoolInspector}, IEnumerable{PoolConflict}, IEnumerable{RandomnessSourceDeclaration}, string)"/>)
/// against the freeze over PoolTarget objects every earlier draw was made with: on random directories with rare characters,
/// credit-class strata, every operating status, targets drawn this year, repeated rows and empty pools, the same files, the same
/// targets file bytes and hash, the same commitment, the same exclusions.
/// </summary>
public sealed class StreamedFreezeTests
{
    private static readonly string[] Rare = ["𠮷", "䶮", "𪚥", "㐀", "é", "e\u0301", "|", "%", "%7C", "\n", "\r", "\uE000", "Ω", "A", " ", "-", "*"];
    private static readonly string?[] Classes = ["A", "B", "𠮷", "䶮", null, "Z"];

    private static string RandomText(Random random, int maxLength)
    {
        var builder = new StringBuilder();
        var length = random.Next(1, maxLength + 1);
        for (var i = 0; i < length; i++) builder.Append(random.Next(3) == 0 ? Rare[random.Next(Rare.Length)] : ((char)('0' + random.Next(10))).ToString());
        return builder.ToString();
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 40).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Rows_frozen_as_they_stream_give_the_files_and_commitment_of_the_object_freeze(int seed)
    {
        var random = new Random(seed);
        var byClass = seed % 2 == 1;
        var sampling = byClass
            ? new DrawSampling(null, null, [new ClassBasisPoints("A", 300), new ClassBasisPoints("𠮷", 1000), new ClassBasisPoints(DrawPools.Unclassed, 500)])
            : new DrawSampling(random.Next(1, 10001), null, null);
        var statuses = Enum.GetValues<OperatingStatus>();
        var rows = Enumerable.Range(0, seed % 9 == 0 ? 0 : random.Next(1, 500))
            .Select(_ => new CandidateRow(Guid.NewGuid(), RandomText(random, 14), random.Next(4) == 0 ? statuses[random.Next(statuses.Length)] : OperatingStatus.Operating,
                Classes[random.Next(Classes.Length)], random.Next(3) == 0 ? $"9113{random.Next(100):D2}" : null))
            .OrderBy(r => r.Id).ToList();
        // A row the query returns twice (the reference's DistinctBy) is taken once.
        if (rows.Count > 3) rows.Insert(2, rows[1]);
        var drawnThisYear = rows.Where((_, i) => i % 11 == 0).Select(r => r.Id).ToHashSet();
        var watchedIds = rows.Where((_, i) => i % 7 == 0).Select(r => r.Id).ToHashSet();
        var watchedCodes = new HashSet<string>(["911300", "911301", "911302"], StringComparer.OrdinalIgnoreCase);

        // The reference: objects, as DrawPools.Build keeps them.
        var targets = new List<PoolTarget>();
        var exclusions = new List<PoolExclusion>();
        foreach (var row in rows.DistinctBy(r => r.Id))
        {
            var (stratum, reason) = DrawPools.Classify(sampling, drawnThisYear, row.Id, row.Status, row.CreditClass);
            if (reason is not null) exclusions.Add(new PoolExclusion("target", row.Id, row.Identifier, reason));
            else targets.Add(new PoolTarget(row.Id, row.Identifier, stratum));
        }

        var writer = new TargetPoolWriter(sampling, drawnThisYear, watchedIds, watchedCodes, expectedBytes: 16);
        foreach (var row in rows) writer.Add(row);
        var frozen = writer.Complete();

        Assert.Equal(exclusions, writer.Exclusions);
        Assert.Equal(targets.Count, frozen.Count);
        var inPool = targets.Select(t => t.Id).ToHashSet();
        Assert.Equal(watchedIds.Where(inPool.Contains).Order(), frozen.Watched.Keys.Order());
        var firstByCode = rows.DistinctBy(r => r.Id).Where(r => inPool.Contains(r.Id) && r.CreditCode is not null && watchedCodes.Contains(r.CreditCode))
            .GroupBy(r => r.CreditCode!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id);
        Assert.Equal(firstByCode.OrderBy(p => p.Key), frozen.ByCreditCode.OrderBy(p => p.Key));

        var setup = DrawEngineTests.Setup(sampling, loadCap: 0, batches: 1);
        var inspectors = DrawEngineTests.Inspectors(4, expert: _ => false);
        RandomnessSourceDeclaration[] sources = [new("fc3d", DrawV2.Beacon, new DateTimeOffset(2027, 3, 25, 13, 30, 0, TimeSpan.Zero), "福彩3D 第2027076期")];
        const string departmentSha = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        if (targets.Count == 0) return; // an empty pool is refused before any freeze (draw.pool.empty)
        var reference = DrawV2.Freeze(setup, targets, exclusions, inspectors, [], sources, departmentSha);
        var streamed = DrawV2.Freeze(setup, frozen, writer.Exclusions, inspectors, [], sources, departmentSha);

        Assert.Equal(Canonical.Utf8.GetBytes(reference.Files.Targets), frozen.Utf8.ToArray());
        Assert.Equal(Canonical.Sha256Hex(reference.Files.Targets), frozen.Sha256);
        Assert.Equal(reference.Files with { Targets = "" }, streamed.Files);
        Assert.Equal(reference.CommitmentBase, streamed.CommitmentBase);
    }
}
