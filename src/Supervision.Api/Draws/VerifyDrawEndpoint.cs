using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

public static class VerifyDrawEndpoint
{
    /// <summary>
    /// Replays any record (from this system or elsewhere, /1 or /2) and reports a match or the first difference; for /2 against the
    /// published commitment and record hashes when given.
    /// </summary>
    /// <remarks>
    /// The body is read as a stream into a temporary file (a province-wide record is hundreds of MiB), then verified over its bytes
    /// (<see cref="DrawRecords.Verify(byte[], Func{byte[]}, string?, string?)"/>); never parsed into one document unless it does
    /// not match. At most <c>Supervision:Draws:VerifyMaxBytes</c> (default 1 GiB) are read: a longer body is refused with 413.
    /// </remarks>
    [AllowAnonymous, ReadOnlyCommand, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverinePost("/api/draws/verify"), Tags("Draws")]
    public static async Task<IResult> Post(HttpRequest request, string? expectCommitment, string? expectRecord, SupervisionSettings settings, CancellationToken ct)
    {
        var limit = settings.Draws.VerifyMaxBytes;
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        if (request.ContentLength > limit) return TooLarge(limit);
        var path = Path.GetTempFileName();
        await using var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        var buffer = new byte[1 << 16];
        long length = 0;
        try
        {
            for (int read; (read = await request.Body.ReadAsync(buffer, ct)) > 0;)
            {
                length += read;
                if (length > limit) return TooLarge(limit);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(limit);
        }
        byte[] Read()
        {
            var bytes = GC.AllocateUninitializedArray<byte>(checked((int)length));
            file.Position = 0;
            file.ReadExactly(bytes);
            return bytes;
        }
        try
        {
            return Results.Ok(DrawRecords.Verify(Read(), Read, expectCommitment, expectRecord));
        }
        catch (System.Text.Json.JsonException e)
        {
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("record", "draw.record.json", $"The body is not a JSON record: {e.Message}")]));
        }
    }

    private static IResult TooLarge(long limit)
    {
        var problem = ProblemResponses.FromErrors([DomainError.Invalid("record", "draw.record.too-large",
            $"At most {limit} bytes are read here (Supervision:Draws:VerifyMaxBytes); verify a larger record offline with any of the three verifiers.")]);
        problem.Status = StatusCodes.Status413PayloadTooLarge;
        problem.Title = "The record is too large to verify here.";
        return Results.Problem(problem);
    }
}
