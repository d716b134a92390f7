using Supervision.Api.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed record SetProgressReportScheduleContext(Decision Decision, ProgressReportSchedule? Current);

/// <summary><c>PUT /api/reports/progress/schedules/{regionCode}/{year}</c>: a region's due dates for a year, from its plan document; each change a revision.</summary>
public static class SetProgressReportScheduleEndpoint
{
    public static async Task<SetProgressReportScheduleContext> LoadAsync(string regionCode, int year, SetProgressReportSchedule command, ClaimsPrincipal user,
        IDocumentSession session, CancellationToken ct)
    {
        var current = RegionRules.TryParseCode(regionCode, out _, out _) ? await session.LoadAsync<ProgressReportSchedule>(ProgressReportSchedule.IdFor(regionCode, year), ct) : null;
        return new(ProgressReportScheduleRules.Decide(command, regionCode, year, user.As(Roles.SystemAdmin)), current);
    }

    public static ProblemDetails Validate(SetProgressReportScheduleContext context) => context.Decision.ToProblem();

    /// <summary>
    /// Loads the due dates a region's plan document sets for a year (e.g. 石鹿市监〔2026〕6号 for 130110), replacing the shipped or
    /// earlier ones. Reports already filed keep the due date they were filed against; standing and reminders follow the new dates.
    /// </summary>
    [Authorize(Roles = Roles.SystemAdmin)]
    [WolverinePut("/api/reports/progress/schedules/{regionCode}/{year}"), Tags("Reports")]
    public static ProgressReportSchedule Put(string regionCode, int year, SetProgressReportSchedule command, [NotBody] SetProgressReportScheduleContext context,
        IDocumentSession session) =>
        session.AppendAtVersionRead(ProgressReportSchedule.IdFor(regionCode, year), context.Current, context.Decision);
}
