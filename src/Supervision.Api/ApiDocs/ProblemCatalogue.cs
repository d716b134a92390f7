using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervision.Api.ApiDocs;

/// <summary>One rule code a refusal may name: the HTTP status it answers with, the fields it is reported on, what it means, where it is decided.</summary>
public sealed record ProblemRule(string Rule, IReadOnlyList<int> Statuses, IReadOnlyList<string> Fields, IReadOnlyList<string> Meanings, IReadOnlyList<string> Sources)
{
    /// <summary>A rule code with a part that varies (<c>credit-code.*</c>) matches every code of that shape.</summary>
    public bool Matches(string rule) => Rule.Contains('*')
        ? System.Text.RegularExpressions.Regex.IsMatch(rule, "^" + string.Join("[^ ]+", Rule.Split('*').Select(System.Text.RegularExpressions.Regex.Escape)) + "$")
        : string.Equals(Rule, rule, StringComparison.Ordinal);
}

/// <summary>
/// Every rule code of the domain and the API, generated from the source by <c>ProblemCatalogueTests</c> into <c>problem-catalogue.json</c>
/// (embedded here) and <c>docs/problems.md</c>; that test fails when either is out of date. Served at <c>GET /problems</c> (HTML or JSON)
/// and <c>GET /problems/{rule}</c>, which is what every problem document's <c>type</c> points at.
/// </summary>
public sealed class ProblemCatalogue(IReadOnlyList<ProblemRule> rules)
{
    public const string ResourceName = "problem-catalogue.json";
    public const string TypePrefix = "/problems/";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public IReadOnlyList<ProblemRule> Rules { get; } = rules;

    public static ProblemCatalogue Load()
    {
        using var stream = typeof(ProblemCatalogue).Assembly.GetManifestResourceStream(ResourceName);
        return new ProblemCatalogue(stream is null ? [] : JsonSerializer.Deserialize<List<ProblemRule>>(stream, Json) ?? []);
    }

    public ProblemRule? Find(string rule) =>
        Rules.FirstOrDefault(r => string.Equals(r.Rule, rule, StringComparison.Ordinal)) ?? Rules.FirstOrDefault(r => r.Matches(rule));

    /// <summary>The <c>type</c> of a problem whose deciding rule is <paramref name="rule"/>: a relative URI this service answers.</summary>
    public static string TypeFor(string rule) => TypePrefix + Uri.EscapeDataString(rule);

    public static IEndpointRouteBuilder MapProblemCatalogue(IEndpointRouteBuilder app)
    {
        // Anonymous and outside the OpenAPI document: they are the documentation itself, named by every problem's `type`.
        app.MapGet("/problems", (HttpContext context, ProblemCatalogue catalogue) =>
                WantsJson(context) ? Results.Json(catalogue.Rules, Json) : Results.Content(catalogue.Html(catalogue.Rules, "Problem types: every rule code"), "text/html; charset=utf-8", Encoding.UTF8))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/problems/{rule}", (string rule, HttpContext context, ProblemCatalogue catalogue) =>
                catalogue.Find(rule) is not { } found
                    ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No rule '{rule}' is known.", type: TypeFor("problem.unknown"))
                    : WantsJson(context) ? Results.Json(found, Json) : Results.Content(catalogue.Html([found], "Problem type " + found.Rule), "text/html; charset=utf-8", Encoding.UTF8))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static bool WantsJson(HttpContext context) =>
        context.Request.Query["format"] == "json" || context.Request.Headers.Accept.ToString().Contains("json", StringComparison.OrdinalIgnoreCase);

    private string Html(IEnumerable<ProblemRule> rules, string title)
    {
        var html = HtmlEncoder.Default;
        var body = new StringBuilder();
        foreach (var rule in rules)
            body.Append($"<tr id=\"{html.Encode(rule.Rule)}\"><td><code>{html.Encode(rule.Rule)}</code></td><td>{string.Join(", ", rule.Statuses)}</td>")
                .Append($"<td>{string.Join("<br>", rule.Fields.Select(f => $"<code>{html.Encode(f)}</code>"))}</td>")
                .Append($"<td>{string.Join("<br>", rule.Meanings.Select(html.Encode))}</td></tr>\n");
        return $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{html.Encode(title)}}</title>
            <style>body{font-family:sans-serif;max-width:72rem;margin:auto;padding:1rem;line-height:1.45}table{border-collapse:collapse;width:100%}
            td,th{border:1px solid #999;padding:.3rem;text-align:left;vertical-align:top}code{white-space:nowrap}</style></head>
            <body><h1>{{html.Encode(title)}}</h1>
            <p>A refused request answers with an RFC 9457 problem document whose <code>type</code> is <code>/problems/{rule}</code> for the deciding rule and
            whose <code>violations</code> list every field and rule broken. This page lists {{Rules.Count}} rules; <a href="/problems?format=json">as JSON</a>.
            A <code>*</code> stands for a part that varies.</p>
            <table><thead><tr><th>rule</th><th>HTTP status</th><th>field</th><th>meaning</th></tr></thead><tbody>
            {{body}}</tbody></table></body></html>
            """;
    }
}
