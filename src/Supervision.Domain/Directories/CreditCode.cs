namespace Supervision.Domain.Directories;

/// <summary>
/// 统一社会信用代码 per GB 32100-2015: 18 characters from the alphabet 0-9 and A-Z without I, O, Z, S, V; the 18th is a
/// check character computed from the first 17 with weights 3^(i) mod 31 (GB 32100-2015, clause 4 and annex B).
/// </summary>
public static class CreditCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    private static readonly int[] Weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

    public enum Problem
    {
        None,
        Length,
        Character,
        CheckCharacter,
    }

    public static Problem Check(string? code)
    {
        if (code is null || code.Length != 18) return Problem.Length;
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var value = Alphabet.IndexOf(code[i], StringComparison.Ordinal);
            if (value < 0) return Problem.Character;
            sum += value * Weights[i];
        }
        if (Alphabet.IndexOf(code[17], StringComparison.Ordinal) < 0) return Problem.Character;
        return code[17] == CheckCharacterFor(sum) ? Problem.None : Problem.CheckCharacter;
    }

    /// <summary>The check character a 17-character prefix needs (for tests and test data).</summary>
    public static char CheckCharacterFor(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++) sum += Alphabet.IndexOf(first17[i], StringComparison.Ordinal) * Weights[i];
        return CheckCharacterFor(sum);
    }

    private static char CheckCharacterFor(int sum) => Alphabet[(31 - sum % 31) % 31];

    public static string Describe(Problem problem, string? code) => problem switch
    {
        Problem.Length => $"A unified social credit code has 18 characters; '{code}' has {code?.Length ?? 0} (GB 32100-2015).",
        Problem.Character => $"'{code}' has a character outside 0-9 and A-Z without I, O, Z, S, V (GB 32100-2015).",
        Problem.CheckCharacter => $"The check character of '{code}' is wrong: it should be '{CheckCharacterFor(code![..17])}' (GB 32100-2015).",
        _ => "",
    };
}
