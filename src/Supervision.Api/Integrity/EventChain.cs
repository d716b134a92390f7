using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Supervision.Api.Infrastructure;
using Supervision.Domain.Kernel;
using Wolverine.Http;

namespace Supervision.Api.Integrity;

/// <summary>A sealed point of the chain: the hash after event <see cref="Sequence"/>; publishable so that anyone can hold the system to it.</summary>
public sealed record ChainCheckpoint(long Sequence, string Hash, DateTimeOffset SealedAt, int Linked);

/// <summary>The verdict: intact up to the last sealed event, or the first event whose stored content no longer matches its link.</summary>
public sealed record ChainVerification(bool Intact, long CheckedUpTo, long? FirstBrokenSequence, string Message);

/// <summary>
/// Tamper evidence for the event store (全程留痕): every event's stored content is chained,
/// <c>h(n) = SHA-256(h(n−1) ‖ seq ‖ stream ‖ version ‖ type ‖ timestamp ‖ user ‖ correlation ‖ data)</c>, into a table kept
/// beside the events. Sealing extends the chain to the newest event and returns a checkpoint; verification recomputes
/// from the stored rows and names the first event that no longer matches. An edit made directly in PostgreSQL is caught.
/// </summary>
public sealed class EventChain(SupervisionSettings settings)
{
    private string Schema => settings.Schema;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>The canonical text of one stored event row, as the chain hashes it.</summary>
    private const string RowSql = "select seq_id, stream_id::text, version, type, to_char(timestamp at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), coalesce(user_name, ''), coalesce(correlation_id, ''), data::text from {0}.mt_events";

    private static string Link(string previous, NpgsqlDataReader row) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{previous}\n{row.GetInt64(0)}|{row.GetString(1)}|{row.GetInt64(2)}|{row.GetString(3)}|{row.GetString(4)}|{row.GetString(5)}|{row.GetString(6)}|{row.GetString(7)}")));

    /// <summary>Extends the chain over every event not yet linked (one sealer at a time: the table lock serialises nodes).</summary>
    public async Task<ChainCheckpoint> SealAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockChain = new NpgsqlCommand($"lock table {Schema}.integrity_chain in exclusive mode", connection, transaction))
            await lockChain.ExecuteNonQueryAsync(ct);
        long last = 0;
        var hash = "";
        await using (var tail = new NpgsqlCommand($"select seq_id, hash from {Schema}.integrity_chain order by seq_id desc limit 1", connection, transaction))
        await using (var reader = await tail.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct)) (last, hash) = (reader.GetInt64(0), reader.GetString(1));
        }
        var links = new List<(long Seq, string Hash)>();
        await using (var rows = new NpgsqlCommand(string.Format(RowSql, Schema) + " where seq_id > @last order by seq_id", connection, transaction))
        {
            rows.Parameters.AddWithValue("last", last);
            await using var reader = await rows.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                hash = Link(hash, reader);
                links.Add((reader.GetInt64(0), hash));
            }
        }
        foreach (var chunk in links.Chunk(1000))
        {
            await using var insert = new NpgsqlCommand($"insert into {Schema}.integrity_chain (seq_id, hash) select * from unnest(@seqs, @hashes)", connection, transaction);
            insert.Parameters.AddWithValue("seqs", chunk.Select(l => l.Seq).ToArray());
            insert.Parameters.AddWithValue("hashes", chunk.Select(l => l.Hash).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
        return new ChainCheckpoint(links.Count > 0 ? links[^1].Seq : last, hash, DateTimeOffset.UtcNow, links.Count);
    }

    /// <summary>Recomputes the chain from the stored events and compares it with every stored link.</summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        var stored = new Dictionary<long, string>();
        await using (var links = new NpgsqlCommand($"select seq_id, hash from {Schema}.integrity_chain", connection))
        await using (var reader = await links.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) stored[reader.GetInt64(0)] = reader.GetString(1);
        }
        var last = stored.Count == 0 ? 0 : stored.Keys.Max();
        var hash = "";
        await using var rows = new NpgsqlCommand(string.Format(RowSql, Schema) + " where seq_id <= @last order by seq_id", connection);
        rows.Parameters.AddWithValue("last", last);
        await using var events = await rows.ExecuteReaderAsync(ct);
        var seen = 0;
        while (await events.ReadAsync(ct))
        {
            var seq = events.GetInt64(0);
            hash = Link(hash, events);
            seen++;
            if (!stored.TryGetValue(seq, out var expected))
                return new(false, seq, seq, $"Event {seq} is not in the chain: an event was inserted after sealing.");
            if (expected != hash)
                return new(false, seq, seq, $"Event {seq} no longer matches its link: its stored content was changed (or an earlier event was removed).");
        }
        return seen != stored.Count
            ? new(false, last, stored.Keys.Except(Enumerable.Empty<long>()).Min(), "Sealed events are missing from the event store.")
            : new(true, last, null, $"The chain holds over {seen} events up to sequence {last}.");
    }
}

/// <summary>The chain's table is part of the schema model, so migrations create it and the drift test covers it.</summary>
public sealed class IntegrityModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        var table = new Weasel.Postgresql.Tables.Table(new Weasel.Postgresql.PostgresqlObjectName(options.DatabaseSchemaName, "integrity_chain", Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<string>("hash").NotNull();
        table.AddColumn<DateTimeOffset>("sealed_at").NotNull().DefaultValueByExpression("now()");
        options.Storage.ExtendedSchemaObjects.Add(table);
    }
}

public static class IntegrityEndpoints
{
    /// <summary>Seals the chain up to the newest event and returns the checkpoint to publish.</summary>
    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Auditor}")]
    [WolverinePost("/api/integrity/seal"), Tags("Integrity"), Supervision.Api.Infrastructure.Http.ReadOnlyCommand]
    public static Task<ChainCheckpoint> Seal(EventChain chain, CancellationToken ct) => chain.SealAsync(ct);

    /// <summary>Recomputes the chain and reports the first event whose stored content no longer matches.</summary>
    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Auditor},{Roles.DisciplineInspector}")]
    [WolverineGet("/api/integrity/verify"), Tags("Integrity")]
    public static Task<ChainVerification> Verify(EventChain chain, CancellationToken ct) => chain.VerifyAsync(ct);
}
