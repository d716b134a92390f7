using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Marten.Events.Projections;

namespace Supervision.Api.Integrity;

/// <summary>
/// The index the case history reads instead of scanning every event: for each event, every id its content names (target,
/// inspector, plan, draw, case, publication, follow-up …), written in the same transaction as the event, one statement for
/// all events of a unit of work. Existing events are indexed by the migration that creates the table.
/// </summary>
public sealed partial class EventSubjectsProjection : IProjection
{
    private readonly string _sql;

    public EventSubjectsProjection(string schema) =>
        _sql = $"insert into {schema}.event_subjects (subject, seq_id, stream_id) select * from unnest(?::uuid[], ?::bigint[], ?::uuid[]) on conflict do nothing";

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex GuidPattern();

    /// <summary>Every id the event's content names, as the history looks them up (including ids inside text such as a draw's output files).</summary>
    public static Guid[] SubjectsOf(object data) => EventSubjects.Of(data);

    public Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        List<Guid>? subjects = null;
        List<long>? sequences = null;
        List<Guid>? streams = null;
        foreach (var e in events)
        {
            foreach (var subject in EventSubjects.Of(e.Data))
            {
                (subjects ??= []).Add(subject);
                (sequences ??= []).Add(e.Sequence);
                (streams ??= []).Add(e.StreamId);
            }
        }
        if (subjects is not null) operations.QueueSqlCommand(_sql, subjects.ToArray(), sequences!.ToArray(), streams!.ToArray());
        return Task.CompletedTask;
    }

    /// <summary>
    /// The same extraction in SQL, for events stored before the index existed; the migration that creates the table runs it
    /// (and it may be run again: rows already there are kept).
    /// </summary>
    public static string BackfillSql(string schema) =>
        $$"""
        insert into {{schema}}.event_subjects (subject, seq_id, stream_id)
        select distinct m[1]::uuid, e.seq_id, e.stream_id
        from {{schema}}.mt_events e, regexp_matches(e.data::text, '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})', 'g') as m
        on conflict do nothing;
        """;
}

/// <summary>
/// The subjects an event names, read from its own properties: a table per event type, built once, of the properties that can
/// hold an id (a <see cref="Guid"/>, a collection or record holding one, or text, where ids written inside it — a draw's
/// output files, a reason quoting a case — are found by the id pattern). It answers exactly what the id pattern finds in the
/// event's JSON (the stored form, and what <see cref="EventSubjectsProjection.BackfillSql"/> scans), without serialising it.
/// </summary>
public static class EventSubjects
{
    private static readonly ConcurrentDictionary<Type, Reader?> Readers = new();
    private static readonly Dictionary<Type, Reader> Building = [];
    private static readonly object Gate = new();

    /// <summary>Reads the ids within one value of a declared type into a set.</summary>
    private delegate void Reader(object value, HashSet<Guid> into);

    public static Guid[] Of(object data)
    {
        if (ReaderFor(data.GetType()) is not { } read) return [];
        var found = new HashSet<Guid>();
        read(data, found);
        return found.Count == 0 ? [] : [.. found];
    }

    /// <summary>The reader for values declared as <paramref name="type"/>, or null when such a value can never name an id.</summary>
    private static Reader? ReaderFor(Type type)
    {
        if (Readers.TryGetValue(type, out var known)) return known;
        lock (Gate)
        {
            if (Readers.TryGetValue(type, out known)) return known;
            // A type that contains itself (a tree) gets a forwarding reader while it is being built, so building ends.
            if (Building.TryGetValue(type, out var pending)) return pending;
            Reader? built = null;
            Building[type] = (value, into) => built?.Invoke(value, into);
            try { built = Build(type); }
            finally { Building.Remove(type); }
            Readers[type] = built;
            return built;
        }
    }

    private static Reader? Build(Type type)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying) return ReaderFor(underlying);
        if (type == typeof(Guid)) return static (value, into) => into.Add((Guid)value);
        if (type == typeof(string)) return static (value, into) => Scan((string)value, into);
        if (type == typeof(Uri)) return static (value, into) => Scan(value.ToString()!, into);
        if (type == typeof(object)) return static (value, into) => { if (value.GetType() != typeof(object)) ReaderFor(value.GetType())?.Invoke(value, into); };
        if (type == typeof(JsonElement)) return static (value, into) => Scan(((JsonElement)value).GetRawText(), into);
        if (typeof(System.Text.Json.Nodes.JsonNode).IsAssignableFrom(type) || type == typeof(JsonDocument))
            return static (value, into) => Scan(value is JsonDocument d ? d.RootElement.GetRawText() : value.ToString()!, into);
        if (type.IsPrimitive || type.IsEnum || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
            || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(TimeSpan) || type == typeof(byte[])
            || type == typeof(Version) || type.IsPointer) return null;

        // Collections, dictionaries included: a dictionary's entries are read as key and value (JSON writes a key as a property name).
        if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            var element = ElementType(type);
            var item = element is null ? ReaderFor(typeof(object)) : ReaderFor(element);
            if (item is null) return null;
            return (value, into) =>
            {
                foreach (var x in (IEnumerable)value) if (x is not null) item(x, into);
            };
        }

        // A record or class: its public properties, as JSON writes them (declared types, without ignored ones).
        var readers = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsPublic: true } && p.GetIndexParameters().Length == 0
                        && p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
            .Select(p => (Get: p, Read: ReaderFor(p.PropertyType)))
            .Where(p => p.Read is not null)
            .ToArray();
        if (readers.Length == 0) return null;
        return (value, into) =>
        {
            foreach (var (get, read) in readers)
                if (get.GetValue(value) is { } v) read!(v, into);
        };
    }

    private static void Scan(string text, HashSet<Guid> into)
    {
        if (text.Length < 36 || !text.Contains('-')) return;
        foreach (Match m in EventSubjectsProjection.GuidPattern().Matches(text)) into.Add(Guid.Parse(m.ValueSpan));
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray) return type.GetElementType();
        foreach (var i in type.IsInterface ? [type, .. type.GetInterfaces()] : type.GetInterfaces())
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) return i.GetGenericArguments()[0];
        return null;
    }
}
