namespace Supervision.Api.Integrity;

public static class VerifyChainEndpoint
{
    /// <summary>
    /// Recomputes the chain and reports the first event whose stored content no longer matches; with
    /// <paramref name="sequence"/> and <paramref name="hash"/>, also against a checkpoint the caller kept from the public list.
    /// </summary>
    [Authorize(Roles = $"{Roles.SystemAdmin},{Roles.Auditor},{Roles.DisciplineInspector}")]
    [WolverineGet("/api/integrity/verify"), Tags("Integrity")]
    public static Task<ChainVerification> Verify(EventChain chain, long? sequence, string? hash, CancellationToken ct) =>
        chain.VerifyAsync(ct, sequence is { } s && hash is { Length: > 0 } h ? new ChainCheckpoint(s, h.Trim().ToLowerInvariant(), default, 0) : null);
}
