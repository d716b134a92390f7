using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Supervision.Api.ApiDocs;

namespace Supervision.Api.Tests.OpenApi;

/// <summary>
/// Reads every rule code out of the source (Roslyn syntax, no compilation): each <c>DomainError.Invalid/NotFound/Conflict/Forbidden(field,
/// rule, message)</c>, <c>new DomainError(kind, …)</c> and <c>new ImportRowError(row, column, rule, message)</c>, plus the few rules the HTTP
/// layer decides itself (<see cref="HttpRules"/>). A rule with a varying part (<c>$"credit-code.{…}"</c>) is listed with <c>*</c>.
/// </summary>
public static class ProblemCatalogueSource
{
    private sealed record Site(string Rule, int Status, string Field, string Meaning, string Source);

    /// <summary>Rules decided outside the domain's DomainError (ConflictProblems, DatabaseFailures, the exception handlers, jobs).</summary>
    private static readonly Site[] HttpRules =
    [
        new("version.stale", 409, "version", "Someone else changed this first: read the current version and try again.", "src/Supervision.Api/Infrastructure/Http/ConflictProblems.cs"),
        new("write.conflict", 409, "", "Another request wrote the same data at the same moment: read it again and retry.", "src/Supervision.Api/Infrastructure/Http/DatabaseFailures.cs"),
        new("unique-key.taken", 409, "", "Another request took this unique value at the same moment.", "src/Supervision.Api/Infrastructure/Http/DatabaseFailures.cs"),
        new("stream.exists", 409, "", "An object with this identity was created by another request at the same moment.", "src/Supervision.Api/Infrastructure/Http/DatabaseFailures.cs"),
        new("service.database-unavailable", 503, "", "The database cannot be reached right now: send the same request again after Retry-After (with the same Idempotency-Key).", "src/Supervision.Api/Infrastructure/Http/DatabaseFailures.cs"),
        new("request.unreadable", 400, "", "The request could not be read.", "src/Supervision.Api/Infrastructure/Http/RequestHardening.cs"),
        new("request.json", 400, "", "The request body is not valid JSON for this endpoint.", "src/Supervision.Api/Infrastructure/Http/RequestHardening.cs"),
        new("request.too-large", 413, "", "The request body is larger than this endpoint accepts.", "src/Supervision.Api/Infrastructure/Http/RequestHardening.cs"),
        new("job.node-lost", 503, "", "The node running this job stopped before it finished; nothing of the job was written. Start it again.", "src/Supervision.Api/Jobs/JobStore.cs"),
        new("problem.unknown", 404, "rule", "No rule of this name is known (the catalogue itself).", "src/Supervision.Api/ApiDocs/ProblemCatalogue.cs"),
    ];

    /// <summary>The meaning of rules whose message the source computes (from an exception or a describing function).</summary>
    private static readonly Dictionary<string, string> ComputedMeanings = new(StringComparer.Ordinal)
    {
        ["credit-code.*"] = "The unified social credit code breaks GB 32100-2015: its length, a character outside the code's alphabet, or the check character (the message names which, and the expected check character).",
        ["credit-code.check"] = "The unified social credit code's check character is not the one GB 32100-2015 computes (the message names the expected one).",
        ["credit-code.format"] = "The unified social credit code is not 18 characters of the GB 32100-2015 alphabet.",
        ["draw.replacement.invalid"] = "The recusal or replacement names no drawn target or team member of this draw, or one already replaced (the message says which).",
    };

