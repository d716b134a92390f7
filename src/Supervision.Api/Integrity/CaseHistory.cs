using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Http;
using Supervision.Domain.Directories;
using Supervision.Domain.Kernel;
using Wolverine.Http;

namespace Supervision.Api.Integrity;

/// <summary>One event of a history: what happened, when, who (user, roles, department), the request it belonged to, and the event itself.</summary>
public sealed record HistoryEntry(long Sequence, Guid StreamId, long Version, string Type, DateTimeOffset Timestamp, string? User, string? Roles,
    string? Department, string? CorrelationId, JsonElement Data);

/// <summary>
/// The full case history for discipline inspection (纪检): every event that touched a subject across all streams: its own
/// stream, and every stream with an event naming its id (the draw that drew a target, the case opened for it and all that
/// happened in that case, a recusal of an inspector).
/// </summary>
public static class CaseHistory
{
    [Authorize(Roles = $"{Roles.DisciplineInspector},{Roles.Auditor}")]
    [WolverineGet("/api/history"), Tags("Integrity")]
    public static async Task<IResult> Get(SupervisionSettings settings, IQuerySession session, Guid? id, string? creditCode, DateTimeOffset? from, DateTimeOffset? to,
        CancellationToken ct)
    {
        var subject = id;
        if (subject is null && creditCode is { Length: > 0 })
            subject = (await session.Query<Target>().Where(t => t.CreditCode == creditCode.Trim().ToUpperInvariant()).FirstOrDefaultAsync(ct))?.Id;
        if (subject is null)
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("id", "history.subject", "Name the subject: an id (target, inspector, plan, draw, case) or a target's credit code.")]));

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
            select seq_id, stream_id, version, type, timestamp, user_name, headers->>'user-roles', headers->>'department-id', correlation_id, data::text
            from {settings.Schema}.mt_events
            where (stream_id = @id or stream_id in (select distinct stream_id from {settings.Schema}.mt_events where strpos(data::text, @text) > 0))
              and (@from::timestamptz is null or timestamp >= @from) and (@to::timestamptz is null or timestamp <= @to)
            order by seq_id
            """, connection);
        command.Parameters.AddWithValue("id", subject.Value);
        command.Parameters.AddWithValue("text", subject.Value.ToString());
        command.Parameters.Add(new NpgsqlParameter("from", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)from ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("to", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = (object?)to ?? DBNull.Value });
        var entries = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4),
                Text(5), Text(6), Text(7), Text(8), JsonDocument.Parse(reader.GetString(9)).RootElement.Clone()));
        }
        return Results.Ok(entries);
    }
}
