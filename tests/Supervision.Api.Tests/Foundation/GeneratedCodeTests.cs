using JasperFx.CodeGeneration;
using JasperFx.CodeGeneration.Model;
using Microsoft.Extensions.DependencyInjection;

namespace Supervision.Api.Tests.Foundation;

/// <summary>A development host that writes Wolverine's generated code to a scratch folder instead of the source tree.</summary>
public sealed class CodegenHost : SupervisionApp
{
    public string OutputPath { get; } = Path.Combine(Path.GetTempPath(), "supervision-codegen-" + Guid.NewGuid().ToString("N")[..8]);

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Supervision:GeneratedCodeOutputPath", OutputPath)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(OutputPath)) Directory.Delete(OutputPath, recursive: true);
    }
}

[CollectionDefinition(nameof(CodegenCollection), DisableParallelization = true)]
public sealed class CodegenCollection;

/// <summary>
/// Production loads the code in src/Supervision.Api/Internal/Generated (TypeLoadMode.Static). This regenerates it from
/// the current endpoints and handlers and demands the committed files be identical, so a changed endpoint without
/// <c>bash ops/codegen.sh</c> fails here rather than running stale code in production.
/// </summary>
[Collection(nameof(CodegenCollection))]
public sealed class GeneratedCodeTests(CodegenHost app) : IClassFixture<CodegenHost>
{
    [Fact]
    public void The_committed_generated_code_is_what_the_current_code_generates()
    {
        var collections = app.Services.GetServices<ICodeFileCollection>().ToArray();
        // The codegen command sets this flag; it changes what is emitted (trimming roots), so the comparison must too.
        DynamicCodeBuilder.WithinCodegenCommand = true;
        try
        {
            new DynamicCodeBuilder(app.Services, collections)
            {
                ServiceVariableSource = app.Services.GetService<IServiceVariableSource>(),
            }.WriteGeneratedCode(_ => { });
        }
        finally
        {
            DynamicCodeBuilder.WithinCodegenCommand = false;
        }

        var expected = Snapshot(app.OutputPath);
        var committed = Snapshot(RepositoryPaths.GeneratedCode);
        Assert.NotEmpty(expected);
        var stale = expected.Keys.Union(committed.Keys)
            .Where(file => expected.GetValueOrDefault(file) != committed.GetValueOrDefault(file))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(stale.Count == 0,
            "Generated code is stale; run 'bash ops/codegen.sh' and commit the result. Differing files: " + string.Join(", ", stale));
    }

    private static Dictionary<string, string> Snapshot(string root) =>
        Directory.Exists(root)
            ? Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];
}
