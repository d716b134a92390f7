using System.Text.Encodings.Web;
using System.Text.Json;

namespace Supervision.Domain.ProgressReports;

/// <summary>
/// What the unit writes in its progress report or summary: how the year's plan is going (计划执行情况), as text and as the
/// tasks done of the tasks planned, the practices worth keeping (经验做法, 石鹿市监〔2026〕6号 三（五）"梳理总结随机抽查工作经验"),
/// the problems met (存在问题) and the next steps (下步工作打算).
/// </summary>
public sealed record ProgressReportText(string? PlanProgress, int? TasksPlanned, int? TasksCompleted, IReadOnlyList<string?>? Problems,
    IReadOnlyList<string?>? NextSteps, IReadOnlyList<string?>? Practices = null)
{
    /// <summary>The same text trimmed and in NFC with absent lists as empty, so equal input freezes to equal content.</summary>
    public ProgressReportText Normalised() => new(Text.Normalized(PlanProgress), TasksPlanned, TasksCompleted, List(Problems), List(NextSteps), List(Practices));

    private static IReadOnlyList<string?> List(IReadOnlyList<string?>? items) => (items ?? []).Select(i => (string?)Text.Normalized(i)).ToList();
}

/// <summary>
/// The counted figures of the unit for the report's period, read from the dashboards (the same counts as <c>GET
/// /api/dashboards/departments/{id}</c>, up to the filing moment): not typed by the unit, so a report cannot state other numbers
/// than the events show.
/// </summary>
public sealed record ProgressReportFigures(int Draws, int Inspections, int EntitiesInspected, int EntitiesWithProblems, int ResultsPublished,
    int VoidedPlans, int AdjustedPlans, int Recusals, int Replacements);

/// <summary>The frozen content of one revision: who reports, on what, against which due date, the counted figures and the unit's text.</summary>
public sealed record ProgressReportContent(Guid DepartmentId, string Department, string RegionCode, int Year, int Number, ProgressReportKind Kind, string Period,
    DateOnly DueOn, string ScheduleSource, ProgressReportFigures Figures, ProgressReportText Text);

/// <summary>Files report <paramref name="Number"/> of <paramref name="Year"/> for a department; filing again is a correction and needs <paramref name="Reason"/>.</summary>
public sealed record FileProgressReport(Guid DepartmentId, int Year, int Number, ProgressReportText? Report, string? Reason = null);

/// <summary>The first filing: content frozen as JSON with its SHA-256, the first link of the filing's hash chain, and whether it came after the due day.</summary>
public sealed record ProgressReportFiled(Guid FilingId, Guid DepartmentId, string Department, string RegionCode, int Year, int Number, ProgressReportKind Kind,
    string Period, DateOnly DueOn, DateOnly FiledOn, bool Late, string Content, string ContentSha256, string ChainSha256, Actor By);

/// <summary>A correction: a new revision with its reason, chained to the one before (<c>chain_n = SHA-256(chain_{n-1} ‖ content_n)</c>).</summary>
public sealed record ProgressReportCorrected(Guid FilingId, Guid DepartmentId, int Year, int Number, int Revision, DateOnly CorrectedOn, string Content,
    string ContentSha256, string PreviousChainSha256, string ChainSha256, string Reason, Actor By);

/// <summary>A reminder to the unit, a few days before the due day, that its report is not filed yet.</summary>
public sealed record ProgressReportDueReminded(Guid FilingId, Guid DepartmentId, string Department, string RegionCode, int Year, int Number,
    ProgressReportKind Kind, string Period, DateOnly DueOn, DateOnly On);

/// <summary>Why a report was flagged late.</summary>
public enum ProgressReportLateness
{
    /// <summary>The due day passed without a filing.</summary>
    NotFiledByDueDay,

    /// <summary>Filed, but after the due day (and not flagged before).</summary>
    FiledAfterDueDay,
}

/// <summary>The late flag (逾期未报 / 逾期报送): recorded once per report, for 督查 to see without recomputing from dates.</summary>
public sealed record ProgressReportFlaggedLate(Guid FilingId, Guid DepartmentId, string Department, string RegionCode, int Year, int Number,
    ProgressReportKind Kind, string Period, DateOnly DueOn, DateOnly On, ProgressReportLateness Because);

/// <summary>One revision as kept: its frozen content, hash and chain link, who filed it and why (a correction).</summary>
public sealed record ProgressReportRevision(int Revision, DateOnly FiledOn, string Content, string ContentSha256, string ChainSha256, string? Reason, Actor By);

