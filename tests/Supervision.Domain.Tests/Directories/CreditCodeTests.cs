using Supervision.Domain.Directories;

namespace Supervision.Domain.Tests.Directories;

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000802100433B")]
    public void Published_codes_pass_the_GB_32100_check(string code) => Assert.Equal(CreditCode.Problem.None, CreditCode.Check(code));

    [Theory]
    [InlineData("91350100M000100Y44", CreditCode.Problem.CheckCharacter)]
    [InlineData("91350100M000100Y4", CreditCode.Problem.Length)]
    [InlineData("91350100M000100I43", CreditCode.Problem.Character)]
    [InlineData("91350100m000100Y43", CreditCode.Problem.Character)]
    [InlineData(null, CreditCode.Problem.Length)]
    public void Wrong_codes_say_what_is_wrong(string? code, CreditCode.Problem expected) => Assert.Equal(expected, CreditCode.Check(code));

    [Fact]
    public void The_message_for_a_wrong_check_character_names_the_right_one() =>
        Assert.Contains("should be '3'", CreditCode.Describe(CreditCode.Problem.CheckCharacter, "91350100M000100Y44"));
}
