namespace Supervision.Domain.Tests.Directories;

/// <summary>标签字库: a tag's definition is refused for a malformed code or a missing scope, by rule code.</summary>
public sealed class TagRulesTests
{
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Actor Keeper = new("keeper-1", "目录员", Roles.DirectoryKeeper, Owner);

    [Fact]
    public void A_tag_has_a_well_formed_code_and_a_scope()
    {
        var tags = Decider.For<TagDefinition>(TagRules.Evolve);
        tags.When(_ => TagRules.Decide(new DefineTag("食品 标签", "食品", TagScope.Target, Owner, null), null, true, Keeper))
            .ThenRefused("tag.code.format", ErrorKind.Invalid);
        tags.When(_ => TagRules.Decide(new DefineTag("FOOD", "食品", null, Owner, null), null, true, Keeper))
            .ThenRefused("scope.required", ErrorKind.Invalid);
        var defined = Assert.IsType<TagDefined>(Assert.Single(tags.When(_ => TagRules.Decide(new DefineTag("food", "食品", TagScope.Target, Owner, null), null, true, Keeper)).ThenAccepted()));
        Assert.Equal("FOOD", defined.Code);
    }
}
