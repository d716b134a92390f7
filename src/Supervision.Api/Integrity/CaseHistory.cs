using System.Net;
using System.Text.Json;
using CsvHelper;

namespace Supervision.Api.Integrity;

/// <summary>One event of a history: what happened, when, who (user, roles, department), why, the request it belonged to, and the event itself.</summary>
public sealed record HistoryEntry(long Sequence, Guid StreamId, long Version, string Type, string Kind, DateTimeOffset Timestamp, string? User, string? Roles,
    string? Department, string? Why, string? CorrelationId, JsonElement Data);

/// <summary>What a discipline inspector filters a history by.</summary>
public static class HistoryKinds
{
    public const string Directory = "directory";
    public const string Plan = "plan";
    public const string Draw = "draw";
    public const string Recusal = "recusal";
    public const string Inspection = "inspection";
    public const string Correction = "correction";
    public const string FollowUp = "follow-up";
    public const string Disclosure = "disclosure";
    public const string Revisit = "revisit";
    public const string Withholding = "withholding";
    public const string Other = "other";

    public static readonly IReadOnlyList<string> All = [Directory, Plan, Draw, Recusal, Inspection, Correction, FollowUp, Disclosure, Withholding, Revisit, Other];

    /// <summary>The kind of a stored event type name (Marten's snake_case of the event record's name).</summary>
    public static string Of(string type) => type switch
    {
        "inspector_recused" or "case_team_changed" => Recusal,
        "result_corrected" or "publication_corrected" => Correction,
        "result_withheld" => Withholding,
        "result_published" or "publication_date_flagged" or "publication_deadline_set" or "publication_due_raised" or "publication_overdue_raised" => Disclosure,
        "case_revisited" or "revisit_corrected" => Revisit,
        "draw_scheduled" or "randomness_recorded" or "targets_drawn" or "inspectors_assigned" or "replacement_drawn" or "draw_voided" or "cases_opened"
            or "target_withdrawn_from_draw" or "draw_committed" or "randomness_entered" or "randomness_confirmed" or "contribution_revealed"
            or "draw_void_requested" or "draw_act_recorded" => Draw,
        _ when type.StartsWith("plan_", StringComparison.Ordinal) || type.StartsWith("task_", StringComparison.Ordinal) || type == "sampling_task_drawn" => Plan,
        _ when type.StartsWith("follow_up_", StringComparison.Ordinal) || type.StartsWith("measure_", StringComparison.Ordinal) => FollowUp,
        _ when type.StartsWith("case_", StringComparison.Ordinal) || type.StartsWith("inspection_", StringComparison.Ordinal) || type.StartsWith("result", StringComparison.Ordinal)
            || type == "check_form_answered" => Inspection,
        _ when type.StartsWith("target", StringComparison.Ordinal) || type.StartsWith("inspector", StringComparison.Ordinal) || type.StartsWith("matter", StringComparison.Ordinal)
            || type.StartsWith("credit_", StringComparison.Ordinal) || type.StartsWith("conflict", StringComparison.Ordinal) || type.StartsWith("certificate", StringComparison.Ordinal) => Directory,
        _ => Other,
    };

    /// <summary>The why an event states: its reason(s), comment or correction reason.</summary>
    public static string? WhyOf(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return null;
        foreach (var name in new[] { "Reason", "CorrectionReason", "Comment" })
            if (data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text) return text;
        if (data.TryGetProperty("Reasons", out var reasons) && reasons.ValueKind == JsonValueKind.Array)
            return string.Join("；", reasons.EnumerateArray().Select(r => r.GetString()));
        return null;
    }
}

