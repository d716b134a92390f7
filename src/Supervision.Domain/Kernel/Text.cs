namespace Supervision.Domain.Kernel;

/// <summary>Small shared checks for free-text fields, so every slice words the same rule the same way.</summary>
public static class Text
{
    public static void RequireName(List<DomainError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            errors.Add(DomainError.Invalid(field, $"{field}.required", $"'{field}' is required."));
        else if (value.Trim().Length > maxLength)
            errors.Add(DomainError.Invalid(field, $"{field}.too-long", $"'{field}' is at most {maxLength} characters."));
    }

    /// <summary>A "why" is required wherever a change undoes or alters something recorded earlier.</summary>
    public static void RequireReason(List<DomainError> errors, string? reason, int maxLength) =>
        RequireName(errors, "reason", reason, maxLength);

    /// <summary>A free text as it is kept and hashed: trimmed and in Unicode NFC.</summary>
    public static string Normalized(string? value) => (value ?? "").Trim().Normalize(System.Text.NormalizationForm.FormC);
}
