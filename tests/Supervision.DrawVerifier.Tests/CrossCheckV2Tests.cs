using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>supervision-draw/2: the reference verifier accepts every generated record against its published hashes.</summary>
public sealed class CrossCheckV2Tests
{
    public static IEnumerable<object[]> Seeds() => RecordFactoryV2.AllSeeds();

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_generated_record_verifies_against_its_published_hashes(int seed)
    {
        var record = RecordFactoryV2.Build(seed);
        var verdict = DrawV2.Verify(record, record.CommitmentSha256, record.RecordSha256);
        Assert.True(verdict.Matches, $"seed {seed}: {verdict.Message}");
        if (Environment.GetEnvironmentVariable("DRAW_V2_DUMP") is { Length: > 0 } dump)
        {
            Directory.CreateDirectory(dump);
            File.WriteAllText(Path.Combine(dump, $"record-{seed:D3}.json"), JsonSerializer.Serialize(record, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(9)]
    [InlineData(20)]
    public void Every_tampering_is_named_by_the_reference_verifier(int seed)
    {
        var record = RecordFactoryV2.Build(seed, requests: 2);
        foreach (var t in TamperingV2.For(record))
        {
            var verdict = t.WithExpectations
                ? DrawV2.Verify(t.Record, t.PublishedCommitment ?? record.CommitmentSha256, record.RecordSha256)
                : DrawV2.Verify(t.Record);
            Assert.False(verdict.Matches, $"seed {seed}, {t.Name}: matched");
            Assert.True(t.Part == verdict.Part, $"seed {seed}, {t.Name}: expected {t.Part}, got {verdict.Part}: {verdict.Message}");
        }
    }
}
