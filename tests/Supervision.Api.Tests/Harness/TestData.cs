namespace Supervision.Api.Tests.Harness;

public static class TestData
{
    /// <summary>A valid unified social credit code (GB 32100-2015) for a test number: the check character is computed.</summary>
    public static string CreditCode(int n)
    {
        var first17 = $"91130500MA{n:D7}";
        return first17 + Supervision.Domain.Directories.CreditCode.CheckCharacterFor(first17);
    }

    /// <summary>The same code with a wrong check character.</summary>
    public static string WrongCreditCode(int n)
    {
        var good = CreditCode(n);
        var wrong = good[17] == '0' ? '1' : '0';
        return good[..17] + wrong;
    }
}
