using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Supervision.Api.ApiDocs;

/// <summary>
/// Schema fixes a generated client needs: strings go through our own converter (NoNulStringConverter), which leaves the exporter
/// with an empty schema, so they are typed here (nullable as annotated); numbers, which the web defaults also read from strings,
/// are documented as the numbers a client sends.
/// </summary>
public static class SchemaTypes
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(string) && schema.Type is null && schema.Enum is not { Count: > 0 } && schema.AllOf is not { Count: > 0 }
            && schema.OneOf is not { Count: > 0 } && schema.AnyOf is not { Count: > 0 })
        {
            var nullable = context.JsonPropertyInfo is { } property && (property.IsGetNullable || property.IsSetNullable);
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
        if (schema.Type is { } declared && declared.HasFlag(JsonSchemaType.String) && (declared.HasFlag(JsonSchemaType.Integer) || declared.HasFlag(JsonSchemaType.Number)))
        {
            schema.Type = declared & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }
}