/// <summary>A department's report for one due date of a year: its revisions, reminders and late flag.</summary>
/// <param name="FiledOn">The first filing: whether the unit filed on time is judged by it; a later correction is <see cref="CorrectedOn"/>.</param>
public sealed record ProgressReportFiling(Guid Id, Guid DepartmentId, string Department, string RegionCode, int Year, int Number, ProgressReportKind Kind,
    string Period, DateOnly DueOn, int Revision, DateOnly? FiledOn, DateOnly? CorrectedOn, bool Late, ProgressReportLateness? FlaggedLate, DateOnly? FlaggedLateOn,
    string? ContentSha256, string? ChainSha256, IReadOnlyList<DateOnly> RemindedOn, IReadOnlyList<ProgressReportRevision> Revisions)
    : IFolded<ProgressReportFiling>
{
    public long Version { get; init; }

    public ProgressReportFiling WithVersion(long version) => this with { Version = version };

    public static ProgressReportFiling? StateAfter(ProgressReportFiling? state, object @event) => ProgressReportRules.Evolve(state, @event);

    public static Guid IdFor(Guid departmentId, int year, int number) =>
        DeterministicId.For("progress-report", $"{departmentId:N}/{year.ToString(CultureInfo.InvariantCulture)}/{number.ToString(CultureInfo.InvariantCulture)}");
}

/// <summary>Where a unit stands with one report: due (not yet filed), late (the due day passed without it), filed, corrected.</summary>
public enum ProgressReportState
{
    Due,
    Late,
    Filed,
    Corrected,
}

/// <summary>The department being reported on, as the rules need it.</summary>
public sealed record ReportingDepartment(Guid Id, string Name, string RegionCode);

/// <summary>
/// Filing the quarterly progress reports and the annual summary, reminding before the due day and flagging lateness: the rules of
/// 邢双随机办〔2022〕1号 四 and 石鹿市监〔2026〕6号 四 ("…前…报送"), with the due dates as data (<see cref="ProgressReportScheduleRules"/>).
/// </summary>
public static class ProgressReportRules
{
    /// <summary>Reminded this many days before the due day: a written summary takes longer than the monthly counts (reminded 3 days before).</summary>
    public const int RemindDaysBefore = 5;

    public const int MaxText = 5000;
    public const int MaxItemText = 500;
    public const int MaxItems = 50;

