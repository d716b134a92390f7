using Supervision.Domain.Draws;

namespace Supervision.Api.Draws;

/// <summary>What the draw endpoints read besides the draw itself: its frozen files, its record, and the actor behind an act.</summary>
internal static class DrawLoading
{
    /// <summary>A draw's frozen files; a targets file kept apart (<see cref="DrawTargetsStore"/>) comes as its bytes, files.Targets then empty.</summary>
    public static async Task<(DrawFiles Files, byte[]? TargetsUtf8, StoredTargets? Apart)> FrozenAsync(IQuerySession session, DrawTargetsStore store, Guid drawId,
        CancellationToken ct)
    {
        var frozen = await session.LoadAsync<FrozenDrawFiles>(drawId, ct) ?? throw new InvalidOperationException($"Draw {drawId} has no frozen files.");
        return frozen.TargetsApart is { } apart ? (frozen.Files, await store.ReadAsync(drawId, apart, ct), apart) : (frozen.Files, null, null);
    }

    /// <summary>A draw's frozen files with the targets file as text wherever it is kept (for the paths that read it as text: /1, a redo's pools).</summary>
    public static async Task<DrawFiles> FilesAsync(IQuerySession session, DrawTargetsStore store, Guid drawId, CancellationToken ct)
    {
        var (files, bytes, _) = await FrozenAsync(session, store, drawId, ct);
        return bytes is null ? files : files with { Targets = Canonical.Utf8.GetString(bytes) };
    }

    /// <summary>The record as JSON: a targets file kept apart is streamed from its chunks (never one string), the rest as always.</summary>
    public static async Task<IResult> RecordResultAsync(IQuerySession session, DrawTargetsStore store, Draw draw, bool publicRecord, CancellationToken ct)
    {
        var frozen = await session.LoadAsync<FrozenDrawFiles>(draw.Id, ct) ?? throw new InvalidOperationException($"Draw {draw.Id} has no frozen files.");
        var record = DrawRules.RecordV2(draw, frozen.Files);
        if (publicRecord) record = record.Public();
        if (frozen.TargetsApart is null) return Results.Ok(record);
        return Results.Stream(body => DrawRecordStream.WriteAsync(body, record, store.ChunksAsync(draw.Id, ct), ct), "application/json; charset=utf-8");
    }

    /// <summary>The person acting in <paramref name="role"/>, their act field (a keyed digest stands for them) and their department's region.</summary>
    public static async Task<DrawActor> ActorAsync(ClaimsPrincipal user, string role, IQuerySession session, DrawSecrets secrets, CancellationToken ct)
    {
        var by = user.As(role);
        var region = by.DepartmentId is { } d ? (await session.LoadAsync<Department>(d, ct))?.RegionCode : null;
        return new DrawActor(by, DrawV2.ActorField(role, by.DepartmentId, secrets.ActorDigest(by.UserId)), region);
    }
}
