using System.Security.Cryptography;

namespace Supervision.Api.Integrity;

/// <summary>A sealed point of the chain: the hash after event <see cref="Sequence"/>; publishable so that anyone can hold the system to it.</summary>
/// <param name="DrawRecords">The draw record hashes (docs/draw-algorithm.md, section 9) that this checkpoint seals: for every draw with an act
/// since the previous checkpoint, its record hash after the last of them.</param>
public sealed record ChainCheckpoint(long Sequence, string Hash, DateTimeOffset SealedAt, int Linked, IReadOnlyList<DrawRecordHash>? DrawRecords = null);

/// <summary>A draw's record hash after its act number <see cref="Acts"/>, as sealed into a checkpoint.</summary>
public sealed record DrawRecordHash(Guid DrawId, int Acts, string RecordSha256);

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

    /// <summary>
    /// Only events committed at least this long ago are sealed: a sequence number is taken before its transaction commits,
    /// so a slow transaction can commit below the newest sealed number; the lag leaves room for it.
    /// </summary>
    /// <summary>How long a gap in the sequence may stay open before it is taken as a rolled-back transaction's.</summary>
    private int GapSeconds => settings.Sealing.GapSeconds;

    private int LagSeconds => settings.Sealing.LagSeconds;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>The canonical text of one stored event row, as the chain hashes it.</summary>
    private const string Columns = "select seq_id, stream_id::text, version, type, to_char(timestamp at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), coalesce(user_name, ''), coalesce(correlation_id, ''), data::text";

    private const string RowSql = Columns + " from {0}.mt_events";

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
        await using (var rows = new NpgsqlCommand(Columns + ", extract(epoch from now() - timestamp)::float8 from " + Schema
                         + ".mt_events where seq_id > @last and timestamp <= now() - make_interval(secs => @lag) order by seq_id", connection, transaction))
        {
            rows.Parameters.AddWithValue("last", last);
            rows.Parameters.AddWithValue("lag", (double)LagSeconds);
            await using var reader = await rows.ExecuteReaderAsync(ct);
            var expected = last + 1;
            while (await reader.ReadAsync(ct))
            {
                // A gap in the sequence is a transaction still running (it took its numbers and has not committed) or one
                // rolled back. Sealing stops at a gap until the event after it is old enough for the gap to be permanent.
                var seq = reader.GetInt64(0);
                if (seq != expected && reader.GetDouble(8) < GapSeconds) break;
                hash = Link(hash, reader);
                links.Add((seq, hash));
                expected = seq + 1;
            }
        }
        foreach (var chunk in links.Chunk(1000))
        {
            await using var insert = new NpgsqlCommand($"insert into {Schema}.integrity_chain (seq_id, hash) select * from unnest(@seqs, @hashes)", connection, transaction);
            insert.Parameters.AddWithValue("seqs", chunk.Select(l => l.Seq).ToArray());
            insert.Parameters.AddWithValue("hashes", chunk.Select(l => l.Hash).ToArray());
            await insert.ExecuteNonQueryAsync(ct);
        }
        var sealedAt = DateTimeOffset.UtcNow;
        if (links.Count > 0)
        {
            await using var checkpoint = new NpgsqlCommand(
                $"insert into {Schema}.integrity_checkpoints (seq_id, hash, linked) values (@seq, @hash, @linked) returning sealed_at", connection, transaction);
            checkpoint.Parameters.AddWithValue("seq", links[^1].Seq);
            checkpoint.Parameters.AddWithValue("hash", hash);
            checkpoint.Parameters.AddWithValue("linked", links.Count);
            sealedAt = new DateTimeOffset(DateTime.SpecifyKind((DateTime)(await checkpoint.ExecuteScalarAsync(ct))!, DateTimeKind.Utc));
        }
        await transaction.CommitAsync(ct);
        return new ChainCheckpoint(links.Count > 0 ? links[^1].Seq : last, hash, sealedAt, links.Count);
    }

    /// <summary>The checkpoints sealed so far, newest first: what is published for anyone to keep.</summary>
    /// <param name="readFrom">An open connection to read on instead of a new one to the primary (the read replica's, for the public list).</param>
    public async Task<IReadOnlyList<ChainCheckpoint>> CheckpointsAsync(int limit, CancellationToken ct, NpgsqlConnection? readFrom = null)
    {
        await using var own = readFrom is { State: System.Data.ConnectionState.Open } ? null : await OpenAsync(ct);
        var connection = own ?? readFrom!;
        await using var command = new NpgsqlCommand($"select seq_id, hash, sealed_at, linked from {Schema}.integrity_checkpoints order by seq_id desc limit @limit", connection);
        command.Parameters.AddWithValue("limit", limit);
        var checkpoints = new List<ChainCheckpoint>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                checkpoints.Add(new ChainCheckpoint(reader.GetInt64(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt32(3)));
        }
        if (checkpoints.Count == 0) return checkpoints;

        // Each checkpoint also publishes the draw record hashes it seals, so a record rewritten later cannot match what anyone kept.
        await using var previous = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {Schema}.integrity_checkpoints where seq_id < @oldest", connection);
        previous.Parameters.AddWithValue("oldest", checkpoints[^1].Sequence);
        var from = (long)(await previous.ExecuteScalarAsync(ct))!;
        await using var acts = new NpgsqlCommand(
            $"select seq_id, stream_id, (data->>'Number')::int, data->>'RecordSha256' from {Schema}.mt_events where type = 'draw_act_recorded' and seq_id > @from and seq_id <= @to order by seq_id",
            connection);
        acts.Parameters.AddWithValue("from", from);
        acts.Parameters.AddWithValue("to", checkpoints[0].Sequence);
        var sealedActs = new List<(long Seq, DrawRecordHash Hash)>();
        await using (var reader = await acts.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                sealedActs.Add((reader.GetInt64(0), new DrawRecordHash(reader.GetGuid(1), reader.GetInt32(2), reader.GetString(3))));
        }
        return checkpoints.Select((c, i) =>
        {
            var after = i + 1 < checkpoints.Count ? checkpoints[i + 1].Sequence : from;
            var records = sealedActs.Where(a => a.Seq > after && a.Seq <= c.Sequence).GroupBy(a => a.Hash.DrawId).Select(g => g.Last().Hash).ToList();
            return c with { DrawRecords = records };
        }).ToList();
    }

    /// <summary>
    /// Recomputes the chain from the stored events and compares it with every stored link; and, when a checkpoint kept
    /// outside the system is given, with that checkpoint: even a rewrite of the chain table itself cannot match it.
    /// </summary>
    public async Task<ChainVerification> VerifyAsync(CancellationToken ct, ChainCheckpoint? external = null)
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
        var matched = false;
        while (await events.ReadAsync(ct))
        {
            var seq = events.GetInt64(0);
            hash = Link(hash, events);
            seen++;
            if (!stored.TryGetValue(seq, out var expected))
                return new(false, seq, seq, $"Event {seq} is not in the chain: an event was inserted after sealing.");
            if (expected != hash)
                return new(false, seq, seq, $"Event {seq} no longer matches its link: its stored content was changed (or an earlier event was removed).");
            if (external is not null && seq == external.Sequence)
            {
                if (hash != external.Hash)
                    return new(false, seq, seq, $"The events up to {seq} no longer give the published checkpoint's hash: the events and the chain were both rewritten.");
                matched = true;
            }
        }
        if (external is not null && external.Sequence <= last && !matched)
            return new(false, external.Sequence, external.Sequence, $"Event {external.Sequence}, the published checkpoint's last event, is no longer in the event store.");
        if (external is not null && external.Sequence > last)
            return new(false, last, null, $"The published checkpoint at {external.Sequence} is beyond the sealed chain (sealed up to {last}): the chain was truncated.");
        return seen != stored.Count
            ? new(false, last, stored.Keys.Except(Enumerable.Empty<long>()).Min(), "Sealed events are missing from the event store.")
            : new(true, last, null, $"The chain holds over {seen} events up to sequence {last}.");
    }
}
