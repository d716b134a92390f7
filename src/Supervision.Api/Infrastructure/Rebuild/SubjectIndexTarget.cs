using System.Diagnostics;
using Supervision.Api.Integrity;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>The subject index (<see cref="EventSubjectsProjection"/>): every id each event names, copied in.</summary>
internal sealed class SubjectIndexTarget : RebuildTarget
{
    private readonly List<(Guid Subject, long Sequence, Guid Stream)> rows = [];

    public override string Name => nameof(EventSubjectsProjection);
    public override string Table => "event_subjects";

    /// <summary>Never read back during the pass: its (subject, sequence) key on random ids was the costliest part of its COPY (issue 14, measured).</summary>
    public override bool KeyedDuringPass => false;
    public override int Held => rows.Count / 4; // a row is about a quarter of a held document

    public override bool Takes(Type eventType) => true;

    /// <summary>The rows of the batch, found on the reading thread (the subject scan is the costliest part of this target).</summary>
    public override object? Prepare(IReadOnlyList<IEvent> events)
    {
        var found = new List<(Guid, long, Guid)>(events.Count * 2);
        foreach (var e in events)
            foreach (var subject in EventSubjectsProjection.SubjectsOf(e.Data))
                found.Add((subject, e.Sequence, e.StreamId));
        return found;
    }

    public override Task ApplyAsync(EventBatch batch, int index, NpgsqlConnection green, string greenSchema, CancellationToken ct)
    {
        rows.AddRange((List<(Guid, long, Guid)>)batch.Prepared[index]!);
        return Task.CompletedTask;
    }

    public override void Discard() => rows.Clear();

    /// <summary>Never read back: written whenever enough rows are held for one COPY to be worth its round trip.</summary>
    public override Task WriteColdAsync(NpgsqlConnection green, string greenSchema, int coldAfter, CancellationToken ct) =>
        rows.Count >= 20_000 ? FlushAsync(green, greenSchema, evict: true, ct) : Task.CompletedTask;

    public override async Task FlushAsync(NpgsqlConnection green, string greenSchema, bool evict, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var started = Stopwatch.GetTimestamp();
        await EventSubjectRows.CopyAsync(green, greenSchema, rows, ct);
        Rows += rows.Count;
        rows.Clear();
        Timings.Since("copy subject rows", started);
    }
}
