using System.Buffers;

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

    /// <summary>Every target id of a canonical targets file.</summary>
    public static HashSet<Guid> TargetIds(ReadOnlySpan<byte> file)
    {
        var ids = new HashSet<Guid>();
        for (var rest = file; !rest.IsEmpty;)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            var afterStratum = line[2..].IndexOf((byte)'|') + 2;
            ids.Add(Guid.ParseExact(Encoding.ASCII.GetString(line.Slice(afterStratum + 1, 36)), "D"));
        }
        return ids;
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

/// <summary>
/// Freezes the targets file (docs/draw-algorithm.md, section 2.2) from rows as they stream out of the database: each row
/// becomes its canonical line's UTF-8 bytes (fields NFC and escaped as <see cref="Canonical.Field"/>) appended to one
/// buffer, no object or string kept per target. Rows that arrive in canonical order (ORDER BY the line, bytewise) are
/// hashed as they come; otherwise the lines are sorted bytewise once at the end. Either way the bytes and the hash are
/// those of <c>Canonical.File</c> over the same lines.
/// </summary>
public sealed class CanonicalTargetsWriter
{
    private byte[] buffer;
    private int length;
    private readonly List<int> starts = [];
    private bool sorted = true;
    private int previousStart = -1;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int hashed;

    public CanonicalTargetsWriter(int expectedBytes = 1 << 20) => buffer = new byte[Math.Max(1024, expectedBytes)];

    public int Count => starts.Count;

    public void Add(string stratum, Guid id, string identifier)
    {
        var stratumField = Canonical.Field(stratum);
        var identifierField = Canonical.Field(identifier);
        var needed = 2 + Encoding.UTF8.GetMaxByteCount(stratumField.Length) + 1 + 36 + 1 + Encoding.UTF8.GetMaxByteCount(identifierField.Length) + 1;
        if (length + needed > buffer.Length) Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, Math.Max((long)buffer.Length * 2, length + needed)));
        var start = length;
        var span = buffer.AsSpan();
        span[length++] = (byte)'T';
        span[length++] = (byte)'|';
        length += Encoding.UTF8.GetBytes(stratumField, span[length..]);
        span[length++] = (byte)'|';
        id.TryFormat(span[length..], out var written, "D");
        length += written;
        span[length++] = (byte)'|';
        length += Encoding.UTF8.GetBytes(identifierField, span[length..]);
        span[length++] = (byte)'\n';
        if (sorted && previousStart >= 0 && span[previousStart..(start - 1)].SequenceCompareTo(span[start..(length - 1)]) >= 0) sorted = false;
        if (sorted && length - hashed > 1 << 20)
        {
            hash.AppendData(buffer, hashed, start - hashed);
            hashed = start;
        }
        previousStart = start;
        starts.Add(start);
    }

    /// <summary>The canonical file's bytes (the first <c>Length</c> of them) and its SHA-256 in hex. Targets are distinct, so every line is once.</summary>
    public (byte[] Bytes, int Length, string Sha256) Complete()
    {
        if (sorted)
        {
            hash.AppendData(buffer, hashed, length - hashed);
            return (buffer, length, Convert.ToHexStringLower(hash.GetHashAndReset()));
        }
        var lines = starts.ToArray();
        var source = buffer;
        var end = length;
        int LineEnd(int index) => index + 1 < lines.Length ? lines[index + 1] - 1 : end - 1;
        var order = Enumerable.Range(0, lines.Length).ToArray();
        Array.Sort(order, (a, b) => source.AsSpan(lines[a], LineEnd(a) - lines[a]).SequenceCompareTo(source.AsSpan(lines[b], LineEnd(b) - lines[b])));
        var result = new byte[length];
        var at = 0;
        foreach (var index in order)
        {
            var line = source.AsSpan(lines[index], LineEnd(index) + 1 - lines[index]);
            line.CopyTo(result.AsSpan(at));
            at += line.Length;
        }
        return (result, length, CanonicalUtf8.Sha256Hex(result));
    }
}
