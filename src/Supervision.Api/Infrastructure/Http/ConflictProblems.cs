using JasperFx;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>
/// A lost race (two people acting on one stream at once) answers 409 with the stream's current version, so the
/// loser can re-read and decide again instead of overwriting.
/// </summary>
public static class ConflictProblems
{
    public static ProblemDetails Describe(Exception exception, IServiceProvider services)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = ProblemResponses.TypeConflict,
            Title = "Someone else changed this first: read the current version and try again.",
            Detail = exception.Message,
        };
        var concurrency = exception as ConcurrencyException ?? (exception as AggregateException)?.InnerExceptions.OfType<ConcurrencyException>().FirstOrDefault();
        // Some failure paths (a unique-key violation at commit) carry no stream id: the route's aggregate id names it.
        var streamId = concurrency?.Id as Guid? ?? RouteAggregateId(services);
        if (streamId is { } id)
        {
            problem.Extensions["streamId"] = id;
            // Rare path (only on a lost race), asked after the failed transaction has ended. Wolverine's conflict factory is
            // synchronous, so the version is read with a synchronous statement rather than by blocking on an async call.
            if (CurrentVersion(services.GetRequiredService<SupervisionSettings>(), id) is { } version) problem.Extensions["currentVersion"] = version;
            // A version sent for a stream that does not exist is not a lost race: the object is missing (404, as for a read).
            else if (exception is not AggregateException && concurrency is not null)
                return ProblemResponses.NotFound("object", id);
        }
        problem.Extensions["violations"] = new[] { new { field = "version", rule = "version.stale", message = "The version sent is not the current one." } };
        return problem;
    }

    /// <summary>The stream's version as Marten's stream table holds it; null for a stream that does not exist.</summary>
    private static long? CurrentVersion(SupervisionSettings settings, Guid streamId)
    {
        using var connection = new NpgsqlConnection(settings.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand($"select version from {settings.Schema}.mt_streams where id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = streamId });
        return command.ExecuteScalar() is long version ? version : null;
    }

    private static Guid? RouteAggregateId(IServiceProvider services)
    {
        var values = services.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request.RouteValues;
        return values?.Where(v => v.Key.EndsWith("Id", StringComparison.Ordinal))
            .Select(v => Guid.TryParse(v.Value?.ToString(), out var id) ? id : (Guid?)null)
            .FirstOrDefault(id => id is not null);
    }
}
