using NpgsqlTypes;

namespace Supervision.Api.Integrity;

/// <summary>Rows of the subject index (<see cref="IntegrityModule"/>) written by binary COPY: the bulk import and the one-pass rebuild both write them so.</summary>
public static class EventSubjectRows
{
    public static async Task CopyAsync(NpgsqlConnection connection, string schema, IEnumerable<(Guid Subject, long Sequence, Guid Stream)> rows, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"copy {schema}.event_subjects (subject, seq_id, stream_id) from stdin (format binary)", ct);
        foreach (var (subject, sequence, stream) in rows)
        {
            copy.StartRow();
            copy.Write(subject, NpgsqlDbType.Uuid);
            copy.Write(sequence, NpgsqlDbType.Bigint);
            copy.Write(stream, NpgsqlDbType.Uuid);
        }
        await copy.CompleteAsync(ct);
    }
}
