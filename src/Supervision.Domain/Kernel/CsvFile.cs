using System.Text;

namespace Supervision.Domain.Kernel;

/// <summary>
/// Reads the CSV files departments export from spreadsheets: RFC 4180 (quotes, doubled quotes, line breaks inside
/// quotes, CRLF or LF), UTF-8 with or without BOM, or GB18030, which Chinese spreadsheet software often writes.
/// </summary>
public static class CsvFile
{
    static CsvFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public sealed record Row(int Line, IReadOnlyList<string> Fields);

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
    public static IEnumerable<Row> Parse(string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowStart = 1;
        var inQuotes = false;
        var fieldStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inQuotes)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
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
