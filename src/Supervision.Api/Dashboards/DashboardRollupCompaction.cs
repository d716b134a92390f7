namespace Supervision.Api.Dashboards;

/// <summary>
/// Folds the rollups' delta rows every <c>Supervision:DashboardCompactionIntervalMinutes</c> (1 by default; 0 turns it off), on one
/// node, so a dashboard sums few rows per key however many case writes came since (the figures are the same before and after).
/// </summary>
public sealed class DashboardRollupCompaction(SupervisionSettings settings, ILogger<DashboardRollupCompaction> logger,
    Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.DashboardCompaction, logger, leadership)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        // A database whose rollups are not installed yet (a new development schema) has nothing to fold.
        await using (var exists = new NpgsqlCommand($"select to_regprocedure('{settings.Schema}.dashboard_rollup_compact()') is not null", connection))
            if (await exists.ExecuteScalarAsync(ct) is not true) return;
        await DashboardRollup.CompactAsync(connection, settings.Schema, ct);
    }
}
