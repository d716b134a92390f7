using System.Security.Claims;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Marten.Linq.MatchesSql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Supervision.Api.Calendar;
using Supervision.Api.Dashboards;
using Supervision.Api.Infrastructure;
using Supervision.Api.Infrastructure.Auth;
using Supervision.Api.Infrastructure.Http;
using Supervision.Api.Infrastructure.ReadReplica;
using Supervision.Domain.Access;
using Supervision.Domain.Dashboards;
using Supervision.Domain.Kernel;
using Supervision.Domain.Organization;
using Supervision.Domain.ProgressReports;
using Wolverine.Http;

namespace Supervision.Api.ProgressReports;

public sealed partial class ProgressReportScheduleProjection : SingleStreamProjection<ProgressReportSchedule, Guid>
{
    public ProgressReportScheduleProjection() => IncludeType<ProgressReportScheduleSet>();

    public override ProgressReportSchedule? Evolve(ProgressReportSchedule? snapshot, Guid id, IEvent e) => ProgressReportScheduleRules.Evolve(snapshot, e.Data);
}

public sealed partial class ProgressReportFilingProjection : SingleStreamProjection<ProgressReportFiling, Guid>
{
    public ProgressReportFilingProjection()
    {
        IncludeType<ProgressReportFiled>();
        IncludeType<ProgressReportCorrected>();
        IncludeType<ProgressReportDueReminded>();
        IncludeType<ProgressReportFlaggedLate>();
    }

    public override ProgressReportFiling? Evolve(ProgressReportFiling? snapshot, Guid id, IEvent e) => ProgressReportRules.Evolve(snapshot, e.Data);
}

public sealed class ProgressReportModule : IMartenModule
{
    public void Configure(StoreOptions options)
    {
        options.Projections.Add<ProgressReportScheduleProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<ProgressReportFilingProjection>(ProjectionLifecycle.Inline);
        options.Events.AddEventType<ProgressReportScheduleSet>();
        options.Events.AddEventType<ProgressReportFiled>();
        options.Events.AddEventType<ProgressReportCorrected>();
        options.Events.AddEventType<ProgressReportDueReminded>();
        options.Events.AddEventType<ProgressReportFlaggedLate>();
        options.Schema.For<ProgressReportSchedule>().Index(s => s.Year);
        // Real columns for the status view's filter (year, and the caller's scope on department_id: ReadScopes.ProgressReports).
        options.Schema.For<ProgressReportFiling>().Duplicate(f => f.DepartmentId).Duplicate(f => f.Year);
    }
}

// ---- due dates per region and year -------------------------------------------------------------------------------------------

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
        IDocumentSession session)
    {
        var version = (context.Current?.Version ?? 0) + context.Decision.Events.Count;
        // Appended at the version read: two administrators loading one year at once get a 409, not a lost update.
        session.Events.Append(ProgressReportSchedule.IdFor(regionCode, year), version, context.Decision.Events.ToArray());
        return context.Decision.Events.Aggregate(context.Current, ProgressReportScheduleRules.Evolve)! with { Version = version };
    }
}

public static class ProgressReportScheduleQueries
{
    /// <summary>The due dates in force for a region and year and whose they are (the region's own, an enclosing region's; loaded or shipped).</summary>
    [Authorize]
    [WolverineGet("/api/reports/progress/schedules/{regionCode}/{year}"), Tags("Reports")]
    public static async Task<IResult> Get(string regionCode, int year, IQuerySession session, CancellationToken ct)
    {
        if (!RegionRules.TryParseCode(regionCode, out _, out _))
            return Results.Problem(ProblemResponses.FromErrors([DomainError.Invalid("regionCode", "region.code", "The region code is a six-digit GB/T 2260 code.")]));
        var loaded = await session.Query<ProgressReportSchedule>().Where(s => s.Year == year).ToListAsync(ct);
        return ProgressReportScheduleRules.Resolve(regionCode, year, loaded) is { } schedule
            ? Results.Ok(schedule)
            : Results.Problem(ProblemResponses.FromErrors([DomainError.NotFound("regionCode", "progress.schedule.none",
                $"No progress report due dates are set for {regionCode} or a region enclosing it in {year}.")]));
    }
}

// ---- filing --------------------------------------------------------------------------------------------------------------------

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

/// <param name="ChainIntact">Whether every revision's content hashes to its recorded hash and the chain links recompute (<see cref="ProgressReportRules.FirstBrokenRevision"/>).</param>
public sealed record ProgressReportFilingAnswer(ProgressReportFiling Filing, bool ChainIntact);

public static class ProgressReportFilingQueries
{
    /// <summary>A filing with every revision's frozen content: for its department's staff, the office it reports to, 纪检 and auditors above; 404 for anyone else.</summary>
    [Authorize]
    [WolverineGet("/api/reports/progress/filings/{filingId}"), Tags("Reports")]
    public static async Task<IResult> Get(Guid filingId, ClaimsPrincipal user, [ReadReplica] IQuerySession session, CancellationToken ct)
    {
        var filing = await session.LoadAsync<ProgressReportFiling>(filingId, ct);
        var (reader, places) = await Readers.LoadAsync(user, session, ct);
        if (filing is null || !places.TryGetValue(filing.DepartmentId, out var place) || !ReadAccess.MayReadProgressReport(reader, place))
            return Results.Problem(ProblemResponses.NotFound("filing", filingId));
        return Results.Ok(new ProgressReportFilingAnswer(filing, ProgressReportRules.FirstBrokenRevision(filing.Revisions) is null));
    }
}

