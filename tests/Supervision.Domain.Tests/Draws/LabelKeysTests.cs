using System.Security.Cryptography;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>
/// The eight-lane HMAC-SHA256 of <see cref="LabelKeys"/> is the HMAC of RFC 2104 / FIPS 180-4, byte for byte: on random keys
/// (shorter than, equal to and longer than a block), random labels of every length around the block boundaries (so lanes of
/// one batch take different numbers of blocks) and every batch size, it equals the platform's <see cref="HMACSHA256"/>.
/// </summary>
public sealed class LabelKeysTests
{
    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 30).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_key_is_the_platforms_HMAC_of_the_label_and_0x01(int seed)
    {
        var random = new Random(seed);
        var prk = RandomNumberGenerator.GetBytes(seed % 5 == 0 ? 64 : seed % 7 == 0 ? 100 : seed % 3 == 0 ? 1 : 32);
        var count = random.Next(0, 40);
        var source = RandomNumberGenerator.GetBytes(2000);
        var starts = new int[count];
        var lengths = new int[count];
        for (var i = 0; i < count; i++)
        {
            // Around 0, 55/56 (one block or two), 119/120 (two or three) and beyond.
            lengths[i] = random.Next(4) switch { 0 => random.Next(0, 8), 1 => random.Next(50, 62), 2 => random.Next(114, 126), _ => random.Next(0, 300) };
            starts[i] = random.Next(0, source.Length - lengths[i]);
        }
        foreach (var vectorized in new[] { true, false })
        {
            using var keys = new LabelKeys(prk, vectorized);
            var actual = new byte[count * 32];
            keys.Compute(source, starts, lengths, actual);
            for (var i = 0; i < count; i++)
            {
                var expected = HMACSHA256.HashData(prk, (byte[])[.. source.AsSpan(starts[i], lengths[i]), 0x01]);
                Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual.AsSpan(i * 32, 32)));
            }
        }
    }

    [Fact]
    public void The_eight_lane_path_is_taken_where_vectors_are_accelerated()
    {
        using var keys = new LabelKeys(new byte[32]);
        Assert.Equal(System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, keys.Vectorized);
    }

    [Fact]
    public void The_worked_examples_first_key_is_the_specifications()
    {
        // docs/draw-algorithm.md section 12: PRK and the first selected target's key.
        var prk = Convert.FromHexString("7d58a8f8c8639b1aec2ed55302d3dc2a5aa1eb4bbe82f8f104adbe2b415eefad");
        var label = "T|*|10000000-0000-4000-8000-000000000009"u8.ToArray();
        using var keys = new LabelKeys(prk);
        var key = new byte[32];
        keys.Compute(label, [0], [label.Length], key);
        Assert.Equal("178b4f89032e6075132f3c7c056ae471bb7ce68e2f6fb8f94b4c0d26cd48607b", Convert.ToHexStringLower(key));
    }
}
