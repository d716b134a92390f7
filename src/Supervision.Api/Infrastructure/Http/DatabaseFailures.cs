using System.Net.Sockets;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;

namespace Supervision.Api.Infrastructure.Http;

/// <summary>What a database failure means to the client: try again shortly (503), or someone else got there first (409).</summary>
public enum DatabaseFailureKind { None, Unavailable, Collision }

/// <summary>
/// Reads a failure however Marten, Wolverine or Npgsql wrapped it (inner exceptions, aggregates) and tells an unreachable
/// database apart from a lost race for a unique key. Anything else is a bug and stays a 500.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>
    /// Seconds a client is told to wait while the database is unreachable: the Marten retry budget (about 2 s, see
    /// <see cref="DatabaseResilience"/>) has already been spent inside the request, so an immediate retry would likely fail again.
    /// </summary>
    public const int RetryAfterSeconds = 5;

    public const string UnavailableRule = "service.database-unavailable";
    public const string StreamExistsRule = "stream.exists";
    public const string UniqueKeyRule = "unique-key.taken";

    public static DatabaseFailureKind Classify(Exception exception)
    {
        // A collision anywhere in the chain decides: it is a definite answer from a reachable database.
        var chain = Flatten(exception).ToList();
        if (chain.Any(IsCollision)) return DatabaseFailureKind.Collision;
        return chain.Any(IsUnavailable) ? DatabaseFailureKind.Unavailable : DatabaseFailureKind.None;
    }

    /// <summary>
    /// Matched by name along the type hierarchy: Marten 9 and JasperFx.Events each define an ExistingStreamIdCollisionException
    /// and a StreamLockedException, and which one a given path throws is not part of their contract.
    /// </summary>
    private static readonly HashSet<string> ExistingIdentity = ["ExistingStreamIdCollisionException", "DocumentAlreadyExistsException"];
    private static readonly HashSet<string> LostRace = ["ConcurrencyException", "ConcurrentUpdateException", "StreamLockedException"];

    private static bool Is(Exception e, HashSet<string> names)
    {
        for (var type = e.GetType(); type is not null; type = type.BaseType)
            if (names.Contains(type.Name)) return true;
        return false;
    }

    private static bool IsCollision(Exception e) => Is(e, ExistingIdentity) || Is(e, LostRace) || e is PostgresException
    {
        // 40001/40P01: the server rolled the transaction back over a concurrent one; a re-read decides again.
        SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
    };

    private static bool IsUnavailable(Exception e) => e switch
    {
        // Server-side refusals to work right now: shut down by an administrator, crash recovery, starting up, out of
        // connections, a lock not granted in time. Not 40001/40P01 (serialization, deadlock): those are races, not outages.
        PostgresException p => p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
            or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.LockNotAvailable
            or PostgresErrorCodes.QueryCanceled
            || p.SqlState.StartsWith("08", StringComparison.Ordinal),
        // Connection refused, reset, or broken mid-command; a pool that could not open a connection in time.
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        SocketException or TimeoutException => true,
        _ => false,
    };

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            yield return current;
            if (current is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions) pending.Push(inner);
            else if (current.InnerException is { } inner) pending.Push(inner);
        }
    }

    /// <summary>503 with Retry-After: nothing was decided, the same request (with the same Idempotency-Key) can be sent again.</summary>
    public static ProblemDetails Unavailable()
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Type = ProblemResponses.TypeFor(UnavailableRule),
            Title = "The database cannot be reached right now: send the same request again shortly.",
            Detail = $"Retry after {RetryAfterSeconds} seconds; a command sent with an Idempotency-Key is done at most once however often it is sent.",
        };
        problem.Extensions["violations"] = new[] { new { field = "", rule = UnavailableRule, message = problem.Title } };
        return problem;
    }

    /// <summary>409 for a key someone else took between our read and our write: the request is decided again on a re-read.</summary>
    public static ProblemDetails Collision(Exception exception)
    {
        var streamCollision = Flatten(exception).Any(e => Is(e, ExistingIdentity));
        var uniqueKey = Flatten(exception).OfType<PostgresException>().FirstOrDefault(p => p.SqlState == PostgresErrorCodes.UniqueViolation);
        // A unique index on a value (mt_doc_region_uidx_code) names its constraint; primary keys (pk_mt_streams, pkey_mt_doc_…)
        // mean the identity itself was taken. Marten may wrap either as DocumentAlreadyExistsException, so the constraint decides.
        var (rule, message) = uniqueKey?.ConstraintName is { } constraint && !constraint.StartsWith("pk", StringComparison.Ordinal)
            ? (UniqueKeyRule, "Another request took this unique value at the same moment.")
            : streamCollision || uniqueKey is not null
                ? (StreamExistsRule, "An object with this identity was created by another request at the same moment.")
                : Flatten(exception).Any(e => e is ConcurrencyException)
                    ? ("version.stale", "Someone else changed this first: read the current version and try again.")
                    : ("write.conflict", "Another request wrote the same data at the same moment: read it again and retry.");
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status409Conflict,
            Type = ProblemResponses.TypeFor(rule),
            Title = "The request conflicts with the current state.",
            Detail = message,
        };
        problem.Extensions["violations"] = new[] { new { field = "", rule, message } };
        return problem;
    }
}

/// <summary>
/// Database failures that escape an endpoint (Wolverine's generated code rethrows them) become what they mean instead of 500:
/// an unreachable PostgreSQL 503 with Retry-After, a lost race for a stream id or unique key 409 naming the rule.
/// </summary>
public sealed class DatabaseExceptionHandler(IProblemDetailsService problems, ILogger<DatabaseExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var kind = DatabaseFailures.Classify(exception);
        if (kind == DatabaseFailureKind.None || context.Response.HasStarted) return false;

        ProblemDetails problem;
        if (kind == DatabaseFailureKind.Unavailable)
        {
            log.LogWarning("Database unavailable for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            problem = DatabaseFailures.Unavailable();
            context.Response.Headers.RetryAfter = DatabaseFailures.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            log.LogInformation("Lost race for {Method} {Path}: {Reason}", context.Request.Method, context.Request.Path, exception.GetBaseException().Message);
            problem = DatabaseFailures.Collision(exception);
        }
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