    public static IReadOnlyList<ProblemRule> Read(string repositoryRoot)
    {
        var files = Directory.EnumerateFiles(Path.Combine(repositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Internal{Path.DirectorySeparatorChar}Generated", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path: Path.GetRelativePath(repositoryRoot, f).Replace('\\', '/'), Root: CSharpSyntaxTree.ParseText(File.ReadAllText(f)).GetRoot()))
            .ToList();
        var constants = files.SelectMany(f => f.Root.DescendantNodes().OfType<FieldDeclarationSyntax>())
            .Where(f => f.Modifiers.Any(SyntaxKind.ConstKeyword))
            .SelectMany(f => f.Declaration.Variables)
            .Where(v => v.Initializer?.Value is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression })
            .GroupBy(v => v.Identifier.Text)
            .ToDictionary(g => g.Key, g => ((LiteralExpressionSyntax)g.First().Initializer!.Value).Token.ValueText);

        var sites = new List<Site>(HttpRules);
        foreach (var (path, root) in files)
            foreach (var node in root.DescendantNodes())
            {
                var (status, field, rule, message) = node switch
                {
                    InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "DomainError" }, Name.Identifier.Text: var kind },
                        ArgumentList.Arguments: { Count: >= 3 } a,
                    } when StatusOf(kind) is { } s => (s, a[0].Expression, a[1].Expression, a[2].Expression),
                    BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 4 } a } creation when CreatedType(creation) == "DomainError"
                        && a[0].Expression is MemberAccessExpressionSyntax { Name.Identifier.Text: var kind } && StatusOf(kind) is { } s => (s, a[1].Expression, a[2].Expression, a[3].Expression),
                    BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 4 } a } creation when CreatedType(creation) == "ImportRowError"
                        => (400, a[1].Expression, a[2].Expression, a[3].Expression),
                    _ => (0, null!, null!, null!),
                };
                if (status == 0) continue;
                foreach (var code in Strings(rule, constants, hole: "*").Where(c => c.Length > 0 && c != "*"))
                    sites.Add(new Site(code, status, FieldText(field, constants), Strings(message, constants, hole: "…").FirstOrDefault() ?? "", path));
            }

        return sites.GroupBy(s => s.Rule, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ProblemRule(g.Key,
                g.Select(s => s.Status).Distinct().Order().ToList(),
                g.Select(s => s.Field).Where(f => f.Length > 0).Distinct().Order(StringComparer.Ordinal).ToList(),
                g.Select(s => s.Meaning).Where(m => m.Length > 0).Distinct().Order(StringComparer.Ordinal).Take(4)
                    .DefaultIfEmpty(ComputedMeanings.GetValueOrDefault(g.Key, "")).Where(m => m.Length > 0).ToList(),
                g.Select(s => s.Source).Distinct().Order(StringComparer.Ordinal).ToList()))
            .ToList();
    }

    private static int? StatusOf(string kind) => kind switch
    {
        "Invalid" => 400,
        "Forbidden" => 403,
        "NotFound" => 404,
        "Conflict" => 409,
        _ => null,
    };

    private static string? CreatedType(BaseObjectCreationExpressionSyntax creation) => creation switch
    {
        ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax name } => name.Identifier.Text,
        ObjectCreationExpressionSyntax { Type: QualifiedNameSyntax name } => name.Right.Identifier.Text,
        _ => null,
    };

    /// <summary>The strings an expression can be: literals, both arms of a conditional, constants by name, interpolations with their holes marked.</summary>
    private static IEnumerable<string> Strings(ExpressionSyntax expression, IReadOnlyDictionary<string, string> constants, string hole) => expression switch
    {
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal => [literal.Token.ValueText],
        InterpolatedStringExpressionSyntax interpolated => [string.Concat(interpolated.Contents.Select(c =>
            c is InterpolatedStringTextSyntax text ? text.TextToken.ValueText : hole))],
        ConditionalExpressionSyntax conditional => Strings(conditional.WhenTrue, constants, hole).Concat(Strings(conditional.WhenFalse, constants, hole)),
        ParenthesizedExpressionSyntax parenthesized => Strings(parenthesized.Expression, constants, hole),
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.CoalesceExpression } coalesce => Strings(coalesce.Left, constants, hole).Concat(Strings(coalesce.Right, constants, hole)),
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add =>
            Strings(add.Left, constants, hole).DefaultIfEmpty(hole).SelectMany(l => Strings(add.Right, constants, hole).DefaultIfEmpty(hole).Select(r => l + r)),
        IdentifierNameSyntax name when constants.TryGetValue(name.Identifier.Text, out var value) => [value],
        MemberAccessExpressionSyntax member when constants.TryGetValue(member.Name.Identifier.Text, out var value) => [value],
        _ => [],
    };

    /// <summary>A field as a reader can look for it: a literal as written, a computed one with its varying part in braces.</summary>
    private static string FieldText(ExpressionSyntax expression, IReadOnlyDictionary<string, string> constants) => expression switch
    {
        LiteralExpressionSyntax { RawKind: (int)SyntaxKind.StringLiteralExpression } literal => literal.Token.ValueText,
        InterpolatedStringExpressionSyntax interpolated => string.Concat(interpolated.Contents.Select(c =>
            c is InterpolatedStringTextSyntax text ? text.TextToken.ValueText : "{" + ((InterpolationSyntax)c).Expression + "}")),
        ConditionalExpressionSyntax conditional => string.Join(" | ", Strings(conditional, constants, "{…}")),
        _ => "{" + expression + "}",
    };

    public static string Json(IReadOnlyList<ProblemRule> rules) => System.Text.Json.JsonSerializer.Serialize(rules, ProblemCatalogue.Json).ReplaceLineEndings("\n") + "\n";

    public static string Markdown(IReadOnlyList<ProblemRule> rules)
    {
        static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        var md = new StringBuilder();
        md.Append("# Problem types: every rule code\n\n")
            .Append("<!-- Generated by tests/Supervision.Api.Tests/OpenApi/ProblemCatalogueTests.cs from the source; do not edit by hand. -->\n\n")
            .Append("A refused request answers with an RFC 9457 problem document (`application/problem+json`). Its `type` is `/problems/{rule}` for the rule\n")
            .Append("that decided the status, which the service answers (`GET /problems/{rule}`, HTML or JSON; `GET /problems` lists them all); its\n")
            .Append("`violations` list `{field, rule, message}` for every rule broken. A `*` in a rule stands for a part that varies; a field in braces is\n")
            .Append("computed (e.g. `{at}.name` is `tasks[0].name`). The HTTP status is that of the rule's kind: 400 invalid, 403 forbidden, 404 not found,\n")
            .Append("409 conflict with the current state; when one request breaks rules of several kinds, 403 wins over 400, 400 over 404, 404 over 409.\n\n")
            .Append($"{rules.Count} rules.\n\n")
            .Append("| rule | HTTP | field | meaning | decided in |\n| --- | --- | --- | --- | --- |\n");
        foreach (var rule in rules)
            md.Append($"| `{Cell(rule.Rule)}` | {string.Join(", ", rule.Statuses)} | {string.Join("<br>", rule.Fields.Select(f => $"`{Cell(f)}`"))} | ")
                .Append($"{string.Join("<br>", rule.Meanings.Select(Cell))} | {string.Join("<br>", rule.Sources.Select(s => Cell(s.Replace("src/", "", StringComparison.Ordinal))))} |\n");
        return md.ToString();
    }
}
