namespace Supervision.Domain.Kernel;

/// <summary>
/// The one normaliser for every identifier the system keys on (unified social credit codes, non-entity target codes, staff codes,
/// certificate numbers …), used by the HTTP commands and the CSV imports alike, so " 914403001922038216" typed into a form and
/// "914403001922038216" read from a file name the same enterprise (issue 16).
/// </summary>
/// <remarks>
/// What it does, in order: Unicode NFKC (full-width 'Ａ'/'９' become 'A'/'9', the ideographic space U+3000 and NBSP become
/// ordinary spaces), then strips white space and the invisible format characters a copy from a web page or a spreadsheet carries
/// (zero-width space, joiners, word joiner, BOM) at either end, then upper-cases (GB 32100-2015 codes are upper case; 'x' is
/// a slip of the keyboard, not another code). Characters inside the identifier are left alone for the format check to refuse.
/// </remarks>
public static class Identifiers
{
    public static string Normalize(string value)
    {
        var text = value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
        var start = 0;
        var end = text.Length;
        while (start < end && IsPadding(text[start])) start++;
        while (end > start && IsPadding(text[end - 1])) end--;
        return text[start..end].ToUpperInvariant();
    }

    /// <summary>Null stays null (an absent identifier), and so does one that is only white space.</summary>
    public static string? NormalizeOrNull(string? value) =>
        value is null ? null : Normalize(value) is { Length: > 0 } normalized ? normalized : null;

    /// <summary>White space (tab, line breaks, U+3000, NBSP …) and the zero-width characters that print as nothing.</summary>
    public static bool IsPadding(char c) =>
        char.IsWhiteSpace(c) || c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u180E';
}
