using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Supervision.Domain.Draws;

namespace Supervision.Domain.Tests.Draws;

/// <summary>RFC 3797: the section 6 worked example reproduced exactly, and the section 4 canonicalisation rules.</summary>
public sealed class Rfc3797Tests
{
    // RFC 3797 section 6, "Hypothetical randomness publicly produced", written as the RFC writes them.
    private static readonly string[] Section6Sources = ["9319", "2, 5, 12, 8, 10", "9, 18, 26, 34, 41, 45"];

    // RFC 3797 section 6, the 25 volunteers "published in advance of selection", in published order.
    private static readonly string[] Section6Pool =
    [
        "John", "Mary", "Bashful", "Dopey", "Sleepy", "Grouchy", "Doc", "Sneazy", "Handsome", "Cassandra",
        "Pollyanna", "Pendragon", "Pandora", "Faith", "Hope", "Charity", "Lee", "Longsuffering", "Chastity", "Smith",
        "Pride", "Sloth", "Envy", "Anger", "Kasczynski",
    ];

    // RFC 3797 section 6, the table (index, hex value of MD5, div, selected), copied from the RFC text.
    private static readonly Rfc3797.Round[] Section6Table =
    [
        new(1, "990DD0A5692A029A98B5E01AA28F3459", 25, 17),
        new(2, "3691E55CB63FCC37914430B2F70B5EC6", 24, 7),
        new(3, "FE814EDF564C190AC1D25753979990FA", 23, 2),
        new(4, "1863CCACEB568C31D7DDBDF1D4E91387", 22, 16),
        new(5, "F4AB33DF4889F0AF29C513905BE1D758", 21, 25),
        new(6, "13EAEB529F61ACFB9A29D0BA3A60DE4A", 20, 23),
        new(7, "992DB77C382CA2BDB9727001F3CDCCD9", 19, 8),
        new(8, "63AB4258ECA922976811C7F55C383CE7", 18, 24),
        new(9, "DFBC5AC97CED01B3A6E348E3CC63F40D", 17, 19),
        new(10, "31CB111C4A4EBE9287CEAE16FE51B909", 16, 13),
        new(11, "07FA46C122F164C215BBC72793B189A3", 15, 22),
        new(12, "AC52F8D75CCBE2E61AFEB3387637D501", 14, 5),
        new(13, "53306F73E14FC0B2FBF434218D25948E", 13, 18),
        new(14, "B5D1403501A81F9A47318BE7893B347C", 12, 9),
        new(15, "85B10B356AA06663EF1B1B407765100A", 11, 1),
        new(16, "3269E6CE559ABD57E2BA6AAB495EB9BD", 10, 4),
    ];

    [Fact]
    public void Algorithm_id()
    {
        Assert.Equal("rfc3797", Rfc3797.Algorithm);
    }

    [Fact]
    public void Section_6_key_string()
    {
        Assert.Equal("9319./2.5.8.10.12./9.18.26.34.41.45./", Rfc3797.KeyString(Section6Sources));
    }

    [Fact]
    public void Section_6_first_md5_values()
    {
        const string key = "9319./2.5.8.10.12./9.18.26.34.41.45./";
        Assert.Equal("990DD0A5692A029A98B5E01AA28F3459", Convert.ToHexString(Rfc3797.Digest(key, 0)));
        Assert.Equal("3691E55CB63FCC37914430B2F70B5EC6", Convert.ToHexString(Rfc3797.Digest(key, 1)));
        Assert.Equal("FE814EDF564C190AC1D25753979990FA", Convert.ToHexString(Rfc3797.Digest(key, 2)));
    }

    [Fact]
    public void Section_6_table_is_reproduced_row_for_row()
    {
        Assert.Equal(Section6Table, Rfc3797.Rounds(25, 16, Section6Sources));
    }

    [Fact]
    public void Section_6_selection()
    {
        var selected = Rfc3797.Select(25, 16, Section6Sources);
        Assert.Equal([17, 7, 2, 16, 25, 23, 8, 24, 19, 13, 22, 5, 18, 9, 1, 4], selected);

        // "Resulting first ten selected, in order selected" and "the next would be Sloth, number 22".
        Assert.Equal(
            ["Lee", "Doc", "Mary", "Charity", "Kasczynski", "Envy", "Sneazy", "Anger", "Chastity", "Pandora"],
            Rfc3797.Select(25, 10, Section6Sources).Select(p => Section6Pool[p - 1]));
        Assert.Equal("Sloth", Section6Pool[selected[10] - 1]);
    }

    [Fact]
    public void A_shorter_selection_is_a_prefix_of_a_longer_one()
    {
        var all = Rfc3797.Select(25, 25, Section6Sources);
        for (var n = 0; n <= 25; n++) Assert.Equal(all.Take(n), Rfc3797.Select(25, n, Section6Sources));
        Assert.Equal(Enumerable.Range(1, 25), all.Order());
    }

