namespace Supervision.Api.Integrity;

public static class SealChainEndpoint
{
    /// <summary>Seals the chain up to the newest event and returns the checkpoint to publish.</summary>
    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Auditor}")]
    [WolverinePost("/api/integrity/seal"), Tags("Integrity"), Supervision.Api.Infrastructure.Http.ReadOnlyCommand]
    public static Task<ChainCheckpoint> Seal(EventChain chain, CancellationToken ct) => chain.SealAsync(ct);
}
