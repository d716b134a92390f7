using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Supervision.Api.ApiDocs;

/// <summary>
/// The OpenAPI document as a product (issue 15): operations described from the doc comments (<see cref="OperationDocumentation"/>),
/// the bearer scheme, slice tags, examples of the main flows, and problem types that resolve to the rule catalogue (<c>GET /problems</c>).
/// </summary>
public static class ApiDocumentation
{
    public const string BearerScheme = "bearer";

    public static IServiceCollection AddSupervisionApiDocs(this IServiceCollection services)
    {
        services.AddSingleton(_ => XmlDocs.For(typeof(ApiDocumentation).Assembly));
        services.AddSingleton(_ => ProblemCatalogue.Load());
        services.AddOpenApi(options =>
        {
            options.AddOperationTransformer<OperationDocumentation>();
            options.AddSchemaTransformer(SchemaTypes.Describe);
            options.AddDocumentTransformer(DescribeDocument);
        });
        return services;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Supervision.EventSourced API",
            Version = "v1",
            Summary = "双随机、一公开: random draws of targets and inspectors that anyone can replay, and a case history that cannot be quietly altered.",
            Description = """
                The backend of China's 双随机、一公开 ("double random, one public") market-supervision inspections: directories of
                targets and inspectors, annual plans, draws with committed randomness, inspections and results, follow-up, public
                disclosure, integrity checks and oversight figures.

                **Authentication.** Every operation needs a bearer token (a JWT from the configured OpenID Connect issuer; in
                development `bash ops/token.sh <user> <role> [departmentId]` prints one) unless it is marked `x-anonymous: true`.
                The token's `role` claims name the roles (`x-roles` lists those an operation accepts; empty means any role) and its
                `dept` claim the caller's department, which decides what the caller may read (docs/access.md): an object out of
                scope answers 404 exactly as a missing one, and lists hold only what the caller may read.

                **Refusals** are RFC 9457 problem documents (`application/problem+json`): `type` is `/problems/{rule}` for the
                deciding rule, `violations` lists `{field, rule, message}` for every rule broken, `errors` maps fields to messages,
                `traceId` is the id to quote. `GET /problems` lists every rule with its field, meaning and HTTP status. A lost race is
                409 (`version.stale`), an unreachable database 503 with `Retry-After`.

                **Commands** accept an `Idempotency-Key` header: a retried command is answered with the first response.
                Anonymous operations share a per-address budget per minute (429 with `Retry-After`).
                """,
        };
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:5080", Description = "ops/run.sh on this machine" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT whose `sub` is the user id, `role` claims the roles and `dept` the department id (docs/access.md).",
        };
        // The tags the operations use, in the order of the slices, each with what the slice keeps and who reads what in it.
        var used = (document.Paths ?? [])
            .SelectMany(p => p.Value.Operations ?? [])
            .SelectMany(o => o.Value.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(Slice.All.Where(s => used.Contains(s.Tag))
            .Select(s => new OpenApiTag { Name = s.Tag, Description = $"{s.Description} Who reads what: {s.Scope}" }));
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions["x-problem-catalogue"] = new JsonNodeExtension(JsonValue.Create("/problems"));
        return Task.CompletedTask;
    }
}