    private static readonly JsonSerializerOptions Frozen = new()
    {
        // The content is hashed as written: readable Chinese (not \u escapes), no indentation, the record's own member order.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    /// <summary>The content as frozen (UTF-8 JSON) and its SHA-256 in lower-case hex.</summary>
    public static (string Json, string Sha256) Freeze(ProgressReportContent content)
    {
        var json = JsonSerializer.Serialize(content with { Text = content.Text.Normalised() }, Frozen);
        return (json, Sha256(json));
    }

    /// <summary>The filing's hash chain: the first link hashes the content's hash, each later one the previous link and the content's hash.</summary>
    public static string Chain(string? previousChainSha256, string contentSha256) => Sha256((previousChainSha256 ?? "") + contentSha256);

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every field of the unit's text against what the seed asks; errors name the JSON field.</summary>
    public static IReadOnlyList<DomainError> Validate(ProgressReportText? report)
    {
        var errors = new List<DomainError>();
        if (report is null)
        {
            errors.Add(DomainError.Invalid("report", "progress.report.required", "'report' holds the plan's progress, the problems and the next steps."));
            return errors;
        }
        void Check(string field, string? value, bool required, int max, string what)
        {
            if (required && string.IsNullOrWhiteSpace(value))
                errors.Add(DomainError.Invalid(field, "progress.report.required", $"{what} is required."));
            else if (value is not null && Text.HasHiddenControl(value))
                errors.Add(DomainError.Invalid(field, "progress.report.control-character", $"{what} holds a control or bidirectional-override character."));
            else if (value?.Trim().Length > max)
                errors.Add(DomainError.Invalid(field, "progress.report.length", $"{what} is at most {max} characters."));
        }
        void Items(string field, IReadOnlyList<string?>? items, bool atLeastOne, string what)
        {
            if (atLeastOne && (items is null || items.Count == 0))
                errors.Add(DomainError.Invalid(field, "progress.report.required", $"{what}: at least one entry."));
            if (items is null) return;
            if (items.Count > MaxItems) errors.Add(DomainError.Invalid(field, "progress.report.entries", $"{what}: at most {MaxItems} entries."));
            for (var i = 0; i < Math.Min(items.Count, MaxItems); i++) Check($"{field}[{i}]", items[i], true, MaxItemText, what);
        }
        Check("report.planProgress", report.PlanProgress, true, MaxText, "The plan's progress (计划执行情况)");
        if (report.TasksPlanned is null or < 0)
            errors.Add(DomainError.Invalid("report.tasksPlanned", "progress.report.tasks", "'tasksPlanned' is the number of the year's plan tasks, 0 or more."));
        if (report.TasksCompleted is null or < 0)
            errors.Add(DomainError.Invalid("report.tasksCompleted", "progress.report.tasks", "'tasksCompleted' is the number of tasks completed, 0 or more."));
        else if (report.TasksPlanned is { } planned && report.TasksCompleted > planned)
            errors.Add(DomainError.Invalid("report.tasksCompleted", "progress.report.tasks-completed", "More tasks completed than planned."));
        Items("report.problems", report.Problems, false, "The problems (存在问题)");
        Items("report.nextSteps", report.NextSteps, true, "The next steps (下步工作打算)");
        Items("report.practices", report.Practices, false, "The practices (经验做法)");
        return errors;
    }

    /// <summary>Only the unit itself files (谁的工作谁报送): a planner of another department, even its region's office, may not write it.</summary>
    public static DomainError? CheckFiler(Guid departmentId, Actor by) => by.DepartmentId == departmentId ? null
        : DomainError.Forbidden("departmentId", "progress.not-yours", "A department's progress report is filed by that department's own planners.");

    /// <summary>
    /// Whether the report may be filed now, before anything is counted: it must be due for the unit's region, its filing window open,
    /// the text complete, and a second filing must say why.
    /// </summary>
    public static IReadOnlyList<DomainError> Check(FileProgressReport command, ProgressReportFiling? filing, ResolvedProgressReportSchedule? schedule, DateOnly today)
    {
        if (schedule?.Due(command.Number) is not { } due)
            return [DomainError.NotFound("number", "progress.due.unknown",
                $"No report number {command.Number} is due in {command.Year} for this department's region (GET /api/reports/progress/schedules/{{region}}/{{year}}).")];
        var errors = Validate(command.Report).ToList();
        if (today < schedule.OpensOn(due))
            errors.Add(DomainError.Invalid("number", "progress.not-open",
                $"Report {due.Number} ({due.Period}) is filed from {schedule.OpensOn(due):yyyy-MM-dd} on, after the report due before it."));
        if (filing?.FiledOn is not null && string.IsNullOrWhiteSpace(command.Reason))
            errors.Add(DomainError.Invalid("reason", "progress.correction.reason", "This report was already filed; filing it again is a correction and needs a reason."));
        else if (command.Reason is { } reason && Text.HasHiddenControl(reason))
            errors.Add(DomainError.Invalid("reason", "reason.control-character", "'reason' holds a control or bidirectional-override character."));
        else if (command.Reason?.Trim().Length > 1000)
            errors.Add(DomainError.Invalid("reason", "reason.too-long", "'reason' is at most 1000 characters."));
        return errors;
    }

    /// <summary>
    /// The filing (or correction) of content already frozen; the same content again records nothing. A first filing after the due day
    /// is late, and flagged late unless the sweep flagged it already.
    /// </summary>
    public static Decision Decide(FileProgressReport command, ProgressReportFiling? filing, ResolvedProgressReportSchedule? schedule, ReportingDepartment unit,
        string content, string contentSha256, DateOnly today, Actor by)
    {
        if (CheckFiler(unit.Id, by) is { } notYours) return Decision.Reject(notYours);
        if (Check(command, filing, schedule, today) is { Count: > 0 } errors) return Decision.Reject(errors);
        var due = schedule!.Due(command.Number)!;
        if (filing?.ContentSha256 == contentSha256) return Decision.Accept(); // the same report again: nothing to correct
        var id = ProgressReportFiling.IdFor(unit.Id, command.Year, command.Number);
        if (filing?.FiledOn is null)
        {
            var late = today > due.DueOn;
            var filed = new ProgressReportFiled(id, unit.Id, unit.Name, unit.RegionCode, command.Year, due.Number, due.Kind, due.Period, due.DueOn, today, late,
                content, contentSha256, Chain(null, contentSha256), by);
            return late && filing?.FlaggedLate is null
                ? Decision.Accept(filed, new ProgressReportFlaggedLate(id, unit.Id, unit.Name, unit.RegionCode, command.Year, due.Number, due.Kind, due.Period,
                    due.DueOn, today, ProgressReportLateness.FiledAfterDueDay))
                : Decision.Accept(filed);
        }
        return Decision.Accept(new ProgressReportCorrected(id, unit.Id, command.Year, due.Number, filing.Revision + 1, today, content, contentSha256,
            filing.ChainSha256!, Chain(filing.ChainSha256, contentSha256), command.Reason!.Trim(), by));
    }

    /// <summary>
    /// For a report not filed: a reminder once within <see cref="RemindDaysBefore"/> days before the due day (for that due day: a
    /// schedule moved later reminds again), and the late flag once the due day has passed. Nothing for a report filed.
    /// </summary>
    public static Decision DecideReminder(ProgressReportFiling? filing, ReportingDepartment unit, int year, ProgressReportDue due, DateOnly today)
    {
        if (filing?.FiledOn is not null || today < due.DueOn.AddDays(-RemindDaysBefore)) return Decision.Accept();
        var id = ProgressReportFiling.IdFor(unit.Id, year, due.Number);
        if (today > due.DueOn)
            return filing?.FlaggedLate is not null
                ? Decision.Accept()
                : Decision.Accept(new ProgressReportFlaggedLate(id, unit.Id, unit.Name, unit.RegionCode, year, due.Number, due.Kind, due.Period, due.DueOn, today,
                    ProgressReportLateness.NotFiledByDueDay));
        return filing?.RemindedOn.Any(on => on >= due.DueOn.AddDays(-RemindDaysBefore) && on <= due.DueOn) == true && filing.DueOn == due.DueOn
            ? Decision.Accept()
            : Decision.Accept(new ProgressReportDueReminded(id, unit.Id, unit.Name, unit.RegionCode, year, due.Number, due.Kind, due.Period, due.DueOn, today));
    }

    public static ProgressReportFiling? Evolve(ProgressReportFiling? filing, object @event) => @event switch
    {
        ProgressReportFiled e => (filing ?? Empty(e.FilingId, e.DepartmentId, e.Department, e.RegionCode, e.Year, e.Number, e.Kind, e.Period, e.DueOn)) with
        {
            Kind = e.Kind,
            Period = e.Period,
            DueOn = e.DueOn,
            Revision = 1,
            FiledOn = e.FiledOn,
            Late = (filing?.Late ?? false) || e.Late,
            ContentSha256 = e.ContentSha256,
            ChainSha256 = e.ChainSha256,
            Revisions = [new ProgressReportRevision(1, e.FiledOn, e.Content, e.ContentSha256, e.ChainSha256, null, e.By)],
        },
        ProgressReportCorrected e when filing is not null => filing with
        {
            Revision = e.Revision,
            CorrectedOn = e.CorrectedOn,
            ContentSha256 = e.ContentSha256,
            ChainSha256 = e.ChainSha256,
            Revisions = [.. filing.Revisions, new ProgressReportRevision(e.Revision, e.CorrectedOn, e.Content, e.ContentSha256, e.ChainSha256, e.Reason, e.By)],
        },
        ProgressReportDueReminded e => (filing ?? Empty(e.FilingId, e.DepartmentId, e.Department, e.RegionCode, e.Year, e.Number, e.Kind, e.Period, e.DueOn)) is var f
            ? f with { DueOn = e.DueOn, RemindedOn = [.. f.RemindedOn, e.On] }
            : null,
        ProgressReportFlaggedLate e => (filing ?? Empty(e.FilingId, e.DepartmentId, e.Department, e.RegionCode, e.Year, e.Number, e.Kind, e.Period, e.DueOn)) with
        {
            Late = true,
            FlaggedLate = e.Because,
            FlaggedLateOn = e.On,
        },
        _ => filing,
    };

    private static ProgressReportFiling Empty(Guid id, Guid departmentId, string department, string regionCode, int year, int number, ProgressReportKind kind,
        string period, DateOnly dueOn) =>
        new(id, departmentId, department, regionCode, year, number, kind, period, dueOn, 0, null, null, false, null, null, null, null, [], []);

    /// <summary>The unit's standing on <paramref name="today"/> against the due date in force.</summary>
    public static ProgressReportState StateOf(ProgressReportFiling? filing, ProgressReportDue due, DateOnly today) =>
        filing?.FiledOn is null ? (today > due.DueOn ? ProgressReportState.Late : ProgressReportState.Due)
        : filing.Revision > 1 ? ProgressReportState.Corrected : ProgressReportState.Filed;

    /// <summary>Recomputes a filing's chain from its revisions' content: the first revision whose content or link does not match, or null.</summary>
    public static int? FirstBrokenRevision(IReadOnlyList<ProgressReportRevision> revisions)
    {
        string? previous = null;
        foreach (var r in revisions)
        {
            if (Sha256(r.Content) != r.ContentSha256 || Chain(previous, r.ContentSha256) != r.ChainSha256) return r.Revision;
            previous = r.ChainSha256;
        }
        return null;
    }
}
