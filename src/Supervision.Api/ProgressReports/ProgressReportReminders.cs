using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed record ProgressReportSweep(int Reminded, int FlaggedLate);

public static class ProgressReportReminders
{
    /// <summary>
    /// Reminds every unit whose report is due within <see cref="ProgressReportRules.RemindDaysBefore"/> days and not filed, and flags
    /// late every report whose due day has passed without it (this year's and last year's, so a December due day is flagged in
    /// January too). Safe on several nodes at once: each act is decided from the filing's state and appended at the version read,
    /// so a second node's identical act is refused by the event store and skipped.
    /// </summary>
    public static async Task<ProgressReportSweep> SweepAsync(IDocumentStore store, DateOnly today, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var departments = (await query.Query<Department>().ToListAsync(ct)).Where(d => d.Active).ToList();
        var (reminded, flagged) = (0, 0);
        foreach (var year in new[] { today.Year - 1, today.Year })
        {
            var schedules = await query.Query<ProgressReportSchedule>().Where(s => s.Year == year).ToListAsync(ct);
            var filings = (await query.Query<ProgressReportFiling>().Where(f => f.Year == year).ToListAsync(ct)).ToDictionary(f => f.Id);
            foreach (var department in departments)
            {
                if (ProgressReportScheduleRules.Resolve(department.RegionCode, year, schedules) is not { } schedule) continue;
                var unit = new ReportingDepartment(department.Id, department.Name, department.RegionCode);
                foreach (var due in schedule.DueDates)
                {
                    var id = ProgressReportFiling.IdFor(department.Id, year, due.Number);
                    // Decided first on the state read in bulk; only a unit that needs an act opens a stream for writing.
                    if (ProgressReportRules.DecideReminder(filings.GetValueOrDefault(id), unit, year, due, today).Events.Count == 0) continue;
                    await using var session = store.LightweightSession();
                    var stream = await session.Events.FetchForWriting<ProgressReportFiling>(id, ct);
                    var decision = ProgressReportRules.DecideReminder(stream.Aggregate, unit, year, due, today);
                    if (decision.Events.Count == 0) continue;
                    stream.AppendMany(decision.Events);
                    try
                    {
                        await session.SaveChangesAsync(ct);
                        reminded += decision.Events.Count(e => e is ProgressReportDueReminded);
                        flagged += decision.Events.Count(e => e is ProgressReportFlaggedLate);
                    }
                    catch (Exception e) when (e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException)
                    {
                        // Another node reminded or flagged this unit at the same moment.
                    }
                }
            }
        }
        return new ProgressReportSweep(reminded, flagged);
    }
}