/// <summary>
/// The full case history for discipline inspection (纪检): every event that touched a subject across all streams: its own
/// stream, every stream with an event naming its id (found through <see cref="EventSubjectsProjection"/>'s index: the draw that drew a target, the case opened for it and all that
/// happened in that case, its follow-ups and publications, a recusal of an inspector), and the plans those name (their
/// drafting, approval, adjustment, voiding). Filter by period and kind; JSON, CSV or printable HTML.
/// </summary>
public static class CaseHistory
{
    public static ProblemDetails Validate(Guid? id, string? creditCode, string? kind, string? format)
    {
        var errors = new List<DomainError>();
        if (id is null && string.IsNullOrWhiteSpace(creditCode))
            errors.Add(DomainError.Invalid("id", "history.subject", "Name the subject: an id (target, inspector, plan, task's draw, draw, case) or a target's credit code."));
        foreach (var k in Kinds(kind))
            if (!HistoryKinds.All.Contains(k))
                errors.Add(DomainError.Invalid("kind", "history.kind", $"'{k}' is not a kind; the kinds are {string.Join(", ", HistoryKinds.All)}."));
        if (format is not (null or "json" or "csv" or "html"))
            errors.Add(DomainError.Invalid("format", "history.format", "'format' is json, csv or html."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    private static string[] Kinds(string? kind) => (kind ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Authorize(Roles = $"{Roles.DisciplineInspector},{Roles.Auditor}"), WolverineGet("/api/history"), Tags("Integrity")]
    public static async Task<IResult> Get(SupervisionSettings settings, IQuerySession session, ClaimsPrincipal user, Guid? id, string? creditCode, DateTimeOffset? from, DateTimeOffset? to,
        string? kind, string? format, CancellationToken ct)
    {
        // docs/access.md: 纪检 and auditors trace what the departments of their region and below did; another region's acts are not theirs to read.
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (reader.DepartmentId is null)
            return Results.Problem(ProblemResponses.Forbidden(DomainError.Forbidden("departmentId", "history.no-department",
                "A case history is read by the discipline-inspection or audit office of a department; this token names none.")));
        var subject = id;
        var label = id?.ToString();
        if (subject is null)
        {
            label = Identifiers.Normalize(creditCode!);
            subject = (await session.Query<Target>().Where(t => t.CreditCode == label).FirstOrDefaultAsync(ct))?.Id;
            if (subject is null) return Results.Problem(ProblemResponses.NotFound("target with credit code", label));
        }

        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        var entries = await ReadAsync(connection, settings.Schema,
            $"stream_id = @id or stream_id in (select stream_id from {settings.Schema}.event_subjects where subject = @id)",
            command => command.Parameters.AddWithValue("id", subject.Value), ct);

        // One step further: the plans the subject's draws and cases belong to (their approval, adjustment and voiding), and
        // every stream naming one of its cases (a publication names the case, not the target).
        var seen = entries.Select(e => e.StreamId).ToHashSet();
        var plans = entries.SelectMany(e => e.Data.ValueKind == JsonValueKind.Object && e.Data.TryGetProperty("PlanId", out var p) && p.TryGetGuid(out var g) ? [g] : Array.Empty<Guid>())
            .Where(g => !seen.Contains(g)).Distinct().ToArray();
        var cases = entries.Where(e => e.Type == "case_opened").Select(e => e.StreamId).Distinct().ToArray();
        if (plans.Length > 0 || cases.Length > 0)
            entries.AddRange((await ReadAsync(connection, settings.Schema,
                    $"stream_id = any(@plans) or stream_id in (select stream_id from {settings.Schema}.event_subjects where subject = any(@cases))",
                    command =>
                    {
                        command.Parameters.AddWithValue("plans", plans);
                        command.Parameters.AddWithValue("cases", cases);
                    }, ct))
                .Where(e => !seen.Contains(e.StreamId)));

        var visible = entries.Where(e => Guid.TryParse(e.Department, out var d) && ReadAccess.Oversees(reader, places.Place(d).RegionCode)).Select(e => e.StreamId).ToHashSet();
        entries = entries.Where(e => Guid.TryParse(e.Department, out var d)
            ? ReadAccess.Oversees(reader, places.Place(d).RegionCode)
            : visible.Contains(e.StreamId)).ToList();   // acts of the system itself (deadlines, reminders) show with the streams they belong to
        var kinds = Kinds(kind);
        var history = entries.Where(e => (from is null || e.Timestamp >= from) && (to is null || e.Timestamp <= to) && (kinds.Length == 0 || kinds.Contains(e.Kind)))
            .OrderBy(e => e.Sequence).ToList();
        return format switch
        {
            "csv" => Results.File(HistoryFiles.Csv(history), "text/csv; charset=utf-8", $"history-{label}.csv"),
            "html" => Results.Content(HistoryFiles.Html(label!, from, to, kinds, history), "text/html; charset=utf-8"),
            _ => Results.Ok(history),
        };
    }

    private static async Task<List<HistoryEntry>> ReadAsync(NpgsqlConnection connection, string schema, string where, Action<NpgsqlCommand> parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"""
            select seq_id, stream_id, version, type, timestamp, user_name, headers->>'user-roles', headers->>'department-id', correlation_id, data::text
            from {schema}.mt_events where {where} order by seq_id
            """, connection);
        parameters(command);
        var entries = new List<HistoryEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var type = reader.GetString(3);
            var data = JsonDocument.Parse(reader.GetString(9)).RootElement.Clone();
            entries.Add(new HistoryEntry(reader.GetInt64(0), reader.GetGuid(1), reader.GetInt64(2), type, HistoryKinds.Of(type), reader.GetFieldValue<DateTimeOffset>(4),
                Text(5), Text(6), Text(7), HistoryKinds.WhyOf(data), Text(8), data));
        }
        return entries;
    }
}

public static class HistoryFiles
{
    private static readonly string[] Header = ["sequence", "time", "kind", "event", "user", "roles", "department", "why", "correlation", "stream", "version", "data"];

