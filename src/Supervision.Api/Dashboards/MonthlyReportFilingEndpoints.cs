using System.Security.Cryptography;
using System.Text.Json;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

public sealed partial class MonthlyReportFilingProjection : SingleStreamProjection<MonthlyReportFiling, Guid>
{
    public MonthlyReportFilingProjection()
    {
        IncludeType<MonthlyReportSubmitted>();
        IncludeType<MonthlyReportDueReminded>();
    }

    public override MonthlyReportFiling? Evolve(MonthlyReportFiling? snapshot, Guid id, IEvent e) => MonthlyReportFilingRules.Evolve(snapshot, e.Data);
}

public sealed class MonthlyReportFilingModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<MonthlyReportFilingProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<MonthlyReportSubmitted>();
        options.Events.AddEventType<MonthlyReportDueReminded>();
        options.Schema.For<MonthlyReportFiling>().Index(f => f.Year);
    }
}

/// <summary>A unit that files a monthly report: a county (the county form) or a city department (the city-department form).</summary>
public sealed record ReportingUnit(string UnitKey, string Unit, ReportForm Form, string RegionCode, Guid? DepartmentId);

/// <summary>Where a unit stands with a month's report.</summary>
public sealed record ReportStatus(string UnitKey, string Unit, ReportForm Form, string RegionCode, int Year, int Month, DateOnly DueOn, int DaysToDue,
    DateOnly? SubmittedOn, bool Late, int Revision, IReadOnlyList<DateOnly> RemindedOn);

public static class ReportingUnits
{
    /// <summary>Every county with a department, and every department of a city (not of a county or province).</summary>
    public static IReadOnlyList<ReportingUnit> All(IReadOnlyList<Department> departments, IReadOnlyList<Region> regions)
    {
        var counties = departments.Where(d => d.Active).Select(d => d.RegionCode).Distinct()
            .Where(code => RegionRules.TryParseCode(code, out var level, out _) && level == RegionLevel.County)
            .Select(code => new ReportingUnit(MonthlyReportFiling.CountyKey(code), regions.FirstOrDefault(r => r.Code == code)?.Name ?? code, ReportForm.County, code, null));
        var cityDepartments = departments.Where(d => d.Active && RegionRules.TryParseCode(d.RegionCode, out var level, out _) && level == RegionLevel.City)
            .Select(d => new ReportingUnit(MonthlyReportFiling.DepartmentKey(d.Id), d.Name, ReportForm.CityDepartment, d.RegionCode, d.Id));
        return counties.Concat(cityDepartments).OrderBy(u => u.RegionCode, StringComparer.Ordinal).ThenBy(u => u.Unit, StringComparer.Ordinal).ToList();
    }

    /// <summary>The month whose report falls due this month: the previous one.</summary>
    public static Period DueMonth(DateOnly today)
    {
        var previous = today.AddMonths(-1);
        return Period.Month(previous.Year, previous.Month);
    }
}

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
        if (Oversight.CheckFiling(user, departments, command.RegionCode, command.DepartmentId) is { } notYours)
            return new(Decision.Accept(), null, null, ProblemResponses.Forbidden(notYours));
        var (report, problem) = await MonthlyReportEndpoints.BuildAsync(session, user, period, command.RegionCode, command.DepartmentId, null, null, today, clock, ct);
        if (report is null) return new(Decision.Accept(), null, null, problem!);
        var unitKey = command.DepartmentId is { } id ? MonthlyReportFiling.DepartmentKey(id) : MonthlyReportFiling.CountyKey(command.RegionCode!);
        var filing = await session.LoadAsync<MonthlyReportFiling>(MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month), ct);
        // Section 一 is the unit's own entry: a correction that leaves it out keeps the one filed before; changing it is a correction like any other.
        report = report with { Deployment = (command.Deployment ?? filing?.Deployment ?? ReportDeployment.None).Normalised() };
        // The frozen content leaves out the filing day and the days to the due date, so filing the same figures twice is recognised.
        var content = JsonSerializer.Serialize(report with { FilledOn = default, DaysToDue = 0 });
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
        var decision = MonthlyReportFilingRules.Decide(command, filing, report, content, sha, today, user.As(Roles.Planner));
        return new(decision, filing, report, decision.ToProblem());
    }

    public static ProblemDetails Validate(SubmitMonthlyReportContext context) => context.Problem;

    [Authorize(Roles = Roles.Planner)]
    [WolverinePost("/api/reports/monthly/submissions"), Tags("Reports")]
    public static MonthlyReportFiling Post(SubmitMonthlyReport command, [NotBody] SubmitMonthlyReportContext context, IDocumentSession session)
    {
        var report = context.Report!;
        var unitKey = command.DepartmentId is { } id ? MonthlyReportFiling.DepartmentKey(id) : MonthlyReportFiling.CountyKey(command.RegionCode!);
        var filingId = MonthlyReportFiling.IdFor(unitKey, report.Year, report.Month);
        var version = (context.Filing?.Version ?? 0) + context.Decision.Events.Count;
        // Appended at the version read: two filings of one report at once give a 409, not two first revisions.
        if (context.Decision.Events.Count > 0) session.Events.Append(filingId, version, context.Decision.Events.ToArray());
        return context.Decision.Events.Aggregate(context.Filing, MonthlyReportFilingRules.Evolve)! with { Version = version };
    }
}

