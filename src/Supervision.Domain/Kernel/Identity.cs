namespace Supervision.Domain.Kernel;

/// <summary>
/// One rule for "the same person" everywhere: user ids compare after trimming and ignoring case (an identity provider
/// may hand out "zhang-both" and "ZHANG-BOTH" for one account), so a four-eyes or two-person rule cannot be met by one
/// person under two spellings.
/// </summary>
public static class Identity
{
    public static string Normalize(string? userId) => (userId ?? "").Trim().ToLowerInvariant();

    public static bool Same(string? a, string? b) => Normalize(a) == Normalize(b);
}
