namespace Supervision.Domain.Draws;

/// <summary>
/// The canonical text forms of a draw (docs/draw-algorithm.md, section 2): UTF-8 in Unicode NFC, one record per line,
/// fields separated by '|', every line ending in LF, lines sorted bytewise, no BOM. Field values escape '%', '|', LF and
/// CR as %25, %7C, %0A, %0D.
/// </summary>
public static class Canonical
{
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Field(string value)
    {
        var nfc = value.Normalize(NormalizationForm.FormC);
        if (nfc.AsSpan().IndexOfAny("%|\n\r") < 0) return nfc;
        return nfc.Replace("%", "%25", StringComparison.Ordinal).Replace("|", "%7C", StringComparison.Ordinal)
            .Replace("\n", "%0A", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal);
    }

    public static string Unescape(string field) =>
        field.IndexOf('%', StringComparison.Ordinal) < 0 ? field
            : field.Replace("%0D", "\r", StringComparison.Ordinal).Replace("%0A", "\n", StringComparison.Ordinal)
                .Replace("%7C", "|", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);

    public static string Line(params string[] fields) => string.Join('|', fields.Select(Field));

    /// <summary>Lines sorted bytewise by their UTF-8 encoding (which for NFC strings is ordinal order of code points, not of UTF-16 units).</summary>
    public static string File(IEnumerable<string> lines)
    {
        var sorted = lines.ToArray();
        // Ordinal UTF-16 order equals UTF-8 byte order unless a line holds a surrogate or a character from U+E000 up.
        var simple = sorted.All(l => l.AsSpan().IndexOfAnyInRange('\uD800', '\uFFFF') < 0);
        Array.Sort(sorted, simple ? StringComparer.Ordinal : Utf8ByteOrder.Instance);
        // Written straight into the result (no builder and then a copy of it): a file of 600,000 team lines is ~120 MB of UTF-16.
        return string.Create(sorted.Sum(l => l.Length + 1), sorted, static (span, lines) =>
        {
            foreach (var line in lines)
            {
                line.CopyTo(span);
                span[line.Length] = '\n';
                span = span[(line.Length + 1)..];
            }
        });
    }

    public static string[] Lines(string file) =>
        file.Length == 0 ? [] : file.EndsWith('\n') ? file[..^1].Split('\n') : file.Split('\n');

    /// <summary>SHA-256 of the UTF-8 text, encoded in chunks so a file of a million lines needs no second copy in memory.</summary>
    public static string Sha256Hex(string text)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[Utf8.GetMaxByteCount(16384)];
        var encoder = Utf8.GetEncoder();
        for (var offset = 0; offset < text.Length;)
        {
            var count = Math.Min(16384, text.Length - offset);
            if (count < text.Length - offset && char.IsHighSurrogate(text[offset + count - 1])) count--;
            var bytes = encoder.GetBytes(text.AsSpan(offset, count), buffer, flush: offset + count == text.Length);
            hash.AppendData(buffer, 0, bytes);
            offset += count;
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Id(Guid id) => id.ToString("D");

    // ---- Strictness (/2, section 2): one content has exactly one byte form ----

    /// <summary>No '|', LF or CR, and every '%' begins %25, %7C, %0A or %0D.</summary>
    public static bool IsWellEscaped(string field)
    {
        for (var i = 0; i < field.Length; i++)
        {
            var c = field[i];
            if (c is '|' or '\n' or '\r') return false;
            if (c == '%' && (i + 2 >= field.Length || field.Substring(i, 3) is not ("%25" or "%7C" or "%0A" or "%0D"))) return false;
        }
        return true;
    }

    /// <summary>Decodes left to right; only the four escapes exist (the field must be well escaped).</summary>
    public static string UnescapeStrict(string field)
    {
        if (field.IndexOf('%', StringComparison.Ordinal) < 0) return field;
        var builder = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] != '%') { builder.Append(field[i]); continue; }
            builder.Append(field.Substring(i, 3) switch { "%25" => '%', "%7C" => '|', "%0A" => '\n', _ => '\r' });
            i += 2;
        }
        return builder.ToString();
    }

    /// <summary>
    /// Why a text is not a canonical file, or null: valid UTF-16 (so valid UTF-8), no BOM, no CR, LF-terminated, NFC,
    /// lines strictly ascending bytewise, every field well escaped, and each line of the form <paramref name="lineForm"/> accepts.
    /// </summary>
    public static string? FileProblem(string? file, Func<string[], bool> lineForm)
    {
        if (file is null) return "the file is missing.";
        if (file.Length == 0) return null;
        for (var i = 0; i < file.Length; i++)
        {
            if (char.IsHighSurrogate(file[i]) && i + 1 < file.Length && char.IsLowSurrogate(file[i + 1])) { i++; continue; }
            if (char.IsSurrogate(file[i])) return "it holds an unpaired surrogate (not valid UTF-8).";
        }
        if (file[0] == '\uFEFF') return "it begins with a byte-order mark.";
        if (file.Contains('\r')) return "it holds a CR.";
        if (!file.EndsWith('\n')) return "its last line does not end in LF.";
        if (!file.IsNormalized(NormalizationForm.FormC)) return "it is not in Unicode NFC.";
        // Line by line (as Lines(file) would split it, without holding every line at once).
        string? previous = null;
        for (int start = 0, n = 0; start < file.Length; n++)
        {
            var end = file.IndexOf('\n', start);
            var line = file[start..end];
            start = end + 1;
            if (previous is not null && Utf8ByteOrder.Instance.Compare(previous, line) >= 0)
                return $"line {n + 1} is not after line {n} in bytewise order (lines are sorted, each once).";
            var fields = line.Split('|');
            if (!fields.All(IsWellEscaped)) return $"line {n + 1} has a wrongly escaped field.";
            if (!lineForm(fields)) return $"line {n + 1} is not of this file's form: '{line}'.";
            previous = line;
        }
        return null;
    }

    /// <summary>
    /// Orders strings by their UTF-8 bytes. Ordinal UTF-16 comparison differs from it only for characters outside the
    /// Basic Multilingual Plane against U+E000–U+FFFF, so the common path compares ordinally and only those fall back.
    /// </summary>
    public sealed class Utf8ByteOrder : IComparer<string>
    {
        public static readonly Utf8ByteOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var length = Math.Min(x.Length, y.Length);
            for (var i = 0; i < length; i++)
            {
                var a = x[i];
                var b = y[i];
                if (a == b) continue;
                if (char.IsSurrogate(a) || char.IsSurrogate(b) || a >= '\uE000' || b >= '\uE000')
                {
                    var start = char.IsLowSurrogate(a) || char.IsLowSurrogate(b) ? i - 1 : i;
                    return Utf8.GetBytes(x[start..]).AsSpan().SequenceCompareTo(Utf8.GetBytes(y[start..]));
                }
                return a.CompareTo(b);
            }
            return x.Length.CompareTo(y.Length);
        }
    }
}
