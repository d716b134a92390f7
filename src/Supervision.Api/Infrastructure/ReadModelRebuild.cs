using System.Diagnostics;
using Marten;
using Marten.Events.Aggregation;
using Marten.Events.Projections;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Supervision.Api.Infrastructure.Http;
using Supervision.Domain.Kernel;
using Wolverine.Http;

namespace Supervision.Api.Infrastructure;

public sealed record RebuiltReadModel(string Projection, double Seconds);

public sealed record ReadModelRebuildReport(IReadOnlyList<RebuiltReadModel> ReadModels, long EventsAtStart, double Seconds);

/// <summary>
/// Rebuilds read models from the event store: the documents are dropped and refolded from the first event, so a read
/// model that drifted (a bug fixed in a projection, a projection added after its events) is made right again.
/// </summary>
public static class ReadModelRebuild
{
    /// <summary>The read models nothing decides from: safe to rebuild while the service takes commands.</summary>
    public static IReadOnlyList<Type> ReportingProjections { get; } =
        [typeof(Dashboards.PlanFactProjection), typeof(Dashboards.DrawFactProjection), typeof(Dashboards.CaseFactProjection), typeof(Dashboards.FollowUpFactProjection),
         typeof(Dashboards.PublicationFactProjection)];

    /// <summary>One rebuild at a time across all nodes (a PostgreSQL advisory lock held for its duration).</summary>
    private const long LockKey = 0x5355_5052_4542_4C44; // "SUPREBLD"

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

    public static async Task<ReadModelRebuildReport?> RunAsync(IDocumentStore store, SupervisionSettings settings, IReadOnlyList<Type> projections, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", LockKey);
            if (!(bool)(await take.ExecuteScalarAsync(ct))!) return null;
        }
        try
        {
            var total = Stopwatch.StartNew();
            var events = (await store.Advanced.FetchEventStoreStatistics(token: ct)).EventCount;
            using var daemon = await store.BuildProjectionDaemonAsync();
            // The read models are independent of each other: rebuilt side by side, most of each one's time is waiting on the database.
            var rebuilt = await Task.WhenAll(projections.Select(async projection =>
            {
                var watch = Stopwatch.StartNew();
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(10), ct);
                return new RebuiltReadModel(projection.Name, Math.Round(watch.Elapsed.TotalSeconds, 3));
            }));
            return new ReadModelRebuildReport(rebuilt, events, Math.Round(total.Elapsed.TotalSeconds, 3));
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", LockKey);
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// <c>POST /api/admin/read-models/rebuild</c>: by default the reporting read models (dashboard facts), safe at any
    /// time. <c>?scope=all</c> rebuilds every read model, including those commands decide from (plans, draws, cases …):
    /// only in a maintenance window with commands stopped on every node, since an inline projection that misses an append
    /// made during its rebuild keeps the stale document and applies later events on top of it. A second rebuild while one
    /// runs gets 409. It runs to the end even if the caller disconnects, so the documents are never left half rebuilt.
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePost("/api/admin/read-models/rebuild"), Tags("Integrity")]
    public static async Task<IResult> Post(IDocumentStore store, SupervisionSettings settings, string? scope)
    {
        if (scope is not (null or "reporting" or "all"))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("scope", "rebuild.scope", "'scope' is reporting (the default) or all.")]));
        var report = await RunAsync(store, settings, scope == "all" ? Projections : ReportingProjections, CancellationToken.None);
        return report is null
            ? Results.Problem(ProblemResponses.FromErrors([DomainError.Conflict("scope", "rebuild.running", "A rebuild is already running; try again when it has finished.")]))
            : Results.Ok(report);
    }
}
