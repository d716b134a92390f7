using System.Security.Cryptography;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

public sealed class DrawEngineTests
{
    internal static readonly Guid DrawId = new("00000000-0000-4000-8000-000000000001");
    internal static readonly Guid MarketDept = new("00000000-0000-4000-8000-0000000000d1");
    internal static readonly Guid CommerceDept = new("00000000-0000-4000-8000-0000000000d2");
    internal const string Secret = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    internal static readonly string SecretHash = Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(Secret)));

    internal static Guid TargetId(int n) => new($"10000000-0000-4000-8000-{n:D12}");
    internal static Guid InspectorId(int n) => new($"20000000-0000-4000-8000-{n:D12}");

    internal static DrawSetup Setup(DrawSampling? sampling = null, int loadCap = 0, int batches = 1, IReadOnlyList<TeamSlot>? team = null) =>
        new(DrawId, "2026001", "2026001-01", 4242, sampling ?? new DrawSampling(300, null, null), 2, team ?? [], loadCap, batches,
            new DateOnly(2026, 3, 1), new DateOnly(2026, 4, 30));

    internal static List<PoolTarget> Targets(int count, Func<int, string>? stratum = null) =>
        Enumerable.Range(1, count).Select(n => new PoolTarget(TargetId(n), $"9113050000000{n:D5}", stratum?.Invoke(n) ?? "*")).ToList();

    internal static List<PoolInspector> Inspectors(int count, Func<int, Guid>? department = null, Func<int, bool>? expert = null) =>
        Enumerable.Range(1, count).Select(n => new PoolInspector(InspectorId(n), department?.Invoke(n) ?? MarketDept, expert?.Invoke(n) ?? false, $"XT-{n:D3}")).ToList();

    internal static readonly RandomnessSource[] Witnessed =
    [
        new("witness", "  福彩3D 第2026080期 开奖号码  3 9 1 ", DrawEngine.CanonicalRandomness("witness", "  福彩3D 第2026080期 开奖号码  3 9 1 ")),
        new("server-secret", Secret, Secret),
    ];

    internal static DrawRecord Draw(DrawSetup setup, List<PoolTarget> targets, List<PoolInspector> inspectors, List<PoolConflict>? conflicts = null,
        IReadOnlyList<ReplacementRequest>? replacements = null, RandomnessSource[]? randomness = null)
    {
        var frozen = DrawEngine.Freeze(setup, targets, [new PoolExclusion("target", TargetId(999999), "91130500000999999X", "deregistered")],
            inspectors, conflicts ?? [], SecretHash);
        var sources = randomness ?? Witnessed;
        var outputs = DrawEngine.Run(frozen.Files, DrawEngine.DeriveKey(frozen.Commitment, sources), replacements ?? []);
        return new DrawRecord(DrawEngine.Algorithm, setup.DrawId, frozen.Files, frozen.Commitment, frozen.CommitmentSha256, sources, replacements ?? [], outputs);
    }

    internal static List<string> SelectedIds(DrawRecord record) =>
        Canonical.Lines(record.Outputs.Targets).Select(l => l.Split('|')[3]).ToList();

    [Fact]
    public void HKDF_matches_RFC_5869_test_case_1()
    {
        var ikm = Convert.FromHexString("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        var salt = Convert.FromHexString("000102030405060708090a0b0c");
        var info = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9");
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        Assert.Equal("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", Convert.ToHexStringLower(prk));

        var block = new byte[32];
        DrawEngine.ExpandFirstBlock(prk, info, block, new byte[64]);
        Assert.Equal("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf", Convert.ToHexStringLower(block));
    }

    [Fact]
    public void A_record_verifies_and_every_team_has_two_distinct_unconflicted_inspectors()
    {
        var conflicts = Enumerable.Range(1, 40).Select(n => new PoolConflict(InspectorId(n % 5 + 1), TargetId(n))).ToList();
        var record = Draw(Setup(), Targets(200), Inspectors(8), conflicts);
        Assert.True(DrawEngine.Verify(record).Matches);

        var selected = SelectedIds(record);
        Assert.Equal(6, selected.Count); // 3% of 200
        var teams = Canonical.Lines(record.Outputs.Teams).Select(l => l.Split('|')).GroupBy(f => f[1]).ToList();
        Assert.Equal(selected.Order(), teams.Select(t => t.Key).Order());
        foreach (var team in teams)
        {
            var members = team.Select(f => f[3]).ToList();
            Assert.Equal(2, members.Distinct().Count());
            Assert.DoesNotContain("-", members);
            Assert.DoesNotContain(conflicts, c => c.TargetId.ToString() == team.Key && members.Contains(c.InspectorId.ToString()));
        }
    }

    [Fact]
    public void The_order_of_the_input_pool_changes_nothing()
    {
        var targets = Targets(500);
        var inspectors = Inspectors(10);
        var shuffled = targets.OrderBy(t => SHA256.HashData(t.Id.ToByteArray())[0]).ThenByDescending(t => t.Id).ToList();
        var reversedInspectors = Enumerable.Reverse(inspectors).ToList();
        var a = Draw(Setup(), targets, inspectors);
        var b = Draw(Setup(), shuffled, reversedInspectors);
        Assert.Equal(a.Commitment, b.Commitment);
        Assert.Equal(a.Outputs, b.Outputs);
    }

    [Fact]
    public void Strata_are_independent_adding_targets_to_one_class_leaves_the_others_selection_unchanged()
    {
        var sampling = new DrawSampling(null, null, [new ClassBasisPoints("A", 100), new ClassBasisPoints("D", 3000)]);
        var targets = Targets(400, n => n % 2 == 0 ? "A" : "D");
        var more = targets.Concat(Enumerable.Range(1000, 50).Select(n => new PoolTarget(TargetId(n), $"X{n}", "D"))).ToList();
        var before = Draw(Setup(sampling), targets, Inspectors(6));
        var after = Draw(Setup(sampling), more, Inspectors(6));
        string[] ClassA(DrawRecord r) => Canonical.Lines(r.Outputs.Targets).Where(l => l.StartsWith("S|A|", StringComparison.Ordinal)).Select(l => l.Split('|')[3]).ToArray();
        // The commitment changed (so the key did); the ranking within A depends on the key, so compare by re-keying with the same PRK:
        var prk = DrawEngine.DeriveKey(before.Commitment, Witnessed);
        var rerun = DrawEngine.Run(after.Files with { }, prk, []);
        Assert.Equal(ClassA(before), Canonical.Lines(rerun.Targets).Where(l => l.StartsWith("S|A|", StringComparison.Ordinal)).Select(l => l.Split('|')[3]).ToArray());
        Assert.NotEmpty(ClassA(before));
    }

    [Theory]
    [InlineData(200, 300, 6)]     // 3% of 200
    [InlineData(201, 300, 7)]     // 6.03 rounds up: the ratio is a floor
    [InlineData(10, 250, 1)]      // 0.25 → 1
    public void A_ratio_quota_is_rounded_up(int pool, int basisPoints, int quota) =>
        Assert.Equal(quota, DrawEngine.Quotas(new DrawSampling(basisPoints, null, null), new Dictionary<string, int> { ["*"] = pool }).Single().Quota);

    [Fact]
    public void Class_quotas_share_the_rounding_by_largest_remainder_with_a_bytewise_tie_break()
    {
        // A: 120 × 1% = 1.2, B: 150 × 1% = 1.5, C: 70 × 1% = 0.7 → total ceil(3.4) = 4: floors 1,1,0; 2 seats left → C (.7), then B (.5).
        var sampling = new DrawSampling(null, null, [new ClassBasisPoints("A", 100), new ClassBasisPoints("B", 100), new ClassBasisPoints("C", 100)]);
        var quotas = DrawEngine.Quotas(sampling, new Dictionary<string, int> { ["A"] = 120, ["B"] = 150, ["C"] = 70 });
        Assert.Equal([("A", 120, 1), ("B", 150, 2), ("C", 70, 1)], quotas);

        // A and B tie at .5 and one seat is left → A (bytewise first).
        var tie = DrawEngine.Quotas(sampling, new Dictionary<string, int> { ["A"] = 150, ["B"] = 150, ["C"] = 100 });
        Assert.Equal([("A", 150, 2), ("B", 150, 1), ("C", 100, 1)], tie);
    }

    [Fact]
    public void Every_candidate_is_selected_with_frequency_close_to_quota_over_pool_chi_square()
    {
        // 20 candidates, quota 5, 2000 draws with different witness values: expected 500 selections each.
        var targets = Targets(20);
        var setup = Setup(new DrawSampling(null, 5, null));
        var frozen = DrawEngine.Freeze(setup, targets, [], Inspectors(4), [], SecretHash);
        var counts = new Dictionary<string, int>();
        const int draws = 2000;
        for (var i = 0; i < draws; i++)
        {
            RandomnessSource[] sources = [new("witness", $"{i}", $"{i}"), new("server-secret", Secret, Secret)];
            var outputs = DrawEngine.Run(frozen.Files with { Inspectors = "" }, DrawEngine.DeriveKey(frozen.Commitment, sources), []);
            foreach (var id in Canonical.Lines(outputs.Targets).Select(l => l.Split('|')[3])) counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var expected = draws * 5.0 / 20;
        var chiSquare = targets.Sum(t => Math.Pow(counts.GetValueOrDefault(t.Id.ToString()) - expected, 2) / expected);
        // 19 degrees of freedom: P(χ² > 43.8) = 0.001. A biased ranking fails this by orders of magnitude.
        Assert.True(chiSquare < 43.8, $"chi-square {chiSquare:F1} over 19 degrees of freedom");
    }

    [Fact]
    public void A_recused_inspector_is_replaced_by_the_next_in_that_targets_ranking_and_the_record_still_verifies()
    {
        var first = Draw(Setup(), Targets(100), Inspectors(6));
        var team = Canonical.Lines(first.Outputs.Teams)[0].Split('|');
        var (target, inspector) = (Guid.Parse(team[1]), Guid.Parse(team[3]));

        var recusal = new ReplacementRequest("inspector", target, inspector, "与被检查企业负责人系亲属关系");
        var record = Draw(Setup(), Targets(100), Inspectors(6), replacements: [recusal]);
        Assert.Equal(first.Outputs.Teams, record.Outputs.Teams);
        var line = Assert.Single(Canonical.Lines(record.Outputs.Replacements)).Split('|');
        Assert.Equal(("inspector", team[1], team[3]), (line[2], line[3], line[4]));
        Assert.NotEqual(team[3], line[5]);
        Assert.NotEqual(Canonical.Lines(first.Outputs.Teams)[1].Split('|')[3], line[5]);
        Assert.True(DrawEngine.Verify(record).Matches);
    }

    [Fact]
    public void A_replaced_target_gives_way_to_the_next_ranked_target_of_its_stratum()
    {
        var first = Draw(Setup(), Targets(100), Inspectors(6));
        var gone = Guid.Parse(SelectedIds(first)[0]);
        var record = Draw(Setup(), Targets(100), Inspectors(6), replacements: [new ReplacementRequest("target", gone, null, "已注销")]);
        var line = Canonical.Lines(record.Outputs.Replacements).Single(l => l.Contains("|target|", StringComparison.Ordinal)).Split('|');
        Assert.DoesNotContain(line[4], SelectedIds(first));
        Assert.Equal(2, Canonical.Lines(record.Outputs.Replacements).Count(l => l.Contains("|member|", StringComparison.Ordinal)));
        Assert.True(DrawEngine.Verify(record).Matches);
    }

    [Fact]
    public void Experts_never_form_a_team_alone_and_joint_teams_follow_the_composition()
    {
        var joint = Setup(team: [new TeamSlot(MarketDept, 1), new TeamSlot(CommerceDept, 1)]);
        var inspectors = Inspectors(10, n => n <= 5 ? MarketDept : CommerceDept, n => n is 1 or 2 or 3 or 6 or 7);
        var record = Draw(joint, Targets(300), inspectors);
        Assert.True(DrawEngine.Verify(record).Matches);
        var experts = inspectors.Where(i => i.Expert).Select(i => i.Id.ToString()).ToHashSet();
        foreach (var team in Canonical.Lines(record.Outputs.Teams).Select(l => l.Split('|')).GroupBy(f => f[1]))
        {
            Assert.Contains(team, f => !experts.Contains(f[3]));
            Assert.Equal([MarketDept.ToString(), CommerceDept.ToString()], team.Select(f => f[4]).Order());
            Assert.All(team, f => Assert.Equal(f[4], inspectors.Single(i => i.Id.ToString() == f[3]).DepartmentId.ToString()));
        }
    }

    [Fact]
    public void A_load_cap_spreads_the_work()
    {
        var record = Draw(Setup(loadCap: 2), Targets(200), Inspectors(6));
        var loads = Canonical.Lines(record.Outputs.Teams).Select(l => l.Split('|')[3]).GroupBy(i => i).Select(g => g.Count()).ToList();
        Assert.All(loads, l => Assert.True(l <= 2));
    }

    [Fact]
    public void Batches_split_the_selected_targets_in_a_drawn_order()
    {
        var record = Draw(Setup(new DrawSampling(5000, null, null), batches: 3), Targets(20), Inspectors(6));
        var batches = Canonical.Lines(record.Outputs.Batches).Select(l => l.Split('|')).GroupBy(f => f[1]).Select(g => g.Count()).ToList();
        Assert.Equal([4, 3, 3], batches);
        Assert.True(DrawEngine.Verify(record).Matches);
    }

    [Theory]
    [InlineData("targets-file")]
    [InlineData("witness")]
    [InlineData("output")]
    [InlineData("secret")]
    [InlineData("quotas")]
    public void Tampering_with_any_part_of_the_record_is_found_and_named(string part)
    {
        var record = Draw(Setup(), Targets(100), Inspectors(6));
        var tampered = part switch
        {
            "targets-file" => record with { Files = record.Files with { Targets = record.Files.Targets.Replace(TargetId(7).ToString(), TargetId(7777).ToString(), StringComparison.Ordinal) } },
            "witness" => record with { Randomness = [new("witness", "3 9 2", "3 9 2"), record.Randomness[1]] },
            "output" => record with { Outputs = record.Outputs with { Targets = record.Outputs.Targets.Replace(SelectedIds(record)[0], TargetId(99).ToString(), StringComparison.Ordinal) } },
            "secret" => record with { Randomness = [record.Randomness[0], new("server-secret", new string('1', 64), new string('1', 64))] },
            _ => record with { Files = record.Files with { Quotas = "Q|*|100|50\n" } },
        };
        var verdict = DrawEngine.Verify(tampered);
        Assert.False(verdict.Matches);
        var expectedPart = part switch
        {
            "targets-file" or "quotas" => "commitment",
            "witness" => "outputs.targets",
            "output" => "outputs.targets",
            _ => "randomness.server-secret",
        };
        Assert.Equal(expectedPart, verdict.Part);
    }

    [Fact]
    public void Canonical_fields_escape_the_separator_and_normalise_to_NFC()
    {
        Assert.Equal("a%7Cb%25c%0Ad", Canonical.Field("a|b%c\nd"));
        Assert.Equal("\u00e9", Canonical.Field("e\u0301"));
        Assert.Equal("a|b%c\nd", Canonical.Unescape(Canonical.Field("a|b%c\nd")));
        Assert.Equal("3 9 1", DrawEngine.CanonicalRandomness("witness", " 3\t 9\n1 "));
    }

    [Fact]
    public void Lines_sort_by_UTF8_bytes_not_UTF16_units()
    {
        // U+FF5E (3 UTF-8 bytes EF BD 9E) sorts before U+1F600 (4 bytes F0 9F 98 80) in UTF-8, after it in UTF-16.
        var file = Canonical.File(["x\U0001F600", "x\uFF5E"]);
        Assert.Equal("x\uFF5E\nx\U0001F600\n", file);
    }

    [Theory]
    [InlineData("P|batches|1\n", "P|batches|2147483647\n")]
    [InlineData("P|inspectors-per-target|2\n", "P|inspectors-per-target|2000000000\n")]
    [InlineData("P|inspectors-per-target|2\n", "P|inspectors-per-target|x\n")]
    public void A_hostile_record_is_refused_by_name_not_run(string line, string hostile)
    {
        var record = Draw(Setup(), Targets(50), Inspectors(4));
        var files = record.Files with { Parameters = record.Files.Parameters.Replace(line, hostile, StringComparison.Ordinal) };
        var forged = record with { Files = files, Commitment = DrawEngine.Commitment(record.DrawId, files, SecretHash) };
        forged = forged with { CommitmentSha256 = Canonical.Sha256Hex(forged.Commitment) };
        var verdict = DrawEngine.Verify(forged);
        Assert.False(verdict.Matches);
        Assert.Equal("files.parameters", verdict.Part);
    }
}
