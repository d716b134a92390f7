using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Api.ApiDocs;

namespace Supervision.Api.Tests.OpenApi;

/// <summary>
/// The rule catalogue (issue 15): generated from the source into <c>src/Supervision.Api/ApiDocs/problem-catalogue.json</c> (served at
/// <c>/problems</c>) and <c>docs/problems.md</c>; a stale copy fails here (and is rewritten, to be reviewed and committed). Every problem's
/// <c>type</c> resolves to its rule's entry.
/// </summary>
public sealed class ProblemCatalogueTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static string JsonFile => Path.Combine(RepositoryPaths.Root, "src", "Supervision.Api", "ApiDocs", ProblemCatalogue.ResourceName);
    private static string MarkdownFile => Path.Combine(RepositoryPaths.Root, "docs", "problems.md");

    [Fact]
    public void The_catalogue_files_list_every_rule_of_the_source()
    {
        var rules = ProblemCatalogueSource.Read(RepositoryPaths.Root);
        Assert.True(rules.Count > 150, $"only {rules.Count} rules found: the source reader misses DomainError calls");
        Assert.Contains(rules, r => r.Rule == "region.code.format" && r.Statuses.SequenceEqual([400]) && r.Fields.Contains("code"));
        Assert.All(rules, r => Assert.NotEmpty(r.Statuses));
        Assert.All(rules, r => Assert.True(r.Meanings.Count > 0, $"{r.Rule} has no meaning: give it a literal message or an entry in ComputedMeanings"));
        var stale = new List<string>();
        foreach (var (file, content) in new[] { (JsonFile, ProblemCatalogueSource.Json(rules)), (MarkdownFile, ProblemCatalogueSource.Markdown(rules)) })
        {
            if (File.Exists(file) && File.ReadAllText(file).ReplaceLineEndings("\n") == content) continue;
            File.WriteAllText(file, content);
            stale.Add(Path.GetRelativePath(RepositoryPaths.Root, file));
        }
        Assert.True(stale.Count == 0, $"out of date, now rewritten from the source (review and commit; rebuild for /problems): {string.Join(", ", stale)}");
    }

    [Fact]
    public async Task A_refusal_names_its_rule_in_type_and_the_type_resolves_to_the_rule_in_the_catalogue()
    {
        var admin = app.ClientFor("catalogue-admin", Roles.SystemAdmin);
        var refused = await (await admin.PostJson("/api/regions", new RegisterRegion("13", "河北省"))).ReadNodeAs(400);
        var type = refused["type"]!.GetValue<string>();
        Assert.Equal("/problems/region.code.format", type);

        var page = app.Anonymous();
        page.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var entry = await (await page.GetAsync(type)).ReadNodeAs(200);
        Assert.Equal("region.code.format", entry["rule"]!.GetValue<string>());
        Assert.Contains(400, entry["statuses"]!.AsArray().Select(s => s!.GetValue<int>()));

        var html = await (await app.Anonymous().GetAsync("/problems")).ShouldHaveStatus(200);
        Assert.StartsWith("text/html", html.Content.Headers.ContentType!.ToString());
        Assert.Contains("id=\"version.stale\"", await html.Content.ReadAsStringAsync());
        var all = (await (await page.GetAsync("/problems")).ReadNodeAs(200)).AsArray();
        Assert.Equal(ProblemCatalogueSource.Read(RepositoryPaths.Root).Count, all.Count);
    }

    [Fact]
    public async Task A_rule_with_a_varying_part_resolves_and_an_unknown_rule_is_a_404_problem()
    {
        var page = app.Anonymous();
        page.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        Assert.Equal("credit-code.*", (await (await page.GetAsync("/problems/credit-code.length")).ReadNodeAs(200))["rule"]!.GetValue<string>());
        var unknown = await (await page.GetAsync("/problems/no.such-rule")).ReadNodeAs(404);
        Assert.Equal("/problems/problem.unknown", unknown["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_rules_the_http_layer_decides_are_served_too()
    {
        var catalogue = app.Services.GetRequiredService<ProblemCatalogue>();
        foreach (var rule in new[] { "version.stale", "stream.exists", "service.database-unavailable", "request.json", "request.too-large" })
            Assert.NotNull(catalogue.Find(rule));
    }
}
