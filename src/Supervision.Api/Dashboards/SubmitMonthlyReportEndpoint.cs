using System.Security.Cryptography;
using System.Text.Json;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed record SubmitMonthlyReportContext(Decision Decision, MonthlyReportFiling? Filing, MonthlyReport? Report, ProblemDetails Problem);

/// <summary><c>POST /api/reports/monthly/submissions</c>: files the month's report (its figures frozen with their SHA-256); filing again is a correction with a reason.</summary>
public static class SubmitMonthlyReportEndpoint
{
    public static async Task<SubmitMonthlyReportContext> LoadAsync(SubmitMonthlyReport command, ClaimsPrincipal user, IDocumentSession session,
        TimeProvider clock, CancellationToken ct)
    {
        var invalid = MonthlyReportEndpoints.Validate(command.Month, command.RegionCode, command.DepartmentId, null);
        if (invalid != WolverineContinue.NoProblems) return new(Decision.Accept(), null, null, invalid);
        if (ReportDeploymentRules.Validate(command.Deployment, Period.Parse(command.Month)!) is { Count: > 0 } badDeployment)
            return new(Decision.Accept(), null, null, ProblemResponses.FromErrors(badDeployment));
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var period = Period.Parse(command.Month)!;
        if (today <= period.To)
            return new(Decision.Accept(), null, null, ProblemResponses.FromErrors([DomainError.Invalid("month", "report.month.open",
                $"The report for {period.Label} is filed once the month is over.")]));
        var departments = await session.Query<Department>().ToListAsync(ct);
        var planner = user.As(Roles.Planner);
        var filer = departments.FirstOrDefault(d => d.Id == planner.DepartmentId);
        if (MonthlyReportFilingRules.CheckFiler(filer, command.RegionCode, command.DepartmentId) is { } notYours)
            return new(Decision.Accept(), null, null, Decision.Reject(notYours).ToProblem());
        var (report, problem) = await MonthlyReportEndpoints.BuildAsync(session, user, period, command.RegionCode, command.DepartmentId, null, null, today, clock, ct);
        if (report is null) return new(Decision.Accept(), null, null, problem!);
        var unitKey = command.DepartmentId is { } id ? MonthlyReportFiling.DepartmentKey(id) : MonthlyReportFiling.CountyKey(command.RegionCode!);
        var filing = await session.LoadAsync<MonthlyReportFiling>(MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month), ct);
        // Section 一 is the unit's own entry: a correction that leaves it out keeps the one filed before; changing it is a correction like any other.
        report = report with { Deployment = (command.Deployment ?? filing?.Deployment ?? ReportDeployment.None).Normalised() };
        // The frozen content leaves out the filing day and the days to the due date, so filing the same figures twice is recognised.
        var content = JsonSerializer.Serialize(report with { FilledOn = default, DaysToDue = 0 });
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var decision = MonthlyReportFilingRules.Decide(command, filing, report, content, sha, today, planner);
        return new(decision, filing, report, decision.ToProblem());
    }

    public static ProblemDetails Validate(SubmitMonthlyReportContext context) => context.Problem;

    [Authorize(Roles = Roles.Planner), WolverinePost("/api/reports/monthly/submissions"), Tags("Reports")]
    public static MonthlyReportFiling Post(SubmitMonthlyReport command, [NotBody] SubmitMonthlyReportContext context, IDocumentSession session)
    {
        var report = context.Report!;
        var unitKey = command.DepartmentId is { } id ? MonthlyReportFiling.DepartmentKey(id) : MonthlyReportFiling.CountyKey(command.RegionCode!);
        return session.AppendAtVersionRead(MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month), context.Filing, context.Decision);
    }
}
