using System.Data;
using System.Runtime.CompilerServices;
using NpgsqlTypes;
using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>Where a draw's targets file is when it is kept outside its <see cref="FrozenDrawFiles"/> document: its hash, size and chunk count.</summary>
public sealed record StoredTargets(string Sha256, long Length, int Chunks);

/// <summary>
/// A province-wide targets file (ten million candidates: about 570 MiB) does not fit a jsonb value (255 MiB at most), and a
/// document that size would be read whole for every draw act. Above <c>Supervision:Draws:TargetsInlineBytes</c> (default
/// 64 MiB) the file is kept in the table <c>draw_targets_chunks</c> as bytea chunks of whole lines
/// (<c>Supervision:Draws:TargetsChunkBytes</c>, default 8 MiB), written by COPY in the scheduling transaction and read back
/// in order, checked against its hash. Smaller files stay inside the document exactly as before.
/// </summary>
public sealed class DrawTargetsStore(SupervisionSettings settings)
{
    public const string Table = "draw_targets_chunks";

    public long InlineLimitBytes => settings.Draws.TargetsInlineBytes;

    public int ChunkBytes => settings.Draws.TargetsChunkBytes;

    public bool KeepsApart(long length) => length > InlineLimitBytes;

    /// <summary>Writes the file's chunks on the session's transaction (begun here), so they commit or roll back with the draw's first event.</summary>
    public async Task<StoredTargets> WriteAsync(IDocumentSession session, Guid drawId, byte[] bytes, int length, string sha256, CancellationToken ct)
    {
        await session.BeginTransactionAsync(ct);
        var connection = (NpgsqlConnection)session.Connection!;
        var chunks = 0;
        await using (var importer = await connection.BeginBinaryImportAsync($"copy {settings.Schema}.{Table} (draw_id, chunk, bytes) from stdin (format binary)", ct))
        {
            for (var offset = 0; offset < length;)
            {
                var take = LineChunk(bytes.AsSpan(offset, length - offset), ChunkBytes);
                await importer.StartRowAsync(ct);
                await importer.WriteAsync(drawId, NpgsqlDbType.Uuid, ct);
                await importer.WriteAsync(chunks++, NpgsqlDbType.Integer, ct);
                await importer.WriteAsync(new ArraySegment<byte>(bytes, offset, take), NpgsqlDbType.Bytea, ct);
                offset += take;
            }
            await importer.CompleteAsync(ct);
        }
        return new StoredTargets(sha256, length, chunks);
    }

    /// <summary>How many bytes of <paramref name="rest"/> the next chunk takes: up to the last LF within the size (a longer line whole).</summary>
    internal static int LineChunk(ReadOnlySpan<byte> rest, int size)
    {
        if (rest.Length <= size) return rest.Length;
        var cut = rest[..size].LastIndexOf((byte)'\n');
        if (cut >= 0) return cut + 1;
        var next = rest[size..].IndexOf((byte)'\n');
        return next < 0 ? rest.Length : size + next + 1;
    }

    /// <summary>The chunks in order, as they come from the database (one chunk in memory at a time).</summary>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ChunksAsync(Guid drawId, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select bytes from {settings.Schema}.{Table} where draw_id = @id order by chunk", connection);
        command.Parameters.AddWithValue("id", drawId);
        await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await reader.ReadAsync(ct)) yield return await reader.GetFieldValueAsync<byte[]>(0, ct);
    }

    /// <summary>The whole file, checked against its recorded size and hash (a changed or missing chunk is an error, never a different draw).</summary>
    public async Task<byte[]> ReadAsync(Guid drawId, StoredTargets stored, CancellationToken ct)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)stored.Length));
        var at = 0;
        await foreach (var chunk in ChunksAsync(drawId, ct))
        {
            if (at + chunk.Length > bytes.Length) throw new InvalidOperationException($"The stored targets file of draw {drawId} is longer than recorded.");
            chunk.Span.CopyTo(bytes.AsSpan(at));
            at += chunk.Length;
        }
        if (at != bytes.Length || CanonicalUtf8.Sha256Hex(bytes) != stored.Sha256)
            throw new InvalidOperationException($"The stored targets file of draw {drawId} does not match its recorded size and hash.");
        return bytes;
    }
}