    [Fact]
    public void The_counter_is_two_bytes_big_endian_around_the_key()
    {
        const string key = "1./";
        var expected = MD5.HashData([0x01, 0x02, (byte)'1', (byte)'.', (byte)'/', 0x01, 0x02]);
        Assert.Equal(expected, Rfc3797.Digest(key, 0x0102));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc3797.Digest(key, 0x10000));
    }

    [Theory]
    // Section 4 step 2: values sorted by numeric value (not as text), concatenated, then "/".
    [InlineData("2, 5, 12, 8, 10", "2.5.8.10.12./")]
    [InlineData("12 10 8 5 2", "2.5.8.10.12./")]
    [InlineData("45,41 34\t26  18,,9", "9.18.26.34.41.45./")]
    [InlineData("5 5 1", "1.5.5./")]
    // A single number is represented the same way, with a suffix "/".
    [InlineData("9319", "9319./")]
    [InlineData("  9319 ", "9319./")]
    // Step 1: no leading zeroes except a single zero integer part; no trailing zeroes after the period.
    [InlineData("007", "7./")]
    [InlineData("0", "0./")]
    [InlineData("000", "0./")]
    [InlineData("00.50", "0.5/")]
    [InlineData(".5", "0.5/")]
    [InlineData("3.000", "3./")]
    [InlineData("5.", "5./")]
    [InlineData("1.25", "1.25/")]
    // Fractional values: the period separates whole and fraction, no terminating period; sorted by exact value.
    [InlineData("1.25 0.5 1.2 10", "0.51.21.2510./")]
    [InlineData("2.10 2.09 2", "2.2.092.1/")]
    [InlineData("100000000000000000000000000001 99999999999999999999999999999", "99999999999999999999999999999.100000000000000000000000000001./")]
    public void Numeric_sources(string source, string canonical)
    {
        Assert.Equal(canonical, Rfc3797.CanonicalSource(source));
    }

    [Theory]
    // Section 4, last paragraph: white space, punctuation, accents and special characters removed, letters upper-cased,
    // the remaining A-Z/0-9 sequence treated as a canonical number: suffixed with "./".
    [InlineData("W 4-1", "W41./")]
    [InlineData("Café au lait", "CAFEAULAIT./")]
    [InlineData("Mažňák", "MAZNAK./")]
    [InlineData("red sox: 007!", "REDSOX007./")]
    [InlineData("-5", "5./")]
    [InlineData("1e5", "1E5./")]
    public void Alphanumeric_sources(string source, string canonical)
    {
        Assert.Equal(canonical, Rfc3797.CanonicalSource(source));
    }

    [Fact]
    public void Sources_keep_their_given_order()
    {
        Assert.Equal("45./9./", Rfc3797.KeyString(["45", "9"]));
        Assert.Equal("9./45./", Rfc3797.KeyString(["9", "45"]));
        // Values within one source are sorted; the sources themselves are not.
        Assert.Equal("9.45./", Rfc3797.KeyString(["45 9"]));
    }

    [Fact]
    public void Canonicalisation_does_not_depend_on_the_current_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("tr-TR");
            Assert.Equal("ISTANBUL./", Rfc3797.CanonicalSource("istanbul"));
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("1.5/", Rfc3797.CanonicalSource("1.50"));
            Assert.Equal([17, 7, 2], Rfc3797.Select(25, 3, Section6Sources));
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(", ,")]
    [InlineData("--")]
    [InlineData("Жук")] // beyond an ASCII or similar Roman alphabet: the RFC gives no canonical form
    [InlineData("ß")]
    [InlineData("٣")] // a non-ASCII digit
    public void Sources_without_a_canonical_form_are_refused(string source)
    {
        Assert.Throws<ArgumentException>(() => Rfc3797.CanonicalSource(source));
        Assert.Throws<ArgumentException>(() => Rfc3797.Select(25, 1, ["9319", source]));
    }

    [Fact]
    public void Invalid_inputs_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Rfc3797.Select(25, 26, Section6Sources));
        Assert.Throws<ArgumentException>(() => Rfc3797.Select(25, 1, []));
        Assert.Throws<ArgumentException>(() => Rfc3797.KeyString([]));
        Assert.Throws<ArgumentNullException>(() => Rfc3797.Select(25, 1, null!));
        Assert.Throws<ArgumentException>(() => Rfc3797.Select(25, 1, [null!]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc3797.Select(0, 0, Section6Sources));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc3797.Select(25, -1, Section6Sources));
        Assert.Throws<ArgumentOutOfRangeException>(() => Rfc3797.Select(Rfc3797.MaxPoolSize + 1, 1, Section6Sources));
        Assert.Throws<ArgumentException>(() => Rfc3797.Digest("Ä./", 0));
    }

    [Fact]
    public void Edge_sizes()
    {
        Assert.Empty(Rfc3797.Select(25, 0, Section6Sources));
        Assert.Equal([1], Rfc3797.Select(1, 1, Section6Sources));
        var big = Rfc3797.Select(Rfc3797.MaxPoolSize, 3, Section6Sources);
        Assert.Equal(3, big.Distinct().Count());
        Assert.All(big, p => Assert.InRange(p, 1, Rfc3797.MaxPoolSize));
    }

    [Fact]
    public void Remainder_matches_the_reference_codes_byte_wise_long_remainder()
    {
        // RFC 3797 section 8, longremainder(): kruft = ((kruft << 8) + byte) % divisor over the 16 digest bytes.
        var key = Rfc3797.KeyString(Section6Sources);
        var rounds = Rfc3797.Rounds(25, 16, Section6Sources);
        var remaining = Enumerable.Range(1, 25).ToList();
        foreach (var round in rounds)
        {
            long kruft = 0;
            foreach (var b in Rfc3797.Digest(key, round.Index - 1)) kruft = ((kruft << 8) + b) % round.Divisor;
            Assert.Equal(remaining[(int)kruft], round.Selected);
            remaining.RemoveAt((int)kruft);
        }
        Assert.Equal(Encoding.ASCII.GetBytes(key), key.Select(c => (byte)c));
    }
}
