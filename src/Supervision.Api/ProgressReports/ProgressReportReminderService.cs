using Supervision.Domain.Dashboards;

namespace Supervision.Api.ProgressReports;

/// <summary>
/// Runs the progress-report sweep every <c>Supervision:ProgressReportReminderIntervalMinutes</c> (60 by default; 0 turns it off) on
/// the node running the periodic jobs.
/// </summary>
public sealed class ProgressReportReminderService(IDocumentStore store, TimeProvider clock, SupervisionSettings settings, ILogger<ProgressReportReminderService> logger,
    Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.ProgressReportReminders, logger, leadership)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var sweep = await ProgressReportReminders.SweepAsync(store, ChinaTime.DateOf(clock.GetUtcNow()), ct);
        if (sweep.Reminded + sweep.FlaggedLate > 0)
            logger.LogInformation("Progress reports: reminded {Reminded} units, flagged {Late} reports late.", sweep.Reminded, sweep.FlaggedLate);
    }
}
