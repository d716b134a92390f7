using System.Text;
using System.Text.Json;
using Supervision.Domain.Draws;

// Verifies a published draw record (docs/draw-algorithm.md, section 10; /1 records by draw-algorithm-1.md) with the reference implementation.
//   Supervision.DrawVerifier RECORD.json [--expect-commitment HEX] [--expect-record HEX]
// Exit codes: 0 MATCH, 1 MISMATCH (the first failed check is named), 2 unreadable input or wrong usage.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

string? path = null, expectCommitment = null, expectRecord = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--expect-commitment" when i + 1 < args.Length: expectCommitment = args[++i].Trim().ToLowerInvariant(); break;
        case "--expect-record" when i + 1 < args.Length: expectRecord = args[++i].Trim().ToLowerInvariant(); break;
        case var a when !a.StartsWith("--", StringComparison.Ordinal) && path is null: path = a; break;
        default: path = null; i = args.Length; break;
    }
}
if (path is null)
{
    Console.Error.WriteLine("usage: Supervision.DrawVerifier RECORD.json [--expect-commitment HEX] [--expect-record HEX]");
    return 2;
}

// A record is read as bytes and verified over them (a province-wide draw's record is hundreds of MiB); a record that does
// not match, or is not in the service's shape, is read again and verified the ordinary way (DrawRecords.Verify).
byte[] bytes;
string? algorithm;
try
{
    bytes = File.ReadAllBytes(path);
    algorithm = AlgorithmOf(bytes);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException)
{
    Console.Error.WriteLine($"UNREADABLE: {e.Message}");
    return 2;
}

Verification verdict;
try
{
    verdict = DrawRecords.Verify(bytes, () => File.ReadAllBytes(path), expectCommitment, expectRecord);
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or ArgumentException)
{
    Console.Error.WriteLine($"UNREADABLE: {e.Message}");
    return 2;
}
if (verdict.Part == "record")
{
    Console.Error.WriteLine($"UNREADABLE: {verdict.Message}");
    return 2;
}
if (verdict.Matches)
{
    Console.WriteLine(algorithm == DrawV2.Algorithm && (expectCommitment is null || expectRecord is null)
        ? "MATCH (consistent, but not checked against published hashes: give --expect-commitment and --expect-record)"
        : "MATCH");
    return 0;
}
var where = verdict.Part is null || verdict.Message.Contains(verdict.Part, StringComparison.OrdinalIgnoreCase)
    ? ""
    : $" [part {verdict.Part}{(verdict.Line is { } line ? $", line {line}" : "")}]";
Console.WriteLine($"MISMATCH: {verdict.Message}{where}");
return 1;

// The top-level "algorithm" member, read without building the document (it is the first member the service writes).
static string? AlgorithmOf(byte[] bytes)
{
    var reader = new Utf8JsonReader(bytes);
    if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return JsonDocument.Parse(bytes).RootElement.ValueKind.ToString();
    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
    {
        var name = reader.GetString();
        reader.Read();
        if (name == "algorithm" && reader.TokenType == JsonTokenType.String) return reader.GetString();
        reader.TrySkip();
    }
    return null;
}
