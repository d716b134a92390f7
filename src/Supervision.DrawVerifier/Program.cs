using System.Text;
using System.Text.Json;
using Supervision.Domain.Draws;

// Verifies a published draw record (docs/draw-algorithm.md, section 9) with the reference implementation.
// Exit codes: 0 MATCH, 1 MISMATCH (the first failed check is named), 2 unreadable input.
Console.OutputEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: Supervision.DrawVerifier RECORD.json");
    return 2;
}

DrawRecord? record;
try
{
    var bytes = File.ReadAllBytes(args[0]);
    record = JsonSerializer.Deserialize<DrawRecord>(bytes, new JsonSerializerOptions(JsonSerializerDefaults.Web));
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
{
    Console.Error.WriteLine($"UNREADABLE: {e.Message}");
    return 2;
}

var missing = Missing(record);
if (record is null || missing is not null)
{
    Console.Error.WriteLine($"UNREADABLE: the record has no {missing}");
    return 2;
}

Verification verdict;
try
{
    verdict = DrawEngine.Verify(record);
}
catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or KeyNotFoundException or OverflowException)
{
    // A record the engine cannot even parse does not verify.
    Console.WriteLine($"MISMATCH: the record cannot be re-run: {e.Message}");
    return 1;
}

if (verdict.Matches)
{
    Console.WriteLine("MATCH");
    return 0;
}
// The engine's message does not always name the part (e.g. "The revealed server secret does not hash…"); name it for the reader.
var where = verdict.Part is null || verdict.Message.Contains(verdict.Part, StringComparison.OrdinalIgnoreCase)
    ? ""
    : $" [part {verdict.Part}{(verdict.Line is { } line ? $", line {line}" : "")}]";
Console.WriteLine($"MISMATCH: {verdict.Message}{where}");
return 1;

// JSON deserialization leaves absent members null; name the first one so the input is reported unreadable, not crashed on.
static string? Missing(DrawRecord? r) => r switch
{
    null => "content (the JSON is null)",
    { Algorithm: null } => "algorithm",
    { Files: null } => "files",
    { Files.Parameters: null } => "files.parameters",
    { Files.Targets: null } => "files.targets",
    { Files.Exclusions: null } => "files.exclusions",
    { Files.Inspectors: null } => "files.inspectors",
    { Files.Conflicts: null } => "files.conflicts",
    { Files.Quotas: null } => "files.quotas",
    { Commitment: null } => "commitment",
    { CommitmentSha256: null } => "commitmentSha256",
    { Randomness: null } => "randomness",
    _ when r.Randomness.Any(s => s is null || s.Source is null || s.Raw is null || s.Canonical is null) => "complete randomness entry",
    { Replacements: null } => "replacements",
    _ when r.Replacements.Any(q => q is null || q.Kind is null) => "complete replacement request",
    { Outputs: null } => "outputs",
    { Outputs.Targets: null } => "outputs.targets",
    { Outputs.Teams: null } => "outputs.teams",
    { Outputs.Batches: null } => "outputs.batches",
    { Outputs.Replacements: null } => "outputs.replacements",
    _ => null,
};
