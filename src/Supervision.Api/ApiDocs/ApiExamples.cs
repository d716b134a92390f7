using Microsoft.OpenApi;

namespace Supervision.Api.ApiDocs;

/// <summary>Worked request and response examples of the main flows, keyed by operation.</summary>
public static class ApiExamples
{
    public static void Apply(OpenApiOperation operation, string verb, string route)
    {
    }
}
