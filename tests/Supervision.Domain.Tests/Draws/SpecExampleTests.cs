using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>The worked example of docs/draw-algorithm.md, section 10: this implementation must produce exactly it.</summary>
public sealed class SpecExampleTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    internal static string Docs(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", file);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException(file);
    }

    [Fact]
    public void The_worked_example_is_reproduced_byte_for_byte()
    {
        var setup = DrawEngineTests.Setup(new DrawSampling(3000, null, null));
        var record = DrawEngineTests.Draw(setup, DrawEngineTests.Targets(10), DrawEngineTests.Inspectors(4, expert: n => n == 4),
            [new PoolConflict(DrawEngineTests.InspectorId(1), DrawEngineTests.TargetId(3))]);

        Assert.Equal("33fd19b5d4b1eeeba819dc08cf2aff198e90b9347cec92cb844c4ffde24383de", record.CommitmentSha256);
        Assert.Equal("1ba84bf0741379b319d346ff472dcf2262fab9caad4a94f92674286cd1545652",
            Convert.ToHexStringLower(DrawEngine.DeriveKey(record.Commitment, record.Randomness)));
        Assert.Equal(
            "S|*|0000001|10000000-0000-4000-8000-000000000001|22f2639fdf4be344d77a39bd6decc4df17ee9e7c894a8a72e4be05c6f4204515\n" +
            "S|*|0000002|10000000-0000-4000-8000-000000000004|282f8ca6a9f7c5f54424338d9d42094da5faddf4337f58593e4b57a061c98cb0\n" +
            "S|*|0000003|10000000-0000-4000-8000-000000000003|47615d10153fb52ed2ad4741f1390ea2ec8158e9c3946ba9048359d8e6c5b959\n",
            record.Outputs.Targets);

        var published = JsonSerializer.Deserialize<DrawRecord>(File.ReadAllText(Docs("draw-example-record-1.json")), Json)!;
        Assert.Equal(record.Outputs, published.Outputs);
        Assert.Equal(record.Files, published.Files);
        Assert.True(DrawEngine.Verify(published).Matches);
    }
}