    private static string[] Row(HistoryEntry e) =>
    [
        e.Sequence.ToString(CultureInfo.InvariantCulture), e.Timestamp.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        e.Kind, e.Type, e.User ?? "", e.Roles ?? "", e.Department ?? "", e.Why ?? "", e.CorrelationId ?? "", e.StreamId.ToString(),
        e.Version.ToString(CultureInfo.InvariantCulture), e.Data.GetRawText(),
    ];

    public static byte[] Csv(IReadOnlyList<HistoryEntry> history)
    {
        using var stream = new MemoryStream();
        using (var writer = new StreamWriter(stream, new UTF8Encoding(true), leaveOpen: true))
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, true))
        {
            csv.WriteRecord(Header);
            foreach (var e in history) csv.WriteRecord(Row(e));
        }
        return stream.ToArray();
    }

    /// <summary>A printable report (the browser's "print to PDF" gives the PDF): the subject, the filter, and one row per event.</summary>
    public static string Html(string subject, DateTimeOffset? from, DateTimeOffset? to, IReadOnlyList<string> kinds, IReadOnlyList<HistoryEntry> history)
    {
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>案件全程记录 ").Append(H(subject)).Append("</title>")
            .Append("<style>body{font-family:sans-serif;font-size:12px}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:3px;vertical-align:top}")
            .Append("pre{white-space:pre-wrap;margin:0;font-size:10px}@media print{pre{font-size:8px}}</style></head><body>")
            .Append("<h1>案件全程记录 (case history)</h1><p>Subject: <b>").Append(H(subject)).Append("</b>; period: ")
            .Append(H(from?.ToString("u", CultureInfo.InvariantCulture) ?? "beginning")).Append(" to ").Append(H(to?.ToString("u", CultureInfo.InvariantCulture) ?? "now"))
            .Append("; kinds: ").Append(H(kinds.Count == 0 ? "all" : string.Join(", ", kinds))).Append("; events: ").Append(history.Count).Append("</p><table><thead><tr>");
        foreach (var h in Header[..^1]) html.Append("<th>").Append(H(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var e in history)
        {
            var row = Row(e);
            html.Append("<tr class=\"event\">");
            foreach (var cell in row[..^1]) html.Append("<td>").Append(H(cell)).Append("</td>");
            html.Append("</tr><tr><td></td><td colspan=\"").Append(Header.Length - 2).Append("\"><pre>").Append(H(row[^1])).Append("</pre></td></tr>");
        }
        return html.Append("</tbody></table></body></html>").ToString();
    }
}
