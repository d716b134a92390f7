using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Supervision.Domain.Draws;

/// <summary>
/// The canonical targets file (docs/draw-algorithm.md, section 2) as the UTF-8 bytes that are hashed into the commitment:
/// hashing, the strict checks of section 10 step 2 and the stratum sizes, over byte slices, without a string per line.
/// Used where a file can hold ten million lines; the string forms in <see cref="Canonical"/> stay for everything small.
/// </summary>
public static class CanonicalUtf8
{
    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static readonly SearchValues<byte> LineBreaks = SearchValues.Create("\r"u8);

    /// <summary>
    /// Why the bytes are not a canonical targets file, or null: valid UTF-8, no BOM, no CR, LF-terminated, NFC, lines strictly
    /// ascending bytewise, every field well escaped, every line "T|stratum|uuid|identifier". The same rules as
    /// <see cref="Canonical.FileProblem"/>, checked on bytes (NFC is checked by decoding only lines that are not ASCII).
    /// </summary>
    public static string? TargetsFileProblem(ReadOnlySpan<byte> file)
    {
        if (file.IsEmpty) return null;
        if (!System.Text.Unicode.Utf8.IsValid(file)) return "it is not valid UTF-8.";
        if (file.StartsWith("\uFEFF"u8)) return "it begins with a byte-order mark.";
        if (file.IndexOfAny(LineBreaks) >= 0) return "it holds a CR.";
        if (file[^1] != (byte)'\n') return "its last line does not end in LF.";
        var previous = ReadOnlySpan<byte>.Empty;
        var number = 0;
        for (var rest = file; !rest.IsEmpty;)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = rest[..end];
            rest = rest[(end + 1)..];
            number++;
            if (number > 1 && previous.SequenceCompareTo(line) >= 0)
                return $"line {number} is not after line {number - 1} in bytewise order (lines are sorted, each once).";
            if (!Ascii.IsValid(line) && !Encoding.UTF8.GetString(line).IsNormalized(NormalizationForm.FormC)) return "it is not in Unicode NFC.";
            if (!IsTargetLine(line)) return $"line {number} is not of this file's form or has a wrongly escaped field.";
            previous = line;
        }
        return null;
    }

    /// <summary>"T|stratum|uuid|identifier": four well-escaped fields, the id a lowercase canonical UUID.</summary>
    private static bool IsTargetLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 2 || line[0] != (byte)'T' || line[1] != (byte)'|') return false;
        var rest = line[2..];
        var first = rest.IndexOf((byte)'|');
        if (first < 0 || !IsWellEscaped(rest[..first])) return false;
        rest = rest[(first + 1)..];
        if (rest.Length < 37 || rest[36] != (byte)'|' || !IsUuid(rest[..36])) return false;
        var identifier = rest[37..];
        return identifier.IndexOf((byte)'|') < 0 && IsWellEscaped(identifier);
    }

    /// <summary>No '|', LF or CR, and every '%' begins %25, %7C, %0A or %0D (as <see cref="Canonical.IsWellEscaped"/>).</summary>
    public static bool IsWellEscaped(ReadOnlySpan<byte> field)
    {
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c is (byte)'|' or (byte)'\n' or (byte)'\r') return false;
            if (c == (byte)'%')
            {
                if (i + 2 >= field.Length) return false;
                var escape = field.Slice(i, 3);
                if (!(escape.SequenceEqual("%25"u8) || escape.SequenceEqual("%7C"u8) || escape.SequenceEqual("%0A"u8) || escape.SequenceEqual("%0D"u8))) return false;
            }
        }
        return true;
    }

    /// <summary>8-4-4-4-12 lowercase hex, as the verifier's UUID pattern.</summary>
    public static bool IsUuid(ReadOnlySpan<byte> id)
    {
        if (id.Length != 36) return false;
        for (var i = 0; i < 36; i++)
        {
            var c = id[i];
            if (i is 8 or 13 or 18 or 23) { if (c != (byte)'-') return false; }
            else if (!(c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f')) return false;
        }
        return true;
    }

    /// <summary>The pool of each stratum (its escaped name) and whether a target id appears twice; the file is in canonical form.</summary>
    public static (Dictionary<string, int> Pools, string? DuplicateId) Strata(ReadOnlySpan<byte> file)
    {
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        byte[]? lastName = null;
        string? lastKey = null;
        var count = 0;
        ReadOnlySpan<byte> previousId = default;
        for (var rest = file; !rest.IsEmpty;)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = rest[..end];
            rest = rest[(end + 1)..];
            var afterStratum = line[2..].IndexOf((byte)'|') + 2;
            var stratum = line[2..afterStratum];
            var id = line.Slice(afterStratum + 1, 36);
            if (lastName is null || !stratum.SequenceEqual(lastName))
            {
                if (lastKey is not null) pools[lastKey] = pools.GetValueOrDefault(lastKey) + count;
                lastName = stratum.ToArray();
                lastKey = Encoding.UTF8.GetString(stratum);
                count = 0;
                previousId = default;
            }
            else if (id.SequenceEqual(previousId)) return (pools, Encoding.ASCII.GetString(id));
            // Lines of one stratum are contiguous (they share the prefix "T|stratum|") and sorted by id, so a repeated id is adjacent.
            count++;
            previousId = id;
        }
        if (lastKey is not null) pools[lastKey] = pools.GetValueOrDefault(lastKey) + count;
        if (pools.Count > 1)
        {
            // More than one stratum: every id of the file once across them (rare: a draw by credit class).
            var all = new HashSet<Guid>();
            for (var rest = file; !rest.IsEmpty;)
            {
                var end = rest.IndexOf((byte)'\n');
                var line = rest[..end];
                rest = rest[(end + 1)..];
                var afterStratum = line[2..].IndexOf((byte)'|') + 2;
                var id = line.Slice(afterStratum + 1, 36);
                if (!all.Add(Guid.ParseExact(Encoding.ASCII.GetString(id), "D"))) return (pools, Encoding.ASCII.GetString(id));
            }
        }
        return (pools, null);
    }
}
