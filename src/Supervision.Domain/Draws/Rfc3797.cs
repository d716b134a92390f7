using System.Numerics;

namespace Supervision.Domain.Draws;

/// <summary>
/// Selection mode <see cref="Algorithm"/>: publicly verifiable random selection exactly as RFC 3797 ("Publicly Verifiable
/// Nominations Committee (NomCom) Random Selection", D. Eastlake 3rd, June 2004) section 4 specifies it, with the
/// real-world rules of section 5 left to the caller, and reproducing the section 6 worked example (see the tests and
/// docs/rfc3797.md). Pure and deterministic: no clock, no System.Random, no floating point, no culture-sensitive call.
/// </summary>
/// <remarks>
/// A source is given as text, one string per source, in the pre-specified source order (RFC 3797 section 4, step 3).
/// A source whose text is one or more decimal numbers separated by white space and/or commas (for example the RFC's
/// own "2, 5, 12, 8, 10") is numeric; any other text is an alphanumeric source (section 4, last paragraph), which the
/// RFC strongly recommends against. Commas always separate values; they are never digit-group separators.
/// </remarks>
public static class Rfc3797
{
    public const string Algorithm = "rfc3797";

    /// <summary>
    /// The largest pool: the RFC's reference code (section 8) refuses pools above 2**16-1 ("pool limit of 2**8-1 extended to
    /// 2**16-1 by Erik Nordmark"); it also keeps every round counter within the two bytes section 4 gives it.
    /// </summary>
    public const int MaxPoolSize = 65535;

    /// <summary>One row of the RFC 3797 section 6 table: round index (1-based), MD5 in upper-case hex, divisor, position selected.</summary>
    public sealed record Round(int Index, string Md5Hex, int Divisor, int Selected);

