namespace Supervision.Api.Integrity;

/// <summary>
/// Seals the chain every <c>Supervision:SealIntervalMinutes</c> (60 by default; 0 turns it off) on the node running the periodic
/// jobs. Two seals at once stay correct (a manual seal, or a leader that has not yet noticed it lost the lock): sealing locks the
/// chain table, so they take turns, and a seal with nothing new to link writes nothing.
/// </summary>
public sealed class PeriodicSealer(EventChain chain, SupervisionSettings settings, ILogger<PeriodicSealer> logger, Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.Sealing, logger, leadership)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var checkpoint = await chain.SealAsync(ct);
        if (checkpoint.Linked > 0) logger.LogInformation("Sealed {Linked} events up to {Sequence}: {Hash}", checkpoint.Linked, checkpoint.Sequence, checkpoint.Hash);
    }
}
