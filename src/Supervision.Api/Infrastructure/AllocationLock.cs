namespace Supervision.Api.Infrastructure;

/// <summary>
/// Serialises the requests that allocate from one counter (a department's plan numbers for a year) across every node: the
/// session's transaction starts here and takes a PostgreSQL advisory lock on the counter's id, held until it commits or rolls
/// back. The next request reads the counter only after the previous one committed, so both get a number instead of one losing
/// a race on the counter stream (issue 17: 234 answers of 500 in a two-node run).
/// </summary>
public static class AllocationLock
{
    /// <summary>
    /// How long a request waits for the lock before giving up with 503 (lock_not_available). Holders commit in milliseconds with
    /// pre-generated code; a development node's first request holds it while Marten checks the schema, which takes seconds.
    /// Below Npgsql's 30 s command timeout, so the wait ends as a lock refusal, not as a broken connection.
    /// </summary>
    public const int WaitMilliseconds = 15_000;

    public static async Task AcquireAsync(IDocumentSession session, Guid counterId, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var key = BitConverter.ToInt64(counterId.ToByteArray(), 0);
        // set_config(..., is_local => true) is SET LOCAL: the wait bound ends with this transaction.
        await session.QueryAsync<string>($"select set_config('lock_timeout', '{WaitMilliseconds}ms', true)", ct);
        await session.QueryAsync<int>("select 1 from pg_advisory_xact_lock(?)", ct, key);
    }
}