    /// <summary>
    /// The key string: every source canonicalised (<see cref="CanonicalSource"/>, each ending in "/"), concatenated in
    /// the order given (RFC 3797 section 4, step 3: "Concatenate these strings in a pre-specified order, the order in
    /// which the sources were listed if not otherwise specified"). For the section 6 example it is
    /// "9319./2.5.8.10.12./9.18.26.34.41.45./".
    /// </summary>
    public static string KeyString(IReadOnlyList<string> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("RFC 3797 needs at least one source of randomness.", nameof(sources));
        var key = new StringBuilder();
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is null) throw new ArgumentException($"Source {i + 1} is null.", nameof(sources));
            key.Append(CanonicalSource(sources[i]));
        }
        return key.ToString();
    }

    /// <summary>
    /// One source in its canonical form, ending in "/":
    /// <list type="bullet">
    /// <item>Numeric (RFC 3797 section 4, steps 1 and 2): each value in decimal, without leading zeroes except a single
    /// "0" when the integer part is zero, without trailing zeroes after the period, and terminated by a period (or with
    /// the period separating the whole from the fractional part: "1.25", not "1.25."); the values ordered from smallest
    /// to largest by exact decimal value, concatenated with nothing between them, and suffixed with "/". A single number
    /// is the same with one value: "9319" gives "9319./".</item>
    /// <item>Alphanumeric (section 4, last paragraph): "all white space, punctuation, accents, and special characters
    /// should be removed and all letters set to upper case", leaving "an unbroken sequence of letters A-Z and digits
    /// 0-9" suffixed with "./": "W 4-1" gives "W41./", "Café" gives "CAFE./". The RFC leaves text beyond an ASCII or
    /// similar Roman alphabet to the user ("you are on your own"); it is refused here rather than guessed at.</item>
    /// </list>
    /// </summary>
    public static string CanonicalSource(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (TryNumbers(source, out var numbers))
        {
            // Section 4, step 2: "Order the values from each source from smallest to the largest and concatenate them
            // and suffix the result with a "/"." Equal values are both kept.
            numbers.Sort(CompareDecimal);
            var text = new StringBuilder();
            foreach (var (whole, fraction) in numbers) text.Append(whole).Append('.').Append(fraction);
            return text.Append('/').ToString();
        }
        return Alphanumeric(source) + "./";
    }

    /// <summary>
    /// The MD5 of round <paramref name="counter"/> (0 for the first value): RFC 3797 section 4, "the MD5 hash [RFC 1321] of
    /// this string prefixed and suffixed with an all zeros two byte sequence for the first value, the string prefixed and
    /// suffixed by 0x0001 for the second value, etc., treating the two bytes as a big endian counter", the string being the
    /// key's characters as ASCII codes (step 3).
    /// </summary>
    public static byte[] Digest(string keyString, int counter)
    {
        ArgumentNullException.ThrowIfNull(keyString);
        ArgumentOutOfRangeException.ThrowIfNegative(counter);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(counter, 0xFFFF);
        var buffer = new byte[keyString.Length + 4];
        buffer[0] = buffer[^2] = (byte)(counter >> 8);
        buffer[1] = buffer[^1] = (byte)counter;
        for (var i = 0; i < keyString.Length; i++)
        {
            var c = keyString[i];
            if (c > '\u007F') throw new ArgumentException("The key string must be ASCII (RFC 3797 section 4, step 3).", nameof(keyString));
            buffer[i + 2] = (byte)c;
        }
        return MD5.HashData(buffer);
    }

    /// <summary>
    /// The 1-based positions in the published pool list, in selection order (RFC 3797 section 4). Selecting more than
    /// needed gives the ordered alternates (section 2.3); the first <c>n</c> of a longer selection are the selection of
    /// <c>n</c>, so a selectee found ineligible is skipped by taking the next one (section 5.1).
    /// </summary>
    public static IReadOnlyList<int> Select(int poolSize, int count, IReadOnlyList<string> sources) =>
        Rounds(poolSize, count, sources).Select(r => r.Selected).ToArray();

    /// <summary>
    /// The selection with its working, row for row as the RFC 3797 section 6 table shows it. Section 4: "Treat each of
    /// these derived "random" MD5 output values as a positive 128-bit multiprecision big endian integer. ... If there are
    /// P volunteers, select the first by dividing the first derived random value by P and using the remainder plus one as
    /// the position of the selectee in the published list. Select the second by dividing the second derived random value
    /// by P-1 and using the remainder plus one as the position in the list with the first selected person eliminated. Etc."
    /// </summary>
    public static IReadOnlyList<Round> Rounds(int poolSize, int count, IReadOnlyList<string> sources)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(poolSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(poolSize, MaxPoolSize);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > poolSize)
            throw new ArgumentException($"Cannot select {count} from a pool of {poolSize} (RFC 3797 selects without replacement).", nameof(count));
        var key = KeyString(sources);

        // The positions still in the list, in published order; a selected one is eliminated and the rest close up.
        var remaining = Enumerable.Range(1, poolSize).ToList();
        var rounds = new Round[count];
        for (var i = 0; i < count; i++)
        {
            var digest = Digest(key, i);
            var value = new BigInteger(digest, isUnsigned: true, isBigEndian: true);
            var divisor = remaining.Count;
            var index = (int)(value % divisor);
            rounds[i] = new Round(i + 1, Convert.ToHexString(digest), divisor, remaining[index]);
            remaining.RemoveAt(index);
        }
        return rounds;
    }

    // ---- Canonicalisation helpers ----

    /// <summary>
    /// Parses the source as one or more unsigned decimals ("12", "0.5", ".5", "5.") separated by white space and/or commas.
    /// Each comes back as (whole, fraction) already in the section 4 step 1 form: whole without leading zeroes ("0" if it
    /// is zero), fraction without trailing zeroes (empty if none is left).
    /// </summary>
    private static bool TryNumbers(string source, out List<(string Whole, string Fraction)> numbers)
    {
        numbers = [];
        var i = 0;
        while (true)
        {
            while (i < source.Length && (char.IsWhiteSpace(source[i]) || source[i] == ',')) i++;
            if (i == source.Length) return numbers.Count > 0;
            var start = i;
            while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
            var whole = source[start..i];
            var fraction = "";
            if (i < source.Length && source[i] == '.')
            {
                var fractionStart = ++i;
                while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
                fraction = source[fractionStart..i];
            }
            if (whole.Length + fraction.Length == 0) return false;
            if (i < source.Length && !char.IsWhiteSpace(source[i]) && source[i] != ',') return false;
            whole = whole.TrimStart('0');
            numbers.Add((whole.Length == 0 ? "0" : whole, fraction.TrimEnd('0')));
        }
    }

    /// <summary>Exact decimal order of canonical numbers: by the whole part (length, then digits), then by the fraction digits.</summary>
    private static int CompareDecimal((string Whole, string Fraction) a, (string Whole, string Fraction) b)
    {
        var byWhole = a.Whole.Length != b.Whole.Length ? a.Whole.Length.CompareTo(b.Whole.Length) : string.CompareOrdinal(a.Whole, b.Whole);
        // Both fractions lack trailing zeroes, so comparing their digits left to right (shorter first on a tie) is exact.
        return byWhole != 0 ? byWhole : string.CompareOrdinal(a.Fraction, b.Fraction);
    }

    /// <summary>RFC 3797 section 4, last paragraph: remove white space, punctuation, accents and special characters; upper-case letters.</summary>
    private static string Alphanumeric(string source)
    {
        var text = new StringBuilder(source.Length);
        // Canonical decomposition separates accents (non-spacing marks) from their letters, so "é" leaves "e".
        foreach (var c in source.Normalize(NormalizationForm.FormD))
        {
            if (char.IsAsciiLetterLower(c)) text.Append((char)(c - 'a' + 'A'));
            else if (char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) text.Append(c);
            else if (char.IsLetterOrDigit(c))
                throw new ArgumentException(
                    $"Source \"{source}\" holds '{c}' (U+{(int)c:X4}), a letter or digit outside A-Z and 0-9: RFC 3797 section 4 gives no canonical form for it.",
                    nameof(source));
            // Anything else (white space, punctuation, symbols, the accents split off above, control characters) is removed.
        }
        if (text.Length == 0)
            throw new ArgumentException($"Source \"{source}\" has no letter A-Z or digit 0-9 to use (RFC 3797 section 4).", nameof(source));
        return text.ToString();
    }
}
