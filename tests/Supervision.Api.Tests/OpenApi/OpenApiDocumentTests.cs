namespace Supervision.Api.Tests.OpenApi;

/// <summary>
/// The OpenAPI document as a product (issue 15): every operation has a human summary, one slice tag, a security requirement or an
/// explained anonymous mark, and the roles of <c>authorization-matrix.txt</c>; the document is checked in as <c>docs/openapi.json</c>
/// (which <c>ops/openapi-check.sh</c> lints and compiles a client against) and a stale copy fails here (and is rewritten, to be reviewed).
/// </summary>
public sealed class OpenApiDocumentTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch"];
    private static string SnapshotFile => Path.Combine(RepositoryPaths.Root, "docs", "openapi.json");
    private static string MatrixFile => Path.Combine(RepositoryPaths.Root, "tests", "Supervision.Api.Tests", "Access", "authorization-matrix.txt");

    private async Task<JsonObject> Document() =>
        (await (await app.Anonymous().GetAsync("/openapi/v1.json")).ReadNodeAs(200)).AsObject();

    private static IEnumerable<(string Key, JsonObject Operation)> Operations(JsonObject document) =>
        document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Where(m => Verbs.Contains(m.Key))
            .Select(m => ($"{m.Key.ToUpperInvariant()} {p.Key}", m.Value!.AsObject())));

    [Fact]
    public async Task Every_operation_has_a_human_summary_a_slice_tag_and_a_description()
    {
        var document = await Document();
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToHashSet();
        var failures = new List<string>();
        foreach (var (key, operation) in Operations(document))
        {
            var summary = operation["summary"]?.GetValue<string>() ?? "";
            var operationId = operation["operationId"]?.GetValue<string>() ?? "";
            if (summary.Length < 12 || summary == operationId || summary.Contains('_') && !summary.Contains(' '))
                failures.Add($"{key}: no human summary ('{summary}'): add a /// <summary> to the endpoint method or class");
            if (summary.Length > 200) failures.Add($"{key}: summary longer than a sentence ({summary.Length} characters)");
            if (operation["description"]?.GetValue<string>() is not { Length: > 40 }) failures.Add($"{key}: no description");
            var opTags = operation["tags"]?.AsArray().Select(t => t!.GetValue<string>()).ToList() ?? [];
            if (opTags.Count != 1 || !tags.Contains(opTags[0])) failures.Add($"{key}: tags [{string.Join(", ", opTags)}] are not one declared slice tag");
        }
        var duplicates = Operations(document).GroupBy(o => o.Operation["summary"]?.GetValue<string>()).Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' on {string.Join(", ", g.Select(o => o.Key))}");
        failures.AddRange(duplicates.Select(d => "the same summary twice: " + d));
        Assert.True(failures.Count == 0, $"{failures.Count} problems:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task Every_operation_declares_its_security_and_roles_as_the_authorization_matrix_says()
    {
        var document = await Document();
        var scheme = document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal("http", scheme["type"]!.GetValue<string>());
        Assert.Equal("bearer", scheme["scheme"]!.GetValue<string>());
        var matrix = File.ReadAllLines(MatrixFile).Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(' ', 3))
            .ToDictionary(f => $"{f[0]} {f[1]}", f => f[2]);
        var failures = new List<string>();
        foreach (var (key, operation) in Operations(document))
        {
            var security = operation["security"]?.AsArray();
            var anonymous = operation["x-anonymous"]?.GetValue<bool>() == true;
            var who = operation["x-access"]?.GetValue<string>();
            if (!matrix.TryGetValue(key, out var expected)) { failures.Add($"{key}: no row in authorization-matrix.txt"); continue; }
            if (who != expected) failures.Add($"{key}: x-access '{who}', the matrix says '{expected}'");
            if (security is null || security.Count == 0) { failures.Add($"{key}: no security requirement"); continue; }
            if (anonymous)
            {
                if (expected != "anonymous") failures.Add($"{key}: marked anonymous, the matrix says {expected}");
                if (security.Any(r => r!.AsObject().Count > 0)) failures.Add($"{key}: anonymous but requires credentials");
                if (operation["x-anonymous-reason"]?.GetValue<string>() is not { Length: > 20 }) failures.Add($"{key}: anonymous without a reason");
            }
            else
            {
                if (security.Count != 1 || security[0]!["bearer"] is null) failures.Add($"{key}: not the bearer requirement");
                var roles = operation["x-roles"]?.AsArray().Select(r => r!.GetValue<string>()).ToList();
                var expectedRoles = expected == "authenticated" ? [] : expected.Split(',').ToList();
                if (roles is null || !roles.SequenceEqual(expectedRoles)) failures.Add($"{key}: x-roles [{string.Join(",", roles ?? [])}], the matrix says {expected}");
                if (operation["responses"]?["401"] is null) failures.Add($"{key}: no 401 answer");
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} problems:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public async Task The_main_flows_carry_examples()
    {
        var operations = Operations(await Document()).ToDictionary(o => o.Key, o => o.Operation);
        foreach (var key in Supervision.Api.ApiDocs.ApiExamples.Operations)
        {
            Assert.True(operations.TryGetValue(key, out var operation), $"an example for {key}, which is not an operation");
            Assert.NotNull(operation!["x-example-summary"]);
            Assert.Contains("\"example\"", operation.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_checked_in_document_is_the_one_the_service_serves()
    {
        var served = Canonical(await Document());
        var current = File.Exists(SnapshotFile) ? File.ReadAllText(SnapshotFile).ReplaceLineEndings("\n") : "";
        if (current == served) return;
        File.WriteAllText(SnapshotFile, served);
        Assert.Fail("docs/openapi.json was out of date and is now rewritten from the service: review it, run bash ops/openapi-check.sh and commit it.");
    }

    /// <summary>Paths and schemas sorted by name, so the file changes only where the API does.</summary>
    private static string Canonical(JsonObject document)
    {
        static JsonObject Sorted(JsonObject node) => new(node.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
        var copy = document.DeepClone().AsObject();
        copy["paths"] = Sorted(copy["paths"]!.AsObject());
        if (copy["components"]?["schemas"] is JsonObject schemas) copy["components"]!["schemas"] = Sorted(schemas);
        return copy.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
