using System.Text.Json;
using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// A record written and read as a stream and verified over its bytes (issue 14) against the ordinary path: the JSON written is
/// byte for byte the serializer's, every valid record matches on both paths, and no tampered record ever matches on the byte
/// path (a record that does not match is verified again the ordinary way, so the verdict named is the one it always was).
/// </summary>
public sealed class ByteVerificationTests
{
    private static readonly JsonSerializerOptions Relaxed = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 60).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_streamed_record_is_the_serializers_bytes_and_verifies_on_both_paths(int seed)
    {
        var record = RecordFactoryV2.Build(seed).Public();
        using var stream = new MemoryStream();
        DrawRecordStream.Write(stream, record, Canonical.Utf8.GetBytes(record.Files.Targets));
        var written = stream.ToArray();
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(record, Relaxed), written);

        var read = DrawRecordStream.TryRead(written.ToArray());
        Assert.NotNull(read);
        Assert.Equal(record.Files.Targets, Canonical.Utf8.GetString(read.TargetsUtf8.Span));
        Assert.Equal(record with { Files = record.Files with { Targets = "" } }, read.Record with { Acts = record.Acts });
        Assert.Equal(record.Acts, read.Record.Acts);
        var fast = DrawV2.Verify(read.Record, read.TargetsUtf8, record.CommitmentSha256, record.RecordSha256);
        Assert.True(fast.Matches, fast.Message);
        Assert.True(DrawV2.Verify(record, record.CommitmentSha256, record.RecordSha256).Matches);
        // Rare characters and escapes the default encoder writes as \u sequences read back the same.
        var escaped = JsonSerializer.SerializeToUtf8Bytes(record, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var readEscaped = DrawRecordStream.TryRead(escaped);
        Assert.NotNull(readEscaped);
        Assert.Equal(record.Files.Targets, Canonical.Utf8.GetString(readEscaped.TargetsUtf8.Span));
    }

    public static IEnumerable<object[]> TamperedSeeds() => Enumerable.Range(0, 12).Select(s => new object[] { s });

    [Theory]
    [MemberData(nameof(TamperedSeeds))]
    public void No_tampered_record_matches_on_the_byte_path_and_the_verdict_is_the_ordinary_one(int seed)
    {
        var record = RecordFactoryV2.Build(seed).Public();
        foreach (var tampering in TamperingV2.For(record))
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(tampering.Record, Relaxed);
            var (commitment, recordHash) = tampering.WithExpectations ? (tampering.PublishedCommitment ?? record.CommitmentSha256, record.RecordSha256) : ((string?)null, (string?)null);
            if (DrawRecordStream.TryRead(json.ToArray()) is { } read)
                Assert.False(DrawV2.Verify(read.Record, read.TargetsUtf8, commitment, recordHash).Matches, tampering.Name);
            using var document = JsonDocument.Parse(json);
            var ordinary = DrawRecords.Verify(document.RootElement, commitment, recordHash);
            var streamed = DrawRecords.Verify(json.ToArray(), () => json, commitment, recordHash);
            Assert.Equal(ordinary, streamed);
            Assert.False(streamed.Matches, tampering.Name);
        }
    }

    /// <summary>The service streams a record whose targets file is kept in chunks of whole lines: the same bytes as one write, staff record (with actors) included.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task A_record_written_from_line_chunks_is_the_same_bytes(int seed)
    {
        var record = RecordFactoryV2.Build(seed);
        if (seed % 2 == 0) record = record.Public();
        var targets = Canonical.Utf8.GetBytes(record.Files.Targets);
        var withoutText = record with { Files = record.Files with { Targets = "" } };
        using var whole = new MemoryStream();
        DrawRecordStream.Write(whole, withoutText, targets);
        using var chunked = new MemoryStream();
        await DrawRecordStream.WriteAsync(chunked, withoutText, LineChunks(targets, 1 + seed % 90), CancellationToken.None);
        Assert.Equal(JsonSerializer.SerializeToUtf8Bytes(record, Relaxed), whole.ToArray());
        Assert.Equal(whole.ToArray(), chunked.ToArray());
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> LineChunks(byte[] bytes, int size)
    {
        for (var offset = 0; offset < bytes.Length;)
        {
            var rest = bytes.AsSpan(offset);
            var cut = rest[..Math.Min(size, rest.Length)].LastIndexOf((byte)'\n');
            var take = rest.Length <= size ? rest.Length : cut >= 0 ? cut + 1 : rest[size..].IndexOf((byte)'\n') is var next and >= 0 ? size + next + 1 : rest.Length;
            yield return bytes.AsMemory(offset, take);
            offset += take;
            await Task.Yield();
        }
    }
}
