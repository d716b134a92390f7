namespace Supervision.Domain.Draws;

/// <summary>Verification of a /1 record (docs/draw-algorithm-1.md), and the first difference of two files, shared by every version.</summary>
public static partial class DrawEngine
{
    // ---- 4. Verification ----

    /// <summary>Replays a record from its own contents and reports a match or the first difference.</summary>
    public static Verification Verify(DrawRecord record)
    {
        if (record.Algorithm != Algorithm)
            return Verification.Differs("algorithm", null, Algorithm, record.Algorithm, $"This verifier implements {Algorithm}, the record says {record.Algorithm}.");
        var commitmentLines = Canonical.Lines(record.Commitment);
        var secretLine = commitmentLines.FirstOrDefault(l => l.StartsWith("server-secret-sha256|", StringComparison.Ordinal));
        var expectedCommitment = Commitment(record.DrawId, record.Files, secretLine?["server-secret-sha256|".Length..] ?? "");
        if (FirstDifference("commitment", expectedCommitment, record.Commitment) is { } commitmentDiffers) return commitmentDiffers;
        if (Canonical.Sha256Hex(record.Commitment) != record.CommitmentSha256)
            return Verification.Differs("commitmentSha256", null, Canonical.Sha256Hex(record.Commitment), record.CommitmentSha256, "The commitment's hash is not the recorded one.");

        DrawParameters parameters;
        try
        {
            parameters = DrawParameters.Parse(record.Files.Parameters);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException)
        {
            return Verification.Differs("files.parameters", null, null, null, $"The parameters file cannot be read: {e.Message}");
        }
        if (parameters.Limits() is { } outOfBounds) return Verification.Differs("files.parameters", null, null, null, outOfBounds);
        if (parameters.Algorithm != Algorithm || parameters.DrawId != Canonical.Id(record.DrawId))
            return Verification.Differs("files.parameters", null, Algorithm, parameters.Algorithm, "The parameters name another algorithm or draw.");
        var pools = StratumSizes(record.Files.Targets);
        var quotas = Canonical.File(Quotas(parameters.Sampling, pools).Select(QuotaLine));
        if (FirstDifference("files.quotas", quotas, record.Files.Quotas) is { } quotasDiffer) return quotasDiffer;

        foreach (var source in record.Randomness)
        {
            if (CanonicalRandomness(source.Source, source.Raw) != source.Canonical)
                return Verification.Differs($"randomness.{source.Source}", null, CanonicalRandomness(source.Source, source.Raw), source.Canonical, $"The canonical form of the {source.Source} value does not follow from its raw value.");
        }
        if (record.Randomness.Count(s => s.Source == "server-secret") != 1 || record.Randomness.Count(s => s.Source == "witness") < 1)
            return Verification.Differs("randomness", null, "one server-secret and at least one witness", string.Join(",", record.Randomness.Select(s => s.Source)), "The randomness sources are incomplete.");
        var secret = record.Randomness.Single(s => s.Source == "server-secret").Canonical;
        var secretHash = secret.Length == 64 && secret.All(char.IsAsciiHexDigitLower) ? Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(secret))) : "";
        if (secretLine is null || secretHash != secretLine["server-secret-sha256|".Length..])
            return Verification.Differs("randomness.server-secret", null, secretLine, secretHash, "The revealed server secret does not hash to the value in the commitment.");

        // The draw itself first (sections 5, 6, 8), then the replacements (section 7): a wrong draw is named as such,
        // not as a replacement that no longer fits it.
        var prk = DeriveKey(record.Commitment, record.Randomness);
        DrawOutputs outputs;
        try
        {
            outputs = Run(record.Files, prk, []);
        }
        catch (Exception e) when (e is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException or KeyNotFoundException or InvalidOperationException or DrawException)
        {
            // A record is data from anywhere: a malformed file is a named difference, never a crash of the verifier.
            return Verification.Differs("files", null, null, null, $"The files cannot be replayed: {e.Message}");
        }
        var drawn = outputs;
        var drawDiffers = FirstDifference("outputs.targets", drawn.Targets, record.Outputs.Targets)
            ?? FirstDifference("outputs.teams", drawn.Teams, record.Outputs.Teams)
            ?? FirstDifference("outputs.batches", drawn.Batches, record.Outputs.Batches);
        if (drawDiffers is not null) return drawDiffers;
        if (record.Replacements.Count == 0)
            return FirstDifference("outputs.replacements", outputs.Replacements, record.Outputs.Replacements) ?? Verification.Match();
        try
        {
            outputs = Run(record.Files, prk, record.Replacements);
        }
        catch (Exception e) when (e is DrawException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            return Verification.Differs("replacements", null, null, null, e.Message);
        }
        return FirstDifference("outputs.replacements", outputs.Replacements, record.Outputs.Replacements) ?? Verification.Match();
    }

    private static Dictionary<string, int> StratumSizes(string targets)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = sizes.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var text in Canonical.Lines(targets))
        {
            if (text.Length < 3) continue;
            var rest = text.AsSpan(2);
            var stratum = rest[..Math.Max(0, rest.IndexOf('|'))];
            lookup[stratum] = lookup.TryGetValue(stratum, out var n) ? n + 1 : 1;
        }
        return sizes;
    }

    /// <summary>The first differing line of two files, named by part (shared by every algorithm version).</summary>
    internal static Verification? FirstDifference(string part, string expected, string actual)
    {
        if (expected == actual) return null;
        var e = Canonical.Lines(expected);
        var a = Canonical.Lines(actual);
        for (var i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            var left = i < e.Length ? e[i] : null;
            var right = i < a.Length ? a[i] : null;
            if (left != right)
                return Verification.Differs(part, i + 1, left, right, $"{part} differs at line {i + 1}: expected '{left ?? "(nothing)"}', the record has '{right ?? "(nothing)"}'.");
        }
        return Verification.Differs(part, null, null, null, $"{part} differs in its line endings or encoding.");
    }
}
