using System.Text.Json;
using NpgsqlTypes;

namespace Supervision.Api.Jobs;

/// <summary>
/// The jobs table: one row a job, written with short statements on connections of its own (never inside the work's transaction,
/// except the final success, see <see cref="JobContext.SucceedWithinAsync"/>). Every state change is conditional on the state it
/// leaves, so two nodes cannot both end a job: a job whose heartbeat stopped is failed by whichever node reads it first, and its own
/// node, if it was only slow, then finds it no longer running and rolls its work back.
/// </summary>
public sealed class JobStore(SupervisionSettings settings) : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(settings.ConnectionString) { ApplicationName = "supervision-jobs" }.ConnectionString);

    private string Table => $"{settings.Schema}.jobs";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public async Task CreateAsync(Guid id, string kind, string node, string startedBy, Guid? departmentId, long? rowsTotal, CancellationToken ct)
    {
        await using var command = Insert(dataSource.CreateCommand(), id, kind, node, startedBy, departmentId, rowsTotal);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The statement that records a new job, queued, on <paramref name="command"/>.</summary>
    private NpgsqlCommand Insert(NpgsqlCommand command, Guid id, string kind, string node, string startedBy, Guid? departmentId, long? rowsTotal)
    {
        command.CommandText = $"insert into {Table} (id, kind, state, node, started_by, department_id, rows_done, rows_total, created_at, heartbeat_at) " +
            "values ($1, $2, 'queued', $3, $4, $5, 0, $6, now(), now())";
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = node });
        command.Parameters.Add(new NpgsqlParameter { Value = startedBy });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)departmentId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)rowsTotal ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return command;
    }

    /// <summary>
    /// Records a job as <see cref="CreateAsync"/> does, unless a job of the same kind is queued or running (one at a time, on any node):
    /// false then. Race-free: the check and the insert run under a transaction-scoped advisory lock named after the table and kind.
    /// Jobs of that kind whose node stopped beating for <paramref name="staleAfter"/> are failed first, so a dead node's job does not
    /// block the next one.
    /// </summary>
    public async Task<bool> CreateUnlessRunningAsync(Guid id, string kind, string node, string startedBy, Guid? departmentId, long? rowsTotal, TimeSpan staleAfter,
        CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var exclusive = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", connection, transaction))
        {
            exclusive.Parameters.Add(new NpgsqlParameter { Value = $"{Table}:{kind}" });
            await exclusive.ExecuteNonQueryAsync(ct);
        }
        await using (var stale = new NpgsqlCommand(
                         $"select id from {Table} where kind = $1 and state in ('queued', 'running') and heartbeat_at < now() - make_interval(secs => $2)", connection, transaction))
        {
            stale.Parameters.Add(new NpgsqlParameter { Value = kind });
            stale.Parameters.Add(new NpgsqlParameter { Value = staleAfter.TotalSeconds });
            var ids = new List<Guid>();
            await using (var reader = await stale.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) ids.Add(reader.GetGuid(0));
            foreach (var staleId in ids) await FailIfStaleAsync(staleId, staleAfter, ct);
        }
        await using (var running = new NpgsqlCommand($"select exists (select 1 from {Table} where kind = $1 and state in ('queued', 'running'))", connection, transaction))
        {
            running.Parameters.Add(new NpgsqlParameter { Value = kind });
            if ((bool)(await running.ExecuteScalarAsync(ct))!) return false;
        }
        await using (var insert = Insert(new NpgsqlCommand(null, connection, transaction), id, kind, node, startedBy, departmentId, rowsTotal))
            await insert.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task<bool> StartAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"update {Table} set state = 'running', started_at = now(), heartbeat_at = now() where id = $1 and state = 'queued'");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Progress and heartbeat in one: the node is alive while it keeps writing these.</summary>
    public async Task ProgressAsync(Guid id, long rowsDone, long? rowsTotal, CancellationToken ct, string? phase = null)
    {
        await using var command = dataSource.CreateCommand(
            $"update {Table} set rows_done = $2, rows_total = coalesce($3, rows_total), phase = coalesce($4, phase), heartbeat_at = now() " +
            "where id = $1 and state in ('queued', 'running')");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = rowsDone });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)rowsTotal ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)phase ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The heartbeat of every job this node runs, when no progress was reported for a while (a long statement).</summary>
    public async Task HeartbeatAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return;
        await using var command = dataSource.CreateCommand($"update {Table} set heartbeat_at = now() where id = any($1) and state in ('queued', 'running')");
        command.Parameters.Add(new NpgsqlParameter { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Ends a job that is still queued or running; false if it had already ended. On the given connection (the work's transaction) or a fresh one.</summary>
    public async Task<bool> FinishAsync(NpgsqlConnection? connection, Guid id, JobOutcome outcome, long? rowsDone, string? failureReason, CancellationToken ct)
    {
        // A job with phases ends in the phase "done" when it succeeded, and stays in the phase it failed in otherwise.
        var sql = $"update {Table} set state = $2, outcome_status = $3, outcome = $4, failure_reason = $5, rows_done = coalesce($6, rows_done), rows_total = coalesce($6, rows_total), " +
                  "phase = case when $2 = 'succeeded' and phase is not null then 'done' else phase end, " +
                  "finished_at = now(), heartbeat_at = now() where id = $1 and state in ('queued', 'running')";
        await using var own = connection is null ? await dataSource.OpenConnectionAsync(ct) : null;
        await using var command = new NpgsqlCommand(sql, connection ?? own);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = outcome.Succeeded ? JobStates.Succeeded : JobStates.Failed });
        command.Parameters.Add(new NpgsqlParameter { Value = outcome.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(outcome.Body, outcome.Body.GetType(), Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)failureReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)rowsDone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>
    /// Fails a job whose node stopped beating for <paramref name="staleAfter"/> (the node died or hangs): its work committed nothing, since
    /// success is recorded in the work's own transaction and this update waits for that transaction and then finds it ended.
    /// </summary>
    public async Task<bool> FailIfStaleAsync(Guid id, TimeSpan staleAfter, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            $"update {Table} set state = 'failed', finished_at = now(), outcome_status = 503, outcome = $3, " +
            "failure_reason = 'node ' || node || ' stopped (no heartbeat for ' || round(extract(epoch from now() - heartbeat_at))::text || ' s); nothing of the job was written' " +
            "where id = $1 and state in ('queued', 'running') and heartbeat_at < now() - make_interval(secs => $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = staleAfter.TotalSeconds });
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "The node running this job stopped before it finished; nothing of the job was written. Start it again.",
            Type = Infrastructure.Http.ProblemResponses.TypeFor("job.node-lost"),
        };
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(problem, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<JobView?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "select id, kind, state, rows_done, rows_total, created_at, started_at, finished_at, " +
            "extract(epoch from coalesce(finished_at, now()) - coalesce(started_at, created_at))::float8, started_by, department_id, outcome_status, " +
            $"outcome::text, failure_reason, phase from {Table} where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return null;
        var state = reader.GetString(2);
        var done = reader.GetInt64(3);
        long? total = reader.IsDBNull(4) ? null : reader.GetInt64(4);
        var elapsed = reader.GetDouble(8);
        double? remaining = state == JobStates.Running && total is > 0 && done > 0 ? elapsed * Math.Max(0, total.Value - done) / done : null;
        return new JobView(reader.GetGuid(0), reader.GetString(1), state, done, total, reader.GetFieldValue<DateTimeOffset>(5),
            reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
            Math.Round(elapsed, 3), remaining is null ? null : Math.Round(remaining.Value, 1), reader.GetString(9),
            reader.IsDBNull(10) ? null : reader.GetGuid(10), reader.IsDBNull(11) ? null : reader.GetInt32(11),
            reader.IsDBNull(12) ? null : JsonDocument.Parse(reader.GetString(12)).RootElement.Clone(), reader.IsDBNull(13) ? null : reader.GetString(13),
            reader.IsDBNull(14) ? null : reader.GetString(14));
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