public static class MonthlyReportReminders
{
    /// <summary>Where every unit in a region stands with a month's report (by default the month falling due now).</summary>
    [Authorize]
    [WolverineGet("/api/reports/monthly/status"), Tags("Reports")]
    public static async Task<IResult> Status(string regionCode, string? month, ClaimsPrincipal user, [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var period = month is null ? ReportingUnits.DueMonth(today) : Period.Parse(month);
        if (period is not { Kind: PeriodKind.Month } || !RegionRules.TryParseCode(regionCode, out _, out _))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid(period is null ? "month" : "regionCode", "report.status",
                "'regionCode' is a six-digit GB/T 2260 code and 'month' a month such as 2026-03.")]));
        var (departments, _) = await DepartmentCache.LoadAsync(session, ct);
        if (Oversight.Check(user, departments, regionCode, null) is { } forbidden) return Results.Problem(ProblemResponses.Forbidden(forbidden));
        return Results.Ok(await StatusAsync(session, departments, today, period, u => RegionCodes.Within(u.RegionCode, regionCode), ct));
    }

    public static async Task<IReadOnlyList<ReportStatus>> StatusAsync(IQuerySession session, IReadOnlyList<Department> departments, DateOnly today, Period month,
        Func<ReportingUnit, bool> include, CancellationToken ct)
    {
        // Issue 14: only what the units in scope need is read: their counties' names and their own filings (not every region and filing).
        var inScope = ReportingUnits.All(departments, []).Where(include).ToList();
        var counties = inScope.Where(u => u.Form == ReportForm.County).Select(u => u.RegionCode).Distinct().ToArray();
        var regions = counties.Length == 0 ? [] : await session.Query<Region>().Where(r => r.Code.IsOneOf(counties)).ToListAsync(ct);
        var goals = await session.Query<GoalSetting>().Where(g => g.Year == month.Year).ToListAsync(ct);
        var ids = inScope.Select(u => MonthlyReportFiling.IdFor(u.UnitKey, month.Year, month.Number)).ToArray();
        var filings = ids.Length == 0 ? new Dictionary<string, MonthlyReportFiling>()
            : (await session.LoadManyAsync<MonthlyReportFiling>(ct, ids)).ToDictionary(f => f.UnitKey);
        return ReportingUnits.All(departments, regions).Where(include).Select(u =>
        {
            var due = MonthlyReports.DueOn(month.Year, month.Number, GoalRules.Resolve(u.RegionCode, month.Year, goals).MonthlyReportDueDay);
            var filing = filings.GetValueOrDefault(u.UnitKey);
            return new ReportStatus(u.UnitKey, u.Unit, u.Form, u.RegionCode, month.Year, month.Number, due, due.DayNumber - today.DayNumber, filing?.SubmittedOn,
                filing?.Late ?? false, filing?.Revision ?? 0, filing?.RemindedOn ?? []);
        }).ToList();
    }

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
        foreach (var status in await StatusAsync(query, departments, today, month, _ => true, ct))
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
