using Supervision.Api.Dashboards;
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
        var planner = user.As(Roles.Planner);
        if (ProgressReportRules.CheckFiler(department.Id, planner) is { } notYours) return Refused(Decision.Reject(notYours).ToProblem());
        var schedules = await session.Query<ProgressReportSchedule>().Where(s => s.Year == command.Year).ToListAsync(ct);
        var schedule = ProgressReportScheduleRules.Resolve(department.RegionCode, command.Year, schedules);
        var filing = await session.LoadAsync<ProgressReportFiling>(ProgressReportFiling.IdFor(department.Id, command.Year, command.Number), ct);
        if (ProgressReportRules.Check(command, filing, schedule, today) is { Count: > 0 } errors) return Refused(ProblemResponses.FromErrors(errors));

        var due = schedule!.Due(command.Number)!;
        var figures = await ProgressReportFigureSource.CountAsync(session, department, Period.Parse(due.Period)!, today, ct);
        var unit = new ReportingDepartment(department.Id, department.Name, department.RegionCode);
        var (content, sha) = ProgressReportRules.Freeze(new ProgressReportContent(department.Id, department.Name, department.RegionCode, command.Year, due.Number,
            due.Kind, due.Period, due.DueOn, schedule.Source, figures, command.Report!));
        var decision = ProgressReportRules.Decide(command, filing, schedule, unit, content, sha, today, planner);
        return new(decision, filing, decision.ToProblem());
    }

    public static ProblemDetails Validate(FileProgressReportContext context) => context.Problem;

    [Authorize(Roles = Roles.Planner), WolverinePost("/api/reports/progress/filings"), Tags("Reports")]
    public static ProgressReportFiling Post(FileProgressReport command, [NotBody] FileProgressReportContext context, IDocumentSession session) =>
        session.AppendAtVersionRead(ProgressReportFiling.IdFor(command.DepartmentId, command.Year, command.Number), context.Filing, context.Decision);
}
