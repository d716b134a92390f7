using Marten.Linq.MatchesSql;
using Supervision.Api.Calendar;
using Supervision.Api.Dashboards;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;
using Supervision.Domain.ProgressReports;

namespace Supervision.Api.ProgressReports;

public sealed record FileProgressReportContext(Decision Decision, ProgressReportFiling? Filing, ProblemDetails Problem);

/// <summary>
/// <c>POST /api/reports/progress/filings</c>: a department's planner files its quarterly progress report or annual summary; the
/// department's counted figures for the period are taken from the dashboards, the text from the unit, and the whole frozen with its
/// SHA-256. Filing again is a correction with a reason.
/// </summary>
public static class FileProgressReportEndpoint
{
    public static async Task<FileProgressReportContext> LoadAsync(FileProgressReport command, ClaimsPrincipal user, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        static FileProgressReportContext Refused(ProblemDetails problem) => new(Decision.Accept(), null, problem);
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var departments = await session.Query<Department>().ToListAsync(ct);
        if (departments.FirstOrDefault(d => d.Id == command.DepartmentId) is not { Active: true } department)
            return Refused(ProblemResponses.NotFound("department", command.DepartmentId));
        // Only the unit itself files (谁的工作谁报送): a planner of another department, even its region's office, may not write it.
        var (reader, _) = Readers.From(user, departments);
        if (reader.DepartmentId != department.Id)
            return Refused(ProblemResponses.Forbidden(DomainError.Forbidden("departmentId", "progress.not-yours",
                "A department's progress report is filed by that department's own planners.")));
        var schedules = await session.Query<ProgressReportSchedule>().Where(s => s.Year == command.Year).ToListAsync(ct);
        var schedule = ProgressReportScheduleRules.Resolve(department.RegionCode, command.Year, schedules);
        var filing = await session.LoadAsync<ProgressReportFiling>(ProgressReportFiling.IdFor(department.Id, command.Year, command.Number), ct);
        if (ProgressReportRules.Check(command, filing, schedule, today) is { Count: > 0 } errors) return Refused(ProblemResponses.FromErrors(errors));

        var due = schedule!.Due(command.Number)!;
        var figures = await ProgressReportFigureSource.CountAsync(session, department, Period.Parse(due.Period)!, today, ct);
        var unit = new ReportingDepartment(department.Id, department.Name, department.RegionCode);
        var (content, sha) = ProgressReportRules.Freeze(new ProgressReportContent(department.Id, department.Name, department.RegionCode, command.Year, due.Number,
            due.Kind, due.Period, due.DueOn, schedule.Source, figures, command.Report!));
        var decision = ProgressReportRules.Decide(command, filing, schedule, unit, content, sha, today, user.As(Roles.Planner));
        return new(decision, filing, decision.ToProblem());
    }

    public static ProblemDetails Validate(FileProgressReportContext context) => context.Problem;

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/reports/progress/filings"), Tags("Reports")]
    public static ProgressReportFiling Post(FileProgressReport command, [NotBody] FileProgressReportContext context, IDocumentSession session)
    {
        var id = ProgressReportFiling.IdFor(command.DepartmentId, command.Year, command.Number);
        var version = (context.Filing?.Version ?? 0) + context.Decision.Events.Count;
        // Appended at the version read: two filings of one report at once give a 409, not two first revisions.
        if (context.Decision.Events.Count > 0) session.Events.Append(id, version, context.Decision.Events.ToArray());
        return context.Decision.Events.Aggregate(context.Filing, ProgressReportRules.Evolve)! with { Version = version };
    }
}

/// <summary>The department's counted figures for the report's period: the dashboards' own counts (read only, the same query as the dashboard).</summary>
public static class ProgressReportFigureSource
{
    public static async Task<ProgressReportFigures> CountAsync(IQuerySession session, Department department, Period period, DateOnly today, CancellationToken ct)
    {
        var loaded = await DashboardSource.LoadLiveContextAsync(session, period.Year, ct);
        var calendar = await CalendarSource.LoadAsync(session, ct);
        var scope = new DashboardScope("department", department.Id, department.RegionCode, department.Name, new HashSet<Guid> { department.Id });
        var d = (await DashboardEndpoints.ComputeAsync(session, true, [scope], period, today, loaded, calendar, ct))[0];
        return new ProgressReportFigures(d.Draws, d.Inspections, d.EntitiesInspected, d.EntitiesWithProblems, d.ResultsPublished, d.VoidedPlans, d.AdjustedPlans,
            d.Recusals, d.Replacements);
    }
}
