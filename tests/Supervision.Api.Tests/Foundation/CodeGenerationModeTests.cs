using JasperFx.CodeGeneration;
using Microsoft.Extensions.Configuration;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Foundation;

/// <summary>A production boot configured for runtime code generation: the slow start issue 17 found, which must not ship.</summary>
public sealed class RuntimeCodegenInProduction : SupervisionApp
{
    protected override string EnvironmentName => "Production";
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new(CodeGenerationMode.Setting, "Dynamic")];
}

public sealed class CodeGenerationModeTests
{
    private static IConfiguration Settings(string? mode) =>
        new ConfigurationBuilder().AddInMemoryCollection([new(CodeGenerationMode.Setting, mode)]).Build();

    [Theory]
    [InlineData(null, true, TypeLoadMode.Static)]
    [InlineData("Static", true, TypeLoadMode.Static)]
    [InlineData("static", true, TypeLoadMode.Static)]
    [InlineData(null, false, TypeLoadMode.Dynamic)]
    [InlineData("Static", false, TypeLoadMode.Static)]
    [InlineData("Auto", false, TypeLoadMode.Auto)]
    public void Production_runs_pre_generated_code_and_development_may_choose(string? configured, bool production, TypeLoadMode expected) =>
        Assert.Equal(expected, CodeGenerationMode.Resolve(Settings(configured), production));

    [Theory]
    [InlineData("Dynamic")]
    [InlineData("Auto")]
    [InlineData("Sometimes")]
    public void Production_refuses_runtime_code_generation_or_a_mode_it_does_not_know(string configured)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => CodeGenerationMode.Resolve(Settings(configured), production: true));
        Assert.Contains(CodeGenerationMode.Setting, refused.Message);
    }

    [Fact]
    public async Task A_production_host_configured_for_runtime_code_generation_fails_to_start_with_the_reason()
    {
        await using var app = new RuntimeCodegenInProduction();
        var refused = Assert.ThrowsAny<Exception>(() => app.Server);
        Assert.Contains("Production runs only the pre-generated code", refused.GetBaseException().Message + refused.Message);
    }
}
