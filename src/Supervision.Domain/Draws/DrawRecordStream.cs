using System.Buffers;
using System.Text.Json;

namespace Supervision.Domain.Draws;

/// <summary>
/// A <see cref="DrawV2.Algorithm"/> record (docs/draw-algorithm.md, section 10) written and read as a stream, so a record of
/// ten million candidates (about 650 MiB of JSON, beyond what System.Text.Json reads or writes as one string value) is never
/// held as UTF-16 strings. The targets file stays UTF-8 bytes: read, it is JSON-unescaped in place inside the buffer that
/// holds the record; written, it is escaped in chunks. The JSON written is the one <see cref="JsonSerializer"/> writes for
/// <see cref="DrawRecordV2"/> with web defaults and the relaxed encoder (same members, same order, same escapes).
/// </summary>
public static partial class DrawRecordStream
{
    /// <summary>A record read with its targets file as bytes; <c>Record.Files.Targets</c> is empty.</summary>
    public sealed record Read(DrawRecordV2 Record, ReadOnlyMemory<byte> TargetsUtf8);

    private static readonly JsonSerializerOptions Relaxed = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    // ---- Writing ----

    public static void Write(Stream stream, DrawRecordV2 record, ReadOnlySpan<byte> targetsUtf8)
    {
        using var output = new BufferedStream(stream, 1 << 20);
        WriteHead(output, record);
        output.WriteByte((byte)'"');
        WriteEscaped(output, targetsUtf8);
        output.WriteByte((byte)'"');
        WriteTail(output, record);
    }

    /// <summary>
    /// The same JSON written asynchronously (an HTTP response), the targets file coming in chunks that each end at a line's end (as
    /// <c>DrawTargetsStore</c> keeps them): escaping is per character, so the bytes are those of <see cref="Write"/>.
    /// </summary>
    public static async Task WriteAsync(Stream output, DrawRecordV2 record, IAsyncEnumerable<ReadOnlyMemory<byte>> targetChunks, CancellationToken ct)
    {
        var part = new MemoryStream();
        WriteHead(part, record);
        part.WriteByte((byte)'"');
        await output.WriteAsync(part.GetBuffer().AsMemory(0, (int)part.Length), ct);
        await foreach (var chunk in targetChunks.WithCancellation(ct))
        {
            part.SetLength(0);
            WriteEscaped(part, chunk.Span);
            await output.WriteAsync(part.GetBuffer().AsMemory(0, (int)part.Length), ct);
        }
        part.SetLength(0);
        part.WriteByte((byte)'"');
        WriteTail(part, record);
        await output.WriteAsync(part.GetBuffer().AsMemory(0, (int)part.Length), ct);
    }

    private static void Raw(Stream output, string ascii) => output.Write(Encoding.UTF8.GetBytes(ascii));

    private static void Member(Stream output, string name, string value, bool first = false)
    {
        Raw(output, first ? "{\"" : ",\"");
        Raw(output, name);
        Raw(output, "\":");
        output.Write(JsonSerializer.SerializeToUtf8Bytes(value, Relaxed));
    }

    /// <summary>Everything before the targets file's string value: up to <c>"targets":</c>.</summary>
    private static void WriteHead(Stream output, DrawRecordV2 record)
    {
        Member(output, "algorithm", record.Algorithm, first: true);
        Raw(output, ",\"drawId\":");
        output.Write(JsonSerializer.SerializeToUtf8Bytes(record.DrawId, Relaxed));
        Raw(output, ",\"files\":");
        Member(output, "parameters", record.Files.Parameters, first: true);
        Raw(output, ",\"targets\":");
    }

    /// <summary>Everything after the targets file's string value.</summary>
    private static void WriteTail(Stream output, DrawRecordV2 record)
    {
        var f = record.Files;
        Member(output, "exclusions", f.Exclusions);
        Member(output, "inspectors", f.Inspectors);
        Member(output, "conflicts", f.Conflicts);
        Member(output, "quotas", f.Quotas);
        if (f.Sources is not null) Member(output, "sources", f.Sources);
        Raw(output, "}");
        Member(output, "commitment", record.Commitment);
        Member(output, "commitmentSha256", record.CommitmentSha256);
        Raw(output, ",\"acts\":");
        output.Write(JsonSerializer.SerializeToUtf8Bytes(record.Acts, Relaxed));
        Member(output, "recordSha256", record.RecordSha256);
        // The outputs as the serializer writes them ({"targets":…,"teams":…,"batches":…,"replacements":…}), each string escaped in
        // chunks: never one UTF-8 copy of 300,000 targets' teams at once.
        Raw(output, ",\"outputs\":");
        var o = record.Outputs;
        foreach (var (name, value, first) in new[] { ("targets", o.Targets, true), ("teams", o.Teams, false), ("batches", o.Batches, false), ("replacements", o.Replacements, false) })
        {
            Raw(output, first ? "{\"" : ",\"");
            Raw(output, name);
            Raw(output, "\":\"");
            WriteEscaped(output, value);
            output.WriteByte((byte)'"');
        }
        Raw(output, "}");
        if (record.Actors is not null)
        {
            Raw(output, ",\"actors\":");
            output.Write(JsonSerializer.SerializeToUtf8Bytes(record.Actors, Relaxed));
        }
        Raw(output, "}");
    }

    /// <summary>The inside of a JSON string of text, encoded to UTF-8 and escaped in chunks cut after an LF (never inside a surrogate pair).</summary>
    private static void WriteEscaped(Stream output, string text)
    {
        var buffer = new byte[Encoding.UTF8.GetMaxByteCount(1 << 16)];
        for (var offset = 0; offset < text.Length;)
        {
            var take = Math.Min(text.Length - offset, 1 << 16);
            if (offset + take < text.Length)
            {
                var cut = text.LastIndexOf('\n', offset + take - 1, take);
                take = cut >= offset ? cut + 1 - offset : take;
                if (char.IsHighSurrogate(text[offset + take - 1])) take--;
            }
            var length = Encoding.UTF8.GetBytes(text.AsSpan(offset, take), buffer);
            WriteEscaped(output, buffer.AsSpan(0, length));
            offset += take;
        }
    }

    /// <summary>The inside of a JSON string of UTF-8 text, escaped in chunks at line ends by the same encoder (every LF ends a line of a canonical file).</summary>
    private static void WriteEscaped(Stream output, ReadOnlySpan<byte> utf8)
    {
        var writerBuffer = new ArrayBufferWriter<byte>(1 << 20);
        while (!utf8.IsEmpty)
        {
            var take = Math.Min(utf8.Length, 1 << 18);
            if (take < utf8.Length)
            {
                var cut = utf8[..take].LastIndexOf((byte)'\n');
                take = cut >= 0 ? cut + 1 : take;
                // Never split a UTF-8 sequence: back up to a lead byte.
                while (take < utf8.Length && take > 0 && (utf8[take] & 0xC0) == 0x80) take--;
            }
            writerBuffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(writerBuffer, new JsonWriterOptions { Encoder = Relaxed.Encoder, SkipValidation = true }))
                writer.WriteStringValue(utf8[..take]);
            var written = writerBuffer.WrittenSpan;
            output.Write(written[1..^1]);
            utf8 = utf8[take..];
        }
    }
}
