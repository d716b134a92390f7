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
}
