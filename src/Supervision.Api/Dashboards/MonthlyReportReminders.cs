using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public static class MonthlyReportReminders
{
    /// <summary>
    /// Reminds every unit whose report for the month falling due is not filed and is due within a few days or late. Safe on
    /// several nodes at once: each reminder is decided from the filing's state and appended at the version read, so a second
    /// node's identical reminder is refused by the event store and skipped.
    /// </summary>
    public static async Task<int> SweepAsync(IDocumentStore store, DateOnly today, CancellationToken ct)
    {
        var month = ReportingUnits.DueMonth(today);
        await using var query = store.QuerySession();
        var departments = await query.Query<Department>().ToListAsync(ct);
        var reminded = 0;
        foreach (var status in await MonthlyReportStatusQueries.StatusAsync(query, departments, today, month, _ => true, ct))
        {
            var id = MonthlyReportFiling.IdFor(status.UnitKey, month.Year, month.Number);
            await using var session = store.LightweightSession();
            var stream = await session.Events.FetchForWriting<MonthlyReportFiling>(id, ct);
            var decision = MonthlyReportFilingRules.DecideReminder(stream.Aggregate, status.UnitKey, status.Unit, month.Year, month.Number, status.DueOn, today);
            if (decision.Events.Count == 0) continue;
            stream.AppendMany(decision.Events);
            try
            {
                await session.SaveChangesAsync(ct);
                reminded++;
            }
            catch (Exception e) when (e is JasperFx.ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException)
            {
                // Another node reminded this unit at the same moment.
            }
        }
        return reminded;
    }
}
