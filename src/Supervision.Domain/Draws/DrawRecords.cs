using System.Text.Json;

namespace Supervision.Domain.Draws;

/// <summary>Reads a record of any algorithm from JSON and verifies it with that algorithm's rules; one entry point for the API and the CLI.</summary>
public static class DrawRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The verdict, or an unreadable record named as such (never an exception for data from anywhere).</summary>
    public static Verification Verify(JsonElement json, string? expectCommitment = null, string? expectRecord = null)
    {
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("algorithm", out var algorithm) || algorithm.ValueKind != JsonValueKind.String)
            return Verification.Differs("record", null, null, null, "record: the record has no algorithm.");
        if (DuplicateMember(json) is { } duplicate)
            return Verification.Differs("record", null, null, null, $"record: an object names the member '{duplicate}' twice; readers keeping the first or the last copy would see two records.");
        try
        {
            switch (algorithm.GetString())
            {
                case DrawV2.Algorithm:
                    var v2 = json.Deserialize<DrawRecordV2>(Json);
                    return MissingV2(v2) is { } missing2 ? Verification.Differs("record", null, null, null, $"record: the record has no {missing2}.")
                        : DrawV2.Verify(v2!, expectCommitment, expectRecord);
                case DrawEngine.Algorithm:
                    var v1 = json.Deserialize<DrawRecord>(Json);
                    if (MissingV1(v1) is { } missing1) return Verification.Differs("record", null, null, null, $"record: the record has no {missing1}.");
                    if (expectCommitment is not null && expectCommitment != v1!.CommitmentSha256)
                        return Verification.Differs("expect.commitment", null, expectCommitment, v1.CommitmentSha256, "The commitment is not the published one.");
                    return DrawEngine.Verify(v1!);
                default:
                    return Verification.Differs("algorithm", null, DrawV2.Algorithm, algorithm.GetString(), $"algorithm: no verifier for '{algorithm.GetString()}'.");
            }
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException
                                      or OverflowException or IndexOutOfRangeException)
        {
            return Verification.Differs("record", null, null, null, $"record: the record cannot be read: {e.Message}");
        }
    }

    /// <summary>
    /// Verifies a record from its UTF-8 JSON bytes. A /2 record in the shape the service writes is read as a stream and verified
    /// over its bytes (<see cref="DrawRecordStream"/>): a match is final. Anything else, and every record that does not match,
    /// is verified again the ordinary way from <paramref name="original"/> (the bytes as first read: the fast path unescapes
    /// inside <paramref name="json"/>), so a verdict of difference names exactly what it always named.
    /// </summary>
    public static Verification Verify(byte[] json, Func<byte[]> original, string? expectCommitment = null, string? expectRecord = null)
    {
        if (DrawRecordStream.TryRead(json) is { } read && read.Record.Algorithm == DrawV2.Algorithm)
        {
            var fast = DrawV2.Verify(read.Record, read.TargetsUtf8, expectCommitment, expectRecord);
            if (fast.Matches) return fast;
        }
        json = null!;
        GC.Collect();
        using var document = JsonDocument.Parse(original());
        return Verify(document.RootElement, expectCommitment, expectRecord);
    }

    /// <summary>The first member name that an object of the JSON holds twice, or null.</summary>
    public static string? DuplicateMember(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                {
                    if (!names.Add(property.Name)) return property.Name;
                    if (DuplicateMember(property.Value) is { } inner) return inner;
                }
                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                    if (DuplicateMember(item) is { } inner) return inner;
                return null;
            default:
                return null;
        }
    }

    /// <summary>JSON leaves absent members null; name the first one.</summary>
    public static string? MissingV1(DrawRecord? r) => r switch
    {
        null => "content (the JSON is null)",
        { Algorithm: null } => "algorithm",
        { Files: null } => "files",
        { Files.Parameters: null } or { Files.Targets: null } or { Files.Exclusions: null } or { Files.Inspectors: null } or { Files.Conflicts: null } or { Files.Quotas: null } => "complete files",
        { Commitment: null } => "commitment",
        { CommitmentSha256: null } => "commitmentSha256",
        { Randomness: null } => "randomness",
        _ when r.Randomness.Any(s => s is null || s.Source is null || s.Raw is null || s.Canonical is null) => "complete randomness entry",
        { Replacements: null } => "replacements",
        _ when r.Replacements.Any(q => q is null || q.Kind is null) => "complete replacement request",
        { Outputs: null } => "outputs",
        { Outputs.Targets: null } or { Outputs.Teams: null } or { Outputs.Batches: null } or { Outputs.Replacements: null } => "complete outputs",
        _ => null,
    };

    public static string? MissingV2(DrawRecordV2? r) => r switch
    {
        null => "content (the JSON is null)",
        { Files: null } => "files",
        { Files.Parameters: null } or { Files.Targets: null } or { Files.Exclusions: null } or { Files.Inspectors: null } or { Files.Conflicts: null }
            or { Files.Quotas: null } or { Files.Sources: null } => "complete files",
        { Commitment: null } => "commitment",
        { CommitmentSha256: null } => "commitmentSha256",
        { Acts: null } => "acts",
        _ when r.Acts.Any(a => a is null) => "complete acts",
        { RecordSha256: null } => "recordSha256",
        { Outputs: null } => "outputs",
        { Outputs.Targets: null } or { Outputs.Teams: null } or { Outputs.Batches: null } or { Outputs.Replacements: null } => "complete outputs",
        _ => null,
    };
}
