namespace Supervision.Api.Infrastructure.Rebuild;

/// <summary>Where a rebuild is: the phase, events folded of those in the log when it started, and time so far.</summary>
public sealed record ReadModelRebuildProgress(string Phase, long EventsDone, long EventsTotal, TimeSpan Elapsed);

/// <param name="BatchSize">Events folded between loads and writes.</param>
/// <param name="HeldDocuments">
/// The memory bound: documents (and subject rows / 4) held across all read models; past it everything is written to the green
/// tables and dropped from memory, and reloaded by id when a later event needs it.
/// </param>
/// <param name="BatchesAhead">Batches the reading thread may read ahead of the folding one (each holds its events in memory).</param>
/// <param name="ColdAfterBatches">
/// A document not changed for this many batches is written to the green table and forgotten (reloaded if a later event needs it):
/// writes spread over the pass instead of bursts at the memory bound and at the end. 0 keeps everything until the memory bound.
/// </param>
/// <param name="IndexBuilders">Connections building the green tables' indexes at once after the pass.</param>
/// <param name="ReadWithMarten">
/// Read the pass with Marten's <c>QueryAllRawEvents</c> instead of <see cref="EventLogReader"/> (same events, slower); for comparison.
/// </param>
public sealed record OnePassRebuildOptions(int BatchSize = 4_000, int HeldDocuments = 200_000, int BatchesAhead = 4, bool ReadWithMarten = false,
    int IndexBuilders = 2, int ColdAfterBatches = 4);
