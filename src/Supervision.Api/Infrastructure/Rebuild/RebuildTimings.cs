using System.Diagnostics;

namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>
/// Where a rebuild's time went, per phase, summed over the batches (issue 14 asked for the costs, not guesses): read and deserialise
/// (on the reading thread, overlapping the rest), waiting for a batch, evolve per projection, loads after eviction, serialise, COPY,
/// duplicated columns, indexes, catch-up and swap. Cheap enough to be always on (a timestamp pair per phase and batch).
/// </summary>
public sealed class RebuildTimings
{
    private readonly Dictionary<string, long> ticks = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Add(string phase, long elapsedTicks)
    {
        lock (gate) ticks[phase] = ticks.GetValueOrDefault(phase) + elapsedTicks;
    }

    /// <summary>Adds the time since <paramref name="startedAt"/> (a <see cref="Stopwatch.GetTimestamp"/>) and returns now, for chaining.</summary>
    public long Since(string phase, long startedAt)
    {
        var now = Stopwatch.GetTimestamp();
        Add(phase, now - startedAt);
        return now;
    }

    /// <summary>Seconds per phase, largest first.</summary>
    public IReadOnlyDictionary<string, double> Seconds()
    {
        lock (gate)
            return ticks.OrderByDescending(p => p.Value)
                .ToDictionary(p => p.Key, p => Math.Round((double)p.Value / Stopwatch.Frequency, 3), StringComparer.Ordinal);
    }
}
