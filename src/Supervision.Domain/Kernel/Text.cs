namespace Supervision.Domain.Kernel;

/// <summary>Small shared checks for free-text fields, so every slice words the same rule the same way.</summary>
public static class Text
{
    public static void RequireName(List<DomainError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(DomainError.Invalid(field, $"{field}.required", $"'{field}' is required."));
        else if (HasHiddenControl(value))
            errors.Add(DomainError.Invalid(field, $"{field}.control-character",
                $"'{field}' holds a control or bidirectional-override character (NUL, U+202E …), which would hide or reorder what a reader sees."));
        else if (value.Trim().Length > maxLength)
            errors.Add(DomainError.Invalid(field, $"{field}.too-long", $"'{field}' is at most {maxLength} characters."));
    }

    /// <summary>A "why" is required wherever a change undoes or alters something recorded earlier.</summary>
    public static void RequireReason(List<DomainError> errors, string? reason, int maxLength) =>
        RequireName(errors, "reason", reason, maxLength);

    /// <summary>
    /// NUL and other C0/C1 controls except tab and line breaks, and the bidirectional embedding, override and isolate controls
    /// (U+202A–U+202E, U+2066–U+2069): a name with them reads differently from what it is (an RTL override turns "exe.txt" around).
    /// </summary>
    public static bool HasHiddenControl(string value) =>
        value.Any(c => (char.IsControl(c) && c is not ('\t' or '\n' or '\r')) || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069');

    /// <summary>A free text as it is kept and hashed: trimmed and in Unicode NFC.</summary>
    public static string Normalized(string? value) => (value ?? "").Trim().Normalize(System.Text.NormalizationForm.FormC);
}
