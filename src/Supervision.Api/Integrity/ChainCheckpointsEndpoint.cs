using Supervision.Api.Infrastructure.ReadReplica;

namespace Supervision.Api.Integrity;

public static class ChainCheckpointsEndpoint
{
    /// <summary>The published checkpoints, newest first: anyone may keep them and later hold the event store to them.</summary>
    [AllowAnonymous, Microsoft.AspNetCore.RateLimiting.EnableRateLimiting(Supervision.Api.Public.PublicPages.RateLimitPolicy)]
    [WolverineGet("/api/public/integrity/checkpoints"), Tags("Public")]
    public static Task<IReadOnlyList<ChainCheckpoint>> Checkpoints(EventChain chain, int? limit, [ReadReplica] IQuerySession session, CancellationToken ct) =>
        chain.CheckpointsAsync(Math.Clamp(limit ?? 100, 1, 1000), ct, session.Connection);
}
