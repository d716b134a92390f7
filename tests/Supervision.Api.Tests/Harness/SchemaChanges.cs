namespace Supervision.Api.Tests.Harness;

/// <summary>
/// Waits for work the service does on its own (a scheduled message handled after a restart, a cascade, another node's
/// heartbeat), woken by PostgreSQL itself: a statement trigger on the named tables of the test's schema notifies a channel
/// this helper listens on, and the condition is read again after each notification. No clock, no loop of sleeps; a condition
/// that does not hold in time fails with <c>what</c>.
/// </summary>
public static class SchemaChanges
{
    /// <summary>The tables every command and every handled durable message writes: the event log and Wolverine's inbox.</summary>
    public static readonly string[] EventsAndInbox = ["mt_events", "wolverine_incoming_envelopes"];

    /// <summary>Reads until <paramref name="done"/> holds for what <paramref name="read"/> returns; returns the last value read.</summary>
    public static async Task<T> UntilAsync<T>(string schema, string[] tables, Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var channel = $"{schema}_changes";
        await using var listener = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await listener.OpenAsync();
        await ExecuteAsync(listener,
            $"create or replace function {schema}.notify_test_waiters() returns trigger language plpgsql as $$ begin perform pg_notify('{channel}', tg_table_name); return null; end $$");
        foreach (var table in tables)
            await ExecuteAsync(listener,
                $"create or replace trigger notify_test_waiters after insert or update or delete on {schema}.{table} for each statement execute function {schema}.notify_test_waiters()");
        // Listening before the first read: a change between the read and the wait is not lost.
        await ExecuteAsync(listener, $"listen {channel}");
        var giveUp = System.Diagnostics.Stopwatch.StartNew();
        var value = await read();
        while (!done(value))
        {
            var remaining = timeout - giveUp.Elapsed;
            if (remaining <= TimeSpan.Zero || !await listener.WaitAsync(remaining))
            {
                value = await read();
                Assert.True(done(value), $"Not within {timeout.TotalSeconds} s: {what}");
                return value;
            }
            value = await read();
        }
        return value;
    }

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    public static async Task<TimeSpan> UntilAsync(string schema, string[] tables, Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        await UntilAsync(schema, tables, condition, holds => holds, timeout, what);
        return waited.Elapsed;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
