namespace Supervision.Domain.Kernel;

/// <summary>
/// Reads the CSV files departments export from spreadsheets: RFC 4180 (quotes, doubled quotes, line breaks inside
/// quotes, CRLF or LF), UTF-8 with or without BOM, or GB18030, which Chinese spreadsheet software often writes.
/// </summary>
public static class CsvFile
{
    static CsvFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public sealed record Row(int Line, IReadOnlyList<string> Fields);

    /// <summary>
    /// The encoding of a file on disk, decided as <see cref="Decode"/> does but without holding the text: a BOM means UTF-8;
    /// otherwise the bytes are checked as strict UTF-8, then as strict GB18030, chunk by chunk.
    /// </summary>
    public static (Encoding? Encoding, bool Bom, string Name, string? Problem) Detect(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[3];
        var read = file.Read(start);
        if (read == 3 && start.SequenceEqual(new byte[] { 0xEF, 0xBB, 0xBF })) return (new UTF8Encoding(false, true), true, "utf-8-bom", null);
        foreach (var (encoding, name) in new (Encoding, string)[]
                 {
                     (new UTF8Encoding(false, throwOnInvalidBytes: true), "utf-8"),
                     (Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback), "gb18030"),
                 })
        {
            if (Valid(path, encoding)) return (encoding, false, name, null);
        }
        return (null, false, "unknown", "The file is neither UTF-8 nor GB18030 text; save it as 'CSV UTF-8' and import again.");
    }

    private static bool Valid(string path, Encoding encoding)
    {
        using var file = File.OpenRead(path);
        var decoder = encoding.GetDecoder();
        var bytes = new byte[65536];
        var chars = new char[encoding.GetMaxCharCount(bytes.Length)];
        try
        {
            for (int n; (n = file.Read(bytes, 0, bytes.Length)) > 0;) decoder.GetChars(bytes, 0, n, chars, 0, flush: false);
            decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>Decodes the bytes, naming the encoding found, or explains why the file is unreadable.</summary>
    public static (string? Text, string Encoding, string? Problem) Decode(ReadOnlySpan<byte> bytes)
    {
        ReadOnlySpan<byte> bom = [0xEF, 0xBB, 0xBF];
        if (bytes.StartsWith(bom)) return TryDecode(bytes[3..], new UTF8Encoding(false, throwOnInvalidBytes: true), "utf-8-bom");
        var utf8 = TryDecode(bytes, new UTF8Encoding(false, throwOnInvalidBytes: true), "utf-8");
        if (utf8.Problem is null) return utf8;
        var gb18030 = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var gb = TryDecode(bytes, gb18030, "gb18030");
        return gb.Problem is null
            ? gb
            : (null, "unknown", "The file is neither UTF-8 nor GB18030 text; save it as 'CSV UTF-8' and import again.");
    }

    private static (string? Text, string Encoding, string? Problem) TryDecode(ReadOnlySpan<byte> bytes, Encoding encoding, string name)
    {
        try
        {
            return (encoding.GetString(bytes), name, null);
        }
        catch (DecoderFallbackException)
        {
            return (null, name, $"The file is not valid {name}.");
        }
    }

    /// <summary>Splits text into rows; <see cref="Row.Line"/> is the 1-based line on which the row starts.</summary>
    public static IEnumerable<Row> Parse(string text) => Parse(new StringReader(text));

    /// <summary>The same, from a reader: one row in memory at a time, so a file of any size streams through.</summary>
    public static IEnumerable<Row> Parse(TextReader text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var inQuotes = false;
        var fieldStarted = false;
        for (var next = text.Read(); next >= 0; next = text.Read())
        {
            var c = (char)next;
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (text.Peek() == '"') { field.Append('"'); text.Read(); }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when !fieldStarted && field.Length == 0:
                    inQuotes = true;
                    fieldStarted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStarted = false;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    if (!(fields.Count == 1 && fields[0].Length == 0)) yield return new Row(rowStart, fields.ToArray());
                    fields.Clear();
                    field.Clear();
                    fieldStarted = false;
                    line++;
                    rowStart = line;
                    break;
                default:
                    field.Append(c);
                    fieldStarted = true;
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0 || fieldStarted)
        {
            fields.Add(field.ToString());
            yield return new Row(rowStart, fields.ToArray());
        }
    }
}

/// <summary>One refused cell of an import file: the 1-based line (the header is line 1), the column ("" for the whole row) and the rule.</summary>
public sealed record ImportRowError(int Row, string Column, string Rule, string Message);

/// <summary>
/// The refused cells of an import, bounded: the first <see cref="Listed"/> are kept as they came, the rest only counted per rule,
/// so a file of any size is refused in constant memory.
/// </summary>
public sealed class ImportErrors
{
    public const int MaxListed = 100;
    private readonly List<ImportRowError> listed = [];
    private readonly Dictionary<string, int> byRule = new(StringComparer.Ordinal);
    private readonly System.Collections.BitArray rows = new(0);

    public int Count { get; private set; }
    public IReadOnlyList<ImportRowError> Listed => listed;
    public IReadOnlyDictionary<string, int> CountsByRule => byRule;
    /// <summary>How many distinct lines have a problem (one bit per line number).</summary>
    public int Lines { get; private set; }

    public void Add(ImportRowError error)
    {
        Count++;
        byRule[error.Rule] = byRule.GetValueOrDefault(error.Rule) + 1;
        if (error.Row >= 0 && error.Row < 100_000_000)
        {
            if (error.Row >= rows.Length) rows.Length = Math.Max(error.Row + 1, rows.Length * 2);
            if (!rows[error.Row]) { rows[error.Row] = true; Lines++; }
        }
        if (listed.Count < MaxListed) listed.Add(error);
    }

    public void AddRange(IEnumerable<ImportRowError> errors)
    {
        foreach (var error in errors) Add(error);
    }
}