// ---- status --------------------------------------------------------------------------------------------------------------------

/// <summary>Where one unit stands with one report of the year; the content is not here (<c>GET /api/reports/progress/filings/{filingId}</c>).</summary>
public sealed record ProgressReportStatus(Guid FilingId, Guid DepartmentId, string Department, string RegionCode, int Year, int Number, ProgressReportKind Kind,
    string Period, DateOnly DueOn, int DaysToDue, ProgressReportState State, bool Late, DateOnly? FiledOn, DateOnly? CorrectedOn, int Revision,
    IReadOnlyList<DateOnly> RemindedOn, DateOnly? FlaggedLateOn, string? ContentSha256, string ScheduleSource);

public static class ProgressReportStatusQueries
{
    public static ProblemDetails Validate(int? year, string? regionCode, ProgressReportState? state)
    {
        var errors = new List<DomainError>();
        if (year is null or < 2015 or > 2100) errors.Add(DomainError.Invalid("year", "progress.status.year", "'year' is the year of the reports, 2015 to 2100."));
        if (regionCode is not null && !RegionRules.TryParseCode(regionCode, out _, out _))
            errors.Add(DomainError.Invalid("regionCode", "region.code", "The region code is a six-digit GB/T 2260 code."));
        return errors.Count > 0 ? ProblemResponses.FromErrors(errors) : WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Every unit the caller may see (<see cref="ReadScopes.ProgressReports"/>: a department sees its own, the region's office and 纪检
    /// above see their region's) with its standing for each report due in the year (or report <paramref name="number"/>): due, late,
    /// filed, corrected. The filings are selected in PostgreSQL by year and the caller's scope; units not yet filed come from the
    /// departments in the same scope whose region has due dates for the year.
    /// </summary>
    /// <param name="state">Only the units in this standing: Due, Late, Filed or Corrected.</param>
    [Authorize]
    [WolverineGet("/api/reports/progress/status"), Tags("Reports")]
    public static async Task<IReadOnlyList<ProgressReportStatus>> Status(int? year, string? regionCode, int? number, ProgressReportState? state, ClaimsPrincipal user,
        [ReadReplica] IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var y = year!.Value;
        var today = ChinaTime.DateOf(clock.GetUtcNow());
        var departments = await session.Query<Department>().ToListAsync(ct);
        var (reader, places) = Readers.From(user, departments);
        var visible = ReadScopes.ProgressReportDepartments(reader, places).ToHashSet();
        var scope = ReadScopes.ProgressReports(reader, places);
        var query = session.Query<ProgressReportFiling>().Where(f => f.Year == y && f.MatchesSql(scope.Sql, scope.Parameters));
        if (number is { } n) query = query.Where(f => f.Number == n);
        var filings = (await query.ToListAsync(ct)).ToDictionary(f => f.Id);
        var schedules = await session.Query<ProgressReportSchedule>().Where(s => s.Year == y).ToListAsync(ct);
        var rows = new List<ProgressReportStatus>();
        foreach (var department in departments.Where(d => d.Active && visible.Contains(d.Id) && (regionCode is null || RegionCodes.Within(d.RegionCode, regionCode)))
                     .OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => d.Name, StringComparer.Ordinal))
        {
            if (ProgressReportScheduleRules.Resolve(department.RegionCode, y, schedules) is not { } schedule) continue;
            foreach (var due in schedule.DueDates.Where(d => number is null || d.Number == number))
            {
                var id = ProgressReportFiling.IdFor(department.Id, y, due.Number);
                var filing = filings.GetValueOrDefault(id);
                var standing = ProgressReportRules.StateOf(filing, due, today);
                if (state is not null && standing != state) continue;
                rows.Add(new ProgressReportStatus(id, department.Id, department.Name, department.RegionCode, y, due.Number, due.Kind, due.Period, due.DueOn,
                    due.DueOn.DayNumber - today.DayNumber, standing, standing == ProgressReportState.Late || filing?.Late == true, filing?.FiledOn, filing?.CorrectedOn,
                    filing?.Revision ?? 0, filing?.RemindedOn ?? [], filing?.FlaggedLateOn, filing?.ContentSha256, schedule.Source));
            }
        }
        return rows;
    }
}

// ---- reminders and the late flag ----------------------------------------------------------------------------------------------

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

/// <summary>
/// Runs the progress-report sweep every <c>Supervision:ProgressReportReminderIntervalMinutes</c> (60 by default; 0 turns it off) on
/// the node running the periodic jobs.
/// </summary>
public sealed class ProgressReportReminderService(IDocumentStore store, TimeProvider clock, IConfiguration configuration, ILogger<ProgressReportReminderService> logger,
    Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(configuration, logger, leadership, "ProgressReportReminderIntervalMinutes", 60)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        var sweep = await ProgressReportReminders.SweepAsync(store, ChinaTime.DateOf(clock.GetUtcNow()), ct);
        if (sweep.Reminded + sweep.FlaggedLate > 0)
            logger.LogInformation("Progress reports: reminded {Reminded} units, flagged {Late} reports late.", sweep.Reminded, sweep.FlaggedLate);
    }
}
