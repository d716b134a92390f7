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
public static class DrawRecordStream
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

    // ---- Reading ----

    /// <summary>
    /// Reads a record in the shape this service and <see cref="Write"/> produce: one object, the members of
    /// <see cref="DrawRecordV2"/> spelled as written, each once, strings where strings are due, no "actors". Anything else
    /// gives null, and the caller reads the record the ordinary way (which names whatever is wrong). The buffer is changed
    /// (the targets file is unescaped in place) and must stay alive as long as the result.
    /// </summary>
    public static Read? TryRead(byte[] json)
    {
        try
        {
            return ReadOrNull(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            return null;
        }
    }

    private static readonly string[] TopMembers = ["algorithm", "drawId", "files", "commitment", "commitmentSha256", "acts", "recordSha256", "outputs"];
    private static readonly string[] FileMembers = ["parameters", "targets", "exclusions", "inspectors", "conflicts", "quotas", "sources"];
    private static readonly string[] OutputMembers = ["targets", "teams", "batches", "replacements"];

    private static Read? ReadOrNull(byte[] json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false, MaxDepth = 8 });
        var top = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
        var acts = new List<string>();
        ReadOnlyMemory<byte>? targets = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);

        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!TopMembers.Contains(name) || !seen.Add(name)) return null;
            reader.Read();
            switch (name)
            {
                case "files":
                    if (reader.TokenType != JsonTokenType.StartObject) return null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var file = reader.GetString()!;
                        if (!FileMembers.Contains(file) || files.ContainsKey(file) || (file == "targets" && targets is not null)) return null;
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.String) return null;
                        if (file == "targets")
                        {
                            if (UnescapeInPlace(json, ref reader) is not { } bytes) return null;
                            targets = bytes;
                        }
                        else files[file] = reader.GetString()!;
                    }
                    if (reader.TokenType != JsonTokenType.EndObject) return null;
                    break;
                case "outputs":
                    if (reader.TokenType != JsonTokenType.StartObject) return null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var output = reader.GetString()!;
                        if (!OutputMembers.Contains(output) || outputs.ContainsKey(output)) return null;
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.String) return null;
                        outputs[output] = reader.GetString()!;
                    }
                    if (reader.TokenType != JsonTokenType.EndObject) return null;
                    break;
                case "acts":
                    if (reader.TokenType != JsonTokenType.StartArray) return null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.String) acts.Add(reader.GetString()!);
                    if (reader.TokenType != JsonTokenType.EndArray) return null;
                    break;
                default:
                    if (reader.TokenType != JsonTokenType.String) return null;
                    top[name] = reader.GetString()!;
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return null;
        if (top.Count != 5 || !seen.Contains("acts") || targets is null || files.Count != 6 || outputs.Count != 4) return null;
        if (!Guid.TryParseExact(top["drawId"], "D", out var drawId) || top["drawId"] != drawId.ToString("D")) return null;
        var record = new DrawRecordV2(top["algorithm"], drawId,
            new DrawFiles(files["parameters"], "", files["exclusions"], files["inspectors"], files["conflicts"], files["quotas"], files["sources"]),
            top["commitment"], top["commitmentSha256"], acts, top["recordSha256"],
            new DrawOutputs(outputs["targets"], outputs["teams"], outputs["batches"], outputs["replacements"]));
        return new Read(record, targets.Value);
    }

    /// <summary>
    /// The current string token's UTF-8 content, unescaped into the start of its own bytes inside <paramref name="json"/>
    /// (an escape is never shorter than what it stands for, so writing never overtakes reading). Null for an escaped
    /// surrogate, which UTF-8 cannot hold alone: the ordinary reader then decides.
    /// </summary>
    private static ReadOnlyMemory<byte>? UnescapeInPlace(byte[] json, ref Utf8JsonReader reader)
    {
        if (reader.HasValueSequence) return null;
        var start = (int)reader.TokenStartIndex + 1;
        var length = reader.ValueSpan.Length;
        if (!reader.ValueIsEscaped) return new ReadOnlyMemory<byte>(json, start, length);
        var span = json.AsSpan(start, length);
        var write = 0;
        for (var read = 0; read < length;)
        {
            var next = span[read..].IndexOf((byte)'\\');
            if (next < 0)
            {
                span[read..].CopyTo(span[write..]);
                write += length - read;
                break;
            }
            span.Slice(read, next).CopyTo(span[write..]);
            write += next;
            read += next;
            var c = span[read + 1];
            switch (c)
            {
                case (byte)'n': span[write++] = (byte)'\n'; read += 2; break;
                case (byte)'"': span[write++] = (byte)'"'; read += 2; break;
                case (byte)'\\': span[write++] = (byte)'\\'; read += 2; break;
                case (byte)'/': span[write++] = (byte)'/'; read += 2; break;
                case (byte)'t': span[write++] = (byte)'\t'; read += 2; break;
                case (byte)'r': span[write++] = (byte)'\r'; read += 2; break;
                case (byte)'b': span[write++] = (byte)'\b'; read += 2; break;
                case (byte)'f': span[write++] = (byte)'\f'; read += 2; break;
                case (byte)'u':
                    var code = int.Parse(Encoding.ASCII.GetString(span.Slice(read + 2, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                    read += 6;
                    if (code is >= 0xD800 and <= 0xDFFF)
                    {
                        // A pair escaped as two \u escapes: both must be there, high then low.
                        if (code > 0xDBFF || read + 6 > length || span[read] != (byte)'\\' || span[read + 1] != (byte)'u') return null;
                        var low = int.Parse(Encoding.ASCII.GetString(span.Slice(read + 2, 4)), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                        if (low is < 0xDC00 or > 0xDFFF) return null;
                        read += 6;
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    write += new Rune(code).EncodeToUtf8(span[write..]);
                    break;
                default: return null;
            }
        }
        return new ReadOnlyMemory<byte>(json, start, write);
    }
}
