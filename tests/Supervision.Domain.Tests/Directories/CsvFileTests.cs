using System.Text;

namespace Supervision.Domain.Tests.Directories;

public sealed class CsvFileTests
{
    [Fact]
    public void Quotes_doubled_quotes_commas_and_line_breaks_inside_fields_are_read_with_their_starting_line()
    {
        var rows = CsvFile.Parse("a,b,c\r\n1,\"x, \"\"y\"\"\",3\n\n2,\"multi\nline\",4").ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["1", "x, \"y\"", "3"], rows[1].Fields);
        Assert.Equal((4, "multi\nline"), (rows[2].Line, rows[2].Fields[1]));
    }

    [Fact]
    public void UTF8_with_and_without_BOM_and_GB18030_are_recognised()
    {
        const string text = "name\n邢台市某某食品有限公司";
        Assert.Equal((text, "utf-8-bom"), Pick(CsvFile.Decode(new UTF8Encoding(true).GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray())));
        Assert.Equal((text, "utf-8"), Pick(CsvFile.Decode(Encoding.UTF8.GetBytes(text))));
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Assert.Equal((text, "gb18030"), Pick(CsvFile.Decode(Encoding.GetEncoding("GB18030").GetBytes(text))));
    }

    [Fact]
    public void Bytes_that_are_no_known_text_are_refused_with_advice()
    {
        var (text, _, problem) = CsvFile.Decode([0xFF, 0xFE, 0x00, 0x81, 0x30, 0xFF]);
        Assert.Null(text);
        Assert.Contains("CSV UTF-8", problem);
    }

    private static (string?, string) Pick((string? Text, string Encoding, string? Problem) decoded) => (decoded.Text, decoded.Encoding);
}
