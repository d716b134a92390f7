namespace Supervision.Domain.Tests.Directories;

public sealed class CreditCodeTests
{
    [Theory]
    [InlineData("91350100M000100Y43")]
    [InlineData("91110000802100433B")]
    [InlineData("914403001922038216")]
    public void Published_codes_pass_the_GB_32100_check(string code) => Assert.Equal(CreditCode.Problem.None, CreditCode.Check(code));

    /// <summary>GB 32100-2015 annex B: weights 3^(i-1) mod 31, check = 31 − (Σ mod 31), 31 read as 0, over the 31-character alphabet.</summary>
    [Theory]
    [InlineData("91350100M000100Y4", '3')]
    [InlineData("91110000802100433", 'B')]
    [InlineData("91440300192203821", '6')]
    [InlineData("9144030071526726X", 'G')]
    public void The_check_character_of_a_known_code_is_computed(string first17, char expected) =>
        Assert.Equal(expected, CreditCode.CheckCharacterFor(first17));

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

    /// <summary>Issue 16: the hint was computed from the raw input ('x' is not in the alphabet, a leading space shifts every weight).</summary>
    [Theory]
    [InlineData("9144030071526726xA")]
    [InlineData(" 9144030071526726XA")]
    [InlineData("\u30009144030071526726XA\t")]
    public void The_hint_comes_from_the_normalised_code(string typed)
    {
        var code = Identifiers.Normalize(typed);
        Assert.Equal(CreditCode.Problem.CheckCharacter, CreditCode.Check(code));
        Assert.Contains("should be 'G'", CreditCode.Describe(CreditCode.Problem.CheckCharacter, code));
    }
}

public sealed class IdentifierTests
{
    [Theory]
    [InlineData(" 914403001922038216")]
    [InlineData("914403001922038216 ")]
    [InlineData("\t914403001922038216\n")]
    [InlineData("\r\n914403001922038216\r\n")]
    [InlineData("\u3000914403001922038216\u3000")]   // ideographic (full-width) space
    [InlineData("\u00A0914403001922038216\u00A0")]   // no-break space
    [InlineData("\u200B914403001922038216\uFEFF")]   // zero-width space, BOM
    [InlineData("９１４４０３００１９２２０３８２１６")] // full-width digits
    public void White_space_invisible_characters_and_full_width_forms_do_not_make_another_identifier(string typed) =>
        Assert.Equal("914403001922038216", Identifiers.Normalize(typed));

    [Fact]
    public void Lower_case_is_upper_cased_and_inner_characters_are_left_for_the_format_check()
    {
        Assert.Equal("91350100M000100Y43", Identifiers.Normalize("91350100m000100y43"));
        Assert.Equal("9144 03001922038216", Identifiers.Normalize(" 9144 03001922038216"));
        Assert.Null(Identifiers.NormalizeOrNull(" \u3000\u200B"));
    }

    [Fact]
    public void Every_keyed_identifier_uses_the_one_normaliser()
    {
        Assert.Equal(Target.IdentifierFor(TargetKind.Enterprise, "914403001922038216", null), Target.IdentifierFor(TargetKind.Enterprise, "\u3000914403001922038216 ", null));
        Assert.Equal(Target.IdentifierFor(TargetKind.Product, null, "PROD-1"), Target.IdentifierFor(TargetKind.Product, null, "\u200Bprod-1\t"));
        Assert.Equal(Inspector.IdFor("XT-0001"), Inspector.IdFor("\u3000xt-0001\n"));
        Assert.Equal(Supervision.Domain.Organization.Department.IdFor("XT-SCJG"), Supervision.Domain.Organization.Department.IdFor(" xt-scjg\u00A0"));
        Assert.Equal(TagDefinition.IdFor("FOOD"), TagDefinition.IdFor("food\u3000"));
    }
}
