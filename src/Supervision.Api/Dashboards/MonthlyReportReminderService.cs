using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>
/// Runs the reminder sweep every <c>Supervision:ReportReminderIntervalMinutes</c> (60 by default; 0 turns it off) on the node
/// running the periodic jobs.
/// </summary>
public sealed class MonthlyReportReminderService(IDocumentStore store, TimeProvider clock, SupervisionSettings settings, ILogger<MonthlyReportReminderService> logger,
    Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.ReportReminders, logger, leadership)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var reminded = await MonthlyReportReminders.SweepAsync(store, ChinaTime.DateOf(clock.GetUtcNow()), ct);
        if (reminded > 0) logger.LogInformation("Reminded {Count} units of their monthly report.", reminded);
    }
}
