using System.Buffers;
using System.Text.Json;

namespace Supervision.Domain.Draws;

// Reading a record as a stream; writing is in DrawRecordStream.cs, which says why both exist.
public static partial class DrawRecordStream
{
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
