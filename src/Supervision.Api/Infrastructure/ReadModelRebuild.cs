using System.Diagnostics;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;
using Microsoft.AspNetCore.Authorization;
using Supervision.Domain.Kernel;
using Wolverine.Http;

namespace Supervision.Api.Infrastructure;

public sealed record RebuiltReadModel(string Projection, double Seconds);

public sealed record ReadModelRebuildReport(IReadOnlyList<RebuiltReadModel> ReadModels, long EventsAtStart, double Seconds);

/// <summary>
/// Rebuilds every read model from the event store: the documents are dropped and refolded from the first event, so a
/// read model that drifted (a bug fixed in a projection, a projection added after its events) is made right again.
/// </summary>
public static class ReadModelRebuild
{
    /// <summary>Every projection the service registers: the concrete single- and multi-stream projections of this assembly.</summary>
    public static IReadOnlyList<Type> Projections { get; } = typeof(ReadModelRebuild).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && IsProjection(t)).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    private static bool IsProjection(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) || t.GetGenericTypeDefinition() == typeof(MultiStreamProjection<,>)))
                return true;
        return false;
    }

    public static async Task<ReadModelRebuildReport> RunAsync(IDocumentStore store, CancellationToken ct)
    {
        var total = Stopwatch.StartNew();
        var events = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount;
        using var daemon = await store.BuildProjectionDaemonAsync();
        // The read models are independent of each other: rebuilt side by side, most of each one's time is waiting on the database.
        var rebuilt = await Task.WhenAll(Projections.Select(async projection =>
        {
            var watch = Stopwatch.StartNew();
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(10), ct);
            return new RebuiltReadModel(projection.Name, Math.Round(watch.Elapsed.TotalSeconds, 3));
        }));
        return new ReadModelRebuildReport(rebuilt, events, Math.Round(total.Elapsed.TotalSeconds, 3));
    }

    /// <summary>
    /// <c>POST /api/admin/read-models/rebuild</c>. Run it when commands are quiet: an append during a rebuild is kept in
    /// the event store but may be missed by the rebuilt document until that stream's next event.
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/admin/read-models/rebuild"), Tags("Integrity")]
    public static Task<ReadModelRebuildReport> Post(IDocumentStore store, CancellationToken ct) => RunAsync(store, ct);
}
