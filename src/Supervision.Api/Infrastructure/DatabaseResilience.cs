using System.Data.Common;
using Polly;
using Polly.Retry;

namespace Supervision.Api.Infrastructure;

/// <summary>
/// How long a request keeps trying a PostgreSQL that does not answer before the client is told 503 (README, Failure behaviour).
/// Every Marten operation (opening a connection, a query, a commit) is retried on transient failures with exponential backoff,
/// but the retries of one operation stop once <see cref="RetryBudget"/> has passed since its first failure, and opening a
/// connection gives up after <see cref="ConnectTimeoutSeconds"/>: a refused connection answers 503 in about 2 s, connections that
/// hang in at most about <see cref="WorstCaseSeconds"/> s, instead of Npgsql's default 15 s per attempt. A command already sent
/// to a server that then freezes still waits for the command timeout (30 s): shortening that would cut long imports and rebuilds.
/// </summary>
public static class DatabaseResilience
{
    public const int MaxRetryAttempts = 5;
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RetryBudget = TimeSpan.FromSeconds(3);
    public const int ConnectTimeoutSeconds = 2;

    /// <summary>First attempt's connect timeout, the retry budget, one more connect timeout and the last delay.</summary>
    public static int WorstCaseSeconds => ConnectTimeoutSeconds + (int)RetryBudget.TotalSeconds + ConnectTimeoutSeconds + (int)MaxDelay.TotalSeconds;

    private static readonly ResiliencePropertyKey<long> FirstFailure = new("supervision.first-failure");

    /// <summary>The connection string with a short connect timeout, unless the operator set one.</summary>
    public static string WithConnectTimeout(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (given.ContainsKey("Timeout") || given.ContainsKey("Connect Timeout") || given.ContainsKey("Connection Timeout")) return connectionString;
        return new NpgsqlConnectionStringBuilder(connectionString) { Timeout = ConnectTimeoutSeconds }.ConnectionString;
    }

    public static void RetryTransientDatabaseFailures(this StoreOptions options, TimeProvider? clock = null)
    {
        var time = clock ?? TimeProvider.System;
        options.ConfigurePolly(polly => polly.AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception) && WithinBudget(args.Context, time)),
            MaxRetryAttempts = MaxRetryAttempts,
            Delay = FirstDelay,
            MaxDelay = MaxDelay,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        }));
    }

    public static bool IsTransient(Exception? exception) => exception is NpgsqlException { IsTransient: true } or TimeoutException;

    /// <summary>Retries go on while the first failure of this operation is less than the budget ago.</summary>
    private static bool WithinBudget(ResilienceContext context, TimeProvider time)
    {
        var now = time.GetTimestamp();
        if (!context.Properties.TryGetValue(FirstFailure, out var first))
        {
            context.Properties.Set(FirstFailure, now);
            return true;
        }
        return time.GetElapsedTime(first, now) < RetryBudget;
    }
}
