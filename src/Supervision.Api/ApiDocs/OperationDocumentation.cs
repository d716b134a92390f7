using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Supervision.Api.ApiDocs;

/// <summary>
/// Every operation, centrally: its summary and description from the endpoint's doc comments, its tag from its slice, its security
/// requirement and roles from its authorization metadata (or an explicit anonymous mark with the reason), the 401/403 answers that
/// follow from them, and the worked examples of the main flows (<see cref="ApiExamples"/>).
/// </summary>
public sealed partial class OperationDocumentation(XmlDocs docs) : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        if (description.ActionDescriptor is not ControllerActionDescriptor { MethodInfo: { } method }) return Task.CompletedTask;
        var route = "/" + (description.RelativePath ?? "").TrimStart('/');
        var verb = (description.HttpMethod ?? "GET").ToUpperInvariant();
        var slice = Slice.Of(method.DeclaringType!);
        var access = EndpointAccess.Of(description.ActionDescriptor.EndpointMetadata);

        var (summary, text) = Describe(method);
        if (summary.Length > 0) operation.Summary = summary;
        else if (operation.Summary == operation.OperationId) operation.Summary = null;

        operation.Tags = new HashSet<OpenApiTagReference> { new(slice.Tag, context.Document) };
        operation.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        var accessText = new StringBuilder("**Access:** ");
        if (access.Anonymous)
        {
            var reason = AnonymousReason(verb, route) ?? "";
            // An empty requirement: no credentials are needed. x-anonymous says it was meant.
            operation.Security = [new OpenApiSecurityRequirement()];
            operation.Extensions["x-anonymous"] = new JsonNodeExtension(JsonValue.Create(true));
            operation.Extensions["x-anonymous-reason"] = new JsonNodeExtension(JsonValue.Create(reason));
            accessText.Append("anonymous, on purpose: ").Append(reason);
        }
        else
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentation.BearerScheme, context.Document)] = [] }];
            operation.Extensions["x-roles"] = new JsonNodeExtension(new JsonArray(access.Roles.Select(r => (JsonNode)JsonValue.Create(r)!).ToArray()));
            accessText.Append(access.Roles.Count == 0
                ? "a bearer token with any role."
                : $"a bearer token with the role {string.Join(" or ", access.Roles.Select(r => $"`{r}`"))}.");
            accessText.Append(" Scope: ").Append(slice.Scope);
            operation.Responses ??= new OpenApiResponses();
            operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No valid bearer token was sent." });
            operation.Responses.TryAdd("403", new OpenApiResponse
            {
                Description = access.Roles.Count == 0
                    ? "The caller may not do this to this object (a problem naming the rule, docs/access.md)."
                    : $"The token holds none of the roles {string.Join(", ", access.Roles)} (bare 403), or the object lies outside the caller's scope (a problem naming the rule).",
            });
        }
        operation.Extensions["x-access"] = new JsonNodeExtension(JsonValue.Create(access.Who));
        operation.Description = string.Join("\n\n", new[] { text, accessText.ToString(),
            "A refusal is a problem document (RFC 9457) whose `type` is `/problems/{rule}` and whose `violations` name each field and rule; every rule is listed at `GET /problems`." }
            .Where(p => p.Length > 0));

        ApiExamples.Apply(operation, verb, route);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The summary (one sentence, for a list of operations) and the description (everything the comments say) of an endpoint: the
    /// method's own comment first, else its class's; the class's comment also describes each method of a class of several.
    /// </summary>
    public (string Summary, string Description) Describe(MethodInfo method)
    {
        var own = docs.ForMethod(method);
        var type = docs.ForType(method.DeclaringType!);
        var ownSummary = XmlDocs.Text(own?.Element("summary"));
        var typeSummary = XmlDocs.Text(type?.Element("summary"));
        // A class of one endpoint says what the endpoint is for; its method's own comment then is the detail.
        var classLeads = typeSummary.Length > 0 && (ownSummary.Length == 0 || EndpointCount(method.DeclaringType!) == 1);
        var (lead, second) = classLeads ? (typeSummary, ownSummary) : (ownSummary, typeSummary);
        var paragraphs = new List<string> { StripRoute(lead), StripRoute(second), XmlDocs.Text(own?.Element("remarks")), XmlDocs.Text(type?.Element("remarks")) };
        return (FirstSentence(StripRoute(lead)), string.Join("\n\n", paragraphs.Where(p => p.Length > 0).Distinct()));
    }

    private static int EndpointCount(Type type) => type.GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Count(m => m.GetCustomAttributes().Any(a => a.GetType().Namespace == "Wolverine.Http" && a.GetType().Name.StartsWith("Wolverine", StringComparison.Ordinal)));

    /// <summary>Why an anonymous operation is anonymous; null for one nobody has explained (the OpenAPI tests refuse that).</summary>
    public static string? AnonymousReason(string verb, string route) => (verb, route) switch
    {
        (_, var r) when r.StartsWith("/api/public/", StringComparison.Ordinal) =>
            "一公开: published plans, results, draw records and integrity checkpoints are public by design, read without an account; rate limited per address.",
        (_, var r) when r == "/public" || r.StartsWith("/public/", StringComparison.Ordinal) =>
            "a page for citizens (一公开), read without an account; rate limited per address.",
        ("GET", var r) when r.StartsWith("/api/regions", StringComparison.Ordinal) =>
            "the administrative hierarchy (GB/T 2260) is public reference data that public pages and other systems name; rate limited per address.",
        ("POST", "/api/draws/verify") =>
            "anyone (an auditor, a journalist, a citizen) may check a draw record against its published hashes; nothing is stored.",
        _ => null,
    };

    /// <summary>Comments often open with the route (<c>`POST /api/plans/{planId}/approve`: …</c>); the document shows the route already.</summary>
    private static string StripRoute(string text)
    {
        var stripped = RoutePrefix().Replace(text, "");
        return stripped.Length > 0 ? char.ToUpperInvariant(stripped[0]) + stripped[1..] : stripped;
    }

    /// <summary>
    /// The first sentence, outside code spans and parentheses, without its full stop; a long one loses its parentheticals, then is
    /// cut at its first clause (a list of operations shows one line each).
    /// </summary>
    private static string FirstSentence(string text)
    {
        var sentence = Sentence(text);
        if (sentence.Length <= MaxSummary) return sentence;
        var plain = Whitespace().Replace(Parenthetical().Replace(sentence, ""), " ").Replace(" ,", ",").Replace(" ;", ";").Replace(" :", ":").Trim();
        if (plain.Length <= MaxSummary) return plain;
        foreach (var separator in new[] { "; ", ": ", " — ", ", " })
            for (var at = plain.LastIndexOf(separator, MaxSummary, StringComparison.Ordinal); at > 40; at = plain.LastIndexOf(separator, at - 1, StringComparison.Ordinal))
                if (plain[..at].Count(c => c == '`') % 2 == 0) return plain[..at].Trim();
        return plain[..plain.LastIndexOf(' ', MaxSummary)] + " …";
    }

    private const int MaxSummary = 160;

    private static string Sentence(string text)
    {
        var paragraph = text.Split("\n\n")[0];
        var depth = 0;
        var code = false;
        for (var i = 0; i < paragraph.Length; i++)
        {
            var c = paragraph[i];
            if (c == '`') code = !code;
            else if (!code && c is '(' or '（') depth++;
            else if (!code && c is ')' or '）') depth = Math.Max(0, depth - 1);
            else if (!code && depth == 0 && (c == '。' || (c == '.' && (i + 1 == paragraph.Length || paragraph[i + 1] == ' ')
                         && !paragraph[..i].EndsWith("e.g", StringComparison.Ordinal) && !paragraph[..i].EndsWith("i.e", StringComparison.Ordinal))))
                return paragraph[..i].Trim();
        }
        return paragraph.Trim().TrimEnd('.');
    }

    [GeneratedRegex(@"\s*[(（][^()（）]*[)）]")]
    private static partial Regex Parenthetical();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"^\s*(?:`(?:(?:GET|POST|PUT|DELETE|PATCH)\s+)?/[^`]*`(?:\s*(?:,|and|or|/)\s*`[^`]*`)*)\s*(?:\([^)]*\))?\s*[:：,—–-]?\s*")]
    private static partial Regex RoutePrefix();
}
