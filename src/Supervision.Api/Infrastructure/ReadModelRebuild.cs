using Marten.Events.Projections;
using Supervision.Api.Infrastructure.Rebuild;

namespace Supervision.Api.Infrastructure;

/// <param name="Projection">The projection's class name.</param>
/// <param name="Rows">Documents (or, for the subject index, rows) the rebuilt read model holds.</param>
public sealed record RebuiltReadModel(string Projection, long Rows);

/// <param name="EventsAtStart">Events in the log when the rebuild started (read in its one pass).</param>
/// <param name="EventsCaughtUp">Events appended while it ran, folded in before the swap.</param>
/// <param name="PhaseSeconds">
/// Where the time went, per phase, largest first (<see cref="RebuildTimings"/>); the reader thread's phases overlap the others.
/// </param>
public sealed record ReadModelRebuildReport(IReadOnlyList<RebuiltReadModel> ReadModels, long EventsAtStart, long EventsCaughtUp, double Seconds, double EventsPerSecond,
    IReadOnlyDictionary<string, double>? PhaseSeconds = null);

/// <summary>
/// Rebuilds read models from the event store: every chosen read model is refolded from the first event in one pass over the log
/// and swapped in while commands go on (<see cref="OnePassRebuild"/>), so a read model that drifted (a bug fixed in a projection,
/// a projection added after its events) is made right again.
/// </summary>
public static class ReadModelRebuild
{
    /// <summary>The read models nothing decides from.</summary>
    public static IReadOnlyList<Type> ReportingProjections { get; } =
        [typeof(Dashboards.PlanFactProjection), typeof(Dashboards.DrawFactProjection), typeof(Dashboards.CaseFactProjection), typeof(Dashboards.FollowUpFactProjection),
         typeof(Dashboards.PublicationFactProjection)];

    /// <summary>
    /// One rebuild at a time across all nodes of one store (a PostgreSQL advisory lock held for its duration). The key names the
    /// store's schema: advisory locks are per database, and stores in other schemas of it (test classes, benchmarks) are not this one.
    /// </summary>
    private static long LockKeyFor(string schema) =>
        0x5355_5052_4542_4C44 ^ BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(schema)), 0); // "SUPREBLD"

    /// <summary>True while a rebuild of this store holds its lock (on any node); a probe, so the answer may be stale the moment it is read.</summary>
    public static async Task<bool> IsRunningAsync(IDocumentStore store, SupervisionSettings settings, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using var probe = new NpgsqlCommand("select case when pg_try_advisory_lock(@key) then pg_advisory_unlock(@key) else false end", connection);
        probe.Parameters.AddWithValue("key", LockKeyFor(store.Options.DatabaseSchemaName));
        return !(bool)(await probe.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Every read model the service keeps: the concrete single- and multi-stream projections of this assembly, and the subject
    /// index the case history reads (<see cref="Integrity.EventSubjectsProjection"/>).
    /// </summary>
    public static IReadOnlyList<Type> Projections { get; } = typeof(ReadModelRebuild).Assembly.GetTypes()
        .Where(t => t is { IsAbstract: false, IsClass: true } && IsProjection(t)).Append(typeof(Integrity.EventSubjectsProjection))
        .OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    private static bool IsProjection(Type type)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
            if (t.IsGenericType && (t.GetGenericTypeDefinition() == typeof(SingleStreamProjection<,>) || t.GetGenericTypeDefinition() == typeof(MultiStreamProjection<,>)))
                return true;
        return false;
    }

    /// <summary>
    /// The rebuild as a service: refolds <paramref name="projections"/> (types from <see cref="Projections"/>) and swaps them in,
    /// reporting progress (phase, events done of the total at the start, elapsed) to <paramref name="progress"/> after every batch,
    /// for a job runner to publish. Null when another rebuild holds the lock (on any node).
    /// </summary>
    /// <param name="confirmSwap">
    /// Asked inside the swap's transaction with the report about to be committed; false rolls the swap back (see <see cref="OnePassRebuild"/>).
    /// </param>
    public static async Task<ReadModelRebuildReport?> RunAsync(IDocumentStore store, SupervisionSettings settings, IReadOnlyList<Type> projections, CancellationToken ct,
        Func<ReadModelRebuildProgress, CancellationToken, ValueTask>? progress = null, OnePassRebuildOptions? options = null,
        Func<NpgsqlConnection, ReadModelRebuildReport, CancellationToken, Task<bool>>? confirmSwap = null)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("select pg_try_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", LockKeyFor(store.Options.DatabaseSchemaName));
            if (!(bool)(await take.ExecuteScalarAsync(ct))!) return null;
        }
        try
        {
            var unknown = projections.Except(Projections).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"Not a read model of this service: {string.Join(", ", unknown.Select(t => t.Name))}.", nameof(projections));
            var targets = RebuildTargets.For(store, projections);
            var outcome = await OnePassRebuild.RunAsync(store, settings.ConnectionString, targets, options ?? new OnePassRebuildOptions(), progress, ct,
                confirmSwap is null ? null : (connection, swapping, token) => confirmSwap(connection, ReportOf(swapping), token));
            return ReportOf(outcome);
        }
        finally
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(@key)", connection);
            release.Parameters.AddWithValue("key", LockKeyFor(store.Options.DatabaseSchemaName));
            await release.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private static ReadModelRebuildReport ReportOf(OnePassRebuild.Outcome outcome)
    {
        var seconds = outcome.Elapsed.TotalSeconds;
        return new ReadModelRebuildReport(outcome.ReadModels.Select(m => new RebuiltReadModel(m.Name, m.Rows)).ToList(), outcome.EventsAtStart, outcome.EventsCaughtUp,
            Math.Round(seconds, 3), Math.Round((outcome.EventsAtStart + outcome.EventsCaughtUp) / Math.Max(seconds, 1e-6), 0), outcome.PhaseSeconds);
    }

    /// <summary>
    /// <c>POST /api/admin/read-models/rebuild</c>: by default the reporting read models (dashboard facts); <c>?scope=all</c>
    /// every read model, including those commands decide from (plans, draws, cases …) and the subject index. Both are safe
    /// while commands run: appends made during the rebuild are folded in before the swap, which blocks appends only for its
    /// own short transaction. A second rebuild while one runs gets 409. It runs to the end even if the caller disconnects
    /// (a cancelled rebuild changes nothing live: the green tables are dropped).
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin), WolverinePost("/api/admin/read-models/rebuild"), Tags("Integrity")]
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
