namespace Supervision.Domain.Draws;

/// <summary>
/// How a draw's keys are computed, never what they are: how many workers share the candidates and whether eight labels are
/// keyed per vector (<see cref="LabelKeys"/>). Every choice gives byte-identical outputs (each worker's best are merged by the
/// total order of section 5, and a key is the same HMAC on every path); <c>ParallelDrawTests</c> holds them to it.
/// </summary>
/// <param name="Workers">Partitions of the candidates (and of the selected targets' inspector rankings), 1 or more.</param>
/// <param name="Vectorized">False: one platform HMAC per label.</param>
/// <param name="MinBytesPerWorker">A targets file is split among workers only in parts of at least this many bytes (tests split tiny files).</param>
internal sealed record DrawComputation(int Workers, bool Vectorized, int MinBytesPerWorker = 65536)
{
    /// <summary>All cores, eight labels per vector: what the service and the verifiers use.</summary>
    public static DrawComputation Default { get; } = new(Environment.ProcessorCount, true);

    /// <summary>One worker, one platform HMAC per label: the plainest reading of the specification.</summary>
    public static DrawComputation Sequential { get; } = new(1, false);
}
