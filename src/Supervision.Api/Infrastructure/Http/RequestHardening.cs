using Microsoft.AspNetCore.Diagnostics;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// What every request and response gets, whatever the endpoint (docs/access.md, issue 13): input no endpoint should see (NUL in the
/// query, absurd page numbers, oversized idempotency keys) is refused as 400 before it can reach the database; every response
/// carries the security headers, and HTML responses a Content-Security-Policy that allows only this site's scripts.
/// </summary>
public static class RequestHardening
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MaxPage = 100_000;

    /// <summary>No inline script anywhere: the pages' scripts are files of this site (draw-verify.js, draw-page.js); styles are inline.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseRequestHardening(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // The API reference page (Scalar) brings its own inline bootstrap; it is not served in production unless configured.
            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
                && !context.Request.Path.StartsWithSegments("/scalar"))
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
            return Task.CompletedTask;
        });

        if ((Refusal(context.Request) ?? await NullBodyAsync(context.Request)) is { } refused)
        {
            var problem = ProblemResponses.FromErrors([refused]);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(problem, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
            return;
        }
        await next(context);
    });

    /// <summary>A JSON body that is just <c>null</c> is no command: 400 here, instead of a null command deep in an endpoint.</summary>
    private static async Task<DomainError?> NullBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is not (> 0 and <= 64) || request.ContentType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true) return null;
        request.EnableBuffering();
        using var reader = new StreamReader(request.Body, leaveOpen: true);
        var text = await reader.ReadToEndAsync();
        request.Body.Position = 0;
        return text.Trim() == "null" ? DomainError.Invalid("body", "body.null", "The request body is a JSON object, not null.") : null;
    }

    private static DomainError? Refusal(HttpRequest request)
    {
        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0') || values.Any(v => v?.Contains('\0') == true))
                return DomainError.Invalid(key, "query.nul", "A query value holds a NUL character.");
            if (key is "page" && values.Any(v => long.TryParse(v, out var page) && page > MaxPage))
                return DomainError.Invalid("page", "page.too-large", $"Pages are numbered 1 to {MaxPage}.");
        }
        if (request.Headers[IdempotencyPolicy.HeaderName].Any(v => v?.Length > MaxIdempotencyKeyLength))
            return DomainError.Invalid(IdempotencyPolicy.HeaderName, "idempotency-key.too-long", $"An Idempotency-Key is at most {MaxIdempotencyKeyLength} characters.");
        return null;
    }
}

/// <summary>
/// Exceptions the framework raises on bad input become the status they mean, never 500: a body over the size limit 413, an
/// unreadable body 400; the problem names no internal type.
/// </summary>
public sealed class BadInputExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, rule, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "request.too-large" : "request.unreadable",
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is larger than this endpoint accepts." : "The request could not be read."),
            System.Text.Json.JsonException => (StatusCodes.Status400BadRequest, "request.json", "The request body is not valid JSON for this endpoint."),
            _ => (0, "", ""),
        };
        if (status == 0) return false;
        context.Response.StatusCode = status;
        // A 413 names the field and the rule as every refusal does; the limit's setting, when the endpoint set its own, is in the detail.
        var problem = status == StatusCodes.Status413PayloadTooLarge
            ? ProblemResponses.FromErrors([DomainError.Invalid("body", rule, exception.Message is { Length: > 0 } why && why.Contains("(Supervision:") ? why : detail)])
            : new ProblemDetails { Type = ProblemResponses.TypeFor(rule) };
        problem.Status = status;
        problem.Title = detail;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}

/// <summary>
/// No text in a request body may hold NUL: PostgreSQL's jsonb cannot store it, so it would surface as a 500 deep in an append.
/// Refused while reading the body (400), for every string of every command.
/// </summary>
public sealed class NoNulStringConverter : System.Text.Json.Serialization.JsonConverter<string>
{
    public override string? Read(ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0') ? throw new System.Text.Json.JsonException("A text holds a NUL character.") : value;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, string value, System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value);
}
