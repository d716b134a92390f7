namespace Supervision.Domain.Calendar;

/// <summary>
/// One year's arrangement as the State Council's (国务院办公厅) annual holiday notice sets it: holidays (放假, every day
/// off in each holiday block, weekend days and the weekdays moved by 调休 included) and make-up working days (调休上班,
/// weekend days that are working days). Any other day is a working day from Monday to Friday and a rest day at weekends.
/// </summary>
/// <param name="Source">The notice (or other instrument) the arrangement comes from, e.g. "国办发明电〔2024〕12号".</param>
/// <param name="Revision">1 for the arrangement shipped with the system (or the first loaded for a year not shipped); each later load adds one.</param>
public sealed record CalendarYear(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> MakeUpWorkingDays, string Source, int Revision)
{
    /// <summary>Names this arrangement on a deadline, so a case records which calendar its deadline was counted with.</summary>
    public string VersionId => $"{Year}r{Revision}";
}

/// <summary>The result of counting working days.</summary>
/// <param name="Date">The working day reached.</param>
/// <param name="Provisional">
/// True when the count passed through a year whose arrangement is not loaded: Monday to Friday were taken as working
/// days there, and the date may move once that year's notice is loaded.
/// </param>
/// <param name="CalendarVersions">The <see cref="CalendarYear.VersionId"/> of every loaded year the count passed through, by year.</param>
/// <param name="ProvisionalReason">Why the date is provisional and how it was counted there (null when it is not).</param>
public sealed record Deadline(DateOnly Date, bool Provisional, IReadOnlyList<string> CalendarVersions, string? ProvisionalReason = null);

/// <summary>
/// The public holidays that fall on the same Gregorian date every year, per 《全国年节及纪念日放假办法》 article 2 (as revised by
/// 国务院令第795号, in force from 2025-01-01): 元旦 1 January, 劳动节 1–2 May (1 May only before 2025), 国庆节 1–3 October.
/// A year whose State Council notice is not loaded yet still has these days off, so a provisional count skips them (issue 16:
/// 2026-12-04 + 20 working days gave 2027-01-01). The lunar holidays (春节, 端午, 中秋) and 清明 (a solar term), the days moved
/// by 调休 and the make-up working weekends come only with the year's notice.
/// </summary>
public static class FixedDateHolidays
{
    public static bool Contains(DateOnly date) => (date.Month, date.Day) switch
    {
        (1, 1) => true,
        (5, 1) => true,
        (5, 2) => date.Year >= 2025,
        (10, 1 or 2 or 3) => true,
        _ => false,
    };

    public static string ReasonFor(IEnumerable<int> unloadedYears) =>
        $"The State Council's holiday notice for {string.Join(", ", unloadedYears)} is not loaded: Monday to Friday were counted as working days " +
        "except the fixed-date holidays of 《全国年节及纪念日放假办法》 article 2 (元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct); the lunar holidays, " +
        "调休 and make-up working days are not known yet, so the date moves when the notice is loaded.";
}

/// <summary>
/// The statutory working-day calendar: data per year, never a weekday rule. Deadlines such as "results entered and
/// published within 20 working days" are counted with <see cref="AddWorkingDays"/>.
/// </summary>
public sealed class WorkingDayCalendar
{
    private readonly Dictionary<int, Arrangement> _years;

    /// <summary>Takes, for each year, the arrangement with the highest revision; of equal revisions, the one given last.</summary>
    public WorkingDayCalendar(IEnumerable<CalendarYear> years)
    {
        ArgumentNullException.ThrowIfNull(years);
        _years = [];
        foreach (var year in years)
        {
            if (!_years.TryGetValue(year.Year, out var held) || year.Revision >= held.Calendar.Revision)
                _years[year.Year] = new Arrangement(year, year.Holidays.ToHashSet(), year.MakeUpWorkingDays.ToHashSet());
        }
        Years = _years.Values.Select(a => a.Calendar).OrderBy(c => c.Year).ToList();
    }

    /// <summary>The arrangements shipped with the system (<see cref="StateCouncilNotices.All"/>), revision 1 each.</summary>
    public static WorkingDayCalendar Shipped { get; } = new(StateCouncilNotices.All);

    /// <summary>The arrangement in force for each loaded year, by year.</summary>
    public IReadOnlyList<CalendarYear> Years { get; }

    public bool IsLoaded(int year) => _years.ContainsKey(year);

    /// <summary>The arrangement in force for <paramref name="year"/>, or null when that year is not loaded.</summary>
    public CalendarYear? For(int year) => _years.TryGetValue(year, out var arrangement) ? arrangement.Calendar : null;

    /// <summary>
    /// For a year not loaded, Monday to Friday are working days except the <see cref="FixedDateHolidays"/> (and a deadline
    /// counted through it is provisional). A loaded year is its notice alone: the notice already lists every day off.
    /// </summary>
    public bool IsWorkingDay(DateOnly date)
    {
        if (_years.TryGetValue(date.Year, out var arrangement))
        {
            if (arrangement.MakeUpWorkingDays.Contains(date)) return true;
            if (arrangement.Holidays.Contains(date)) return false;
            return !IsWeekend(date);
        }
        return !IsWeekend(date) && !FixedDateHolidays.Contains(date);
    }

    /// <summary>The <paramref name="workingDays"/>-th working day strictly after <paramref name="trigger"/> (the trigger day itself never counts).</summary>
    public Deadline AddWorkingDays(DateOnly trigger, int workingDays) => Count(trigger, workingDays, +1);

    /// <summary>The <paramref name="workingDays"/>-th working day strictly before <paramref name="date"/>, e.g. for "3 working days before the deadline" reminders.</summary>
    public Deadline SubtractWorkingDays(DateOnly date, int workingDays) => Count(date, workingDays, -1);

    private Deadline Count(DateOnly from, int workingDays, int step)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingDays, 1);
        var day = from;
        var remaining = workingDays;
        var unloaded = new SortedSet<int>();
        var versions = new SortedDictionary<int, string>();
        while (remaining > 0)
        {
            day = day.AddDays(step);
            if (_years.TryGetValue(day.Year, out var arrangement)) versions.TryAdd(day.Year, arrangement.Calendar.VersionId);
            else unloaded.Add(day.Year);
            if (IsWorkingDay(day)) remaining--;
        }
        return new Deadline(day, unloaded.Count > 0, versions.Values.ToList(), unloaded.Count > 0 ? FixedDateHolidays.ReasonFor(unloaded) : null);
    }

    public static bool IsWeekend(DateOnly date) => date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private sealed record Arrangement(CalendarYear Calendar, HashSet<DateOnly> Holidays, HashSet<DateOnly> MakeUpWorkingDays);
}

/// <summary>
/// Loads a year's arrangement: a year not shipped (e.g. 2027 once its notice appears), or a new revision of a year
/// already in force, as when the State Council changes an arrangement mid-year (in 2020 国办发明电〔2020〕1号 extended
/// the Spring Festival holiday to 2 February).
/// </summary>
/// <param name="Holidays">Every day off, weekend days inside a holiday block included.</param>
/// <param name="MakeUpWorkingDays">The weekend days worked (调休上班).</param>
/// <param name="Source">The notice, e.g. "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕N号）".</param>
/// <param name="Reason">Why it is loaded (a new notice, an amending notice…).</param>
public sealed record LoadCalendarYear(int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> MakeUpWorkingDays, string Source, string Reason);

/// <summary>
/// A year's arrangement from now on. <paramref name="Revision"/> is fixed when loaded (shipped revision, if any, plus
/// the loads before it plus one); <paramref name="Replaces"/> is the arrangement that was in force until then, if any.
/// Deadlines already recorded keep the calendar version they were counted with.
/// </summary>
public sealed record CalendarYearLoaded(
    Guid CalendarYearId, int Year, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> MakeUpWorkingDays, string Source, int Revision,
    CalendarYear? Replaces, string Reason, Actor By);

/// <summary>
/// A year's loaded arrangements (one stream per year). <paramref name="Current"/> is in force;
/// <paramref name="History"/> lists the arrangements it superseded, oldest first (the shipped one included).
/// </summary>
public sealed record CalendarYearState(Guid Id, int Year, int Revision, CalendarYear Current, IReadOnlyList<CalendarYear> History)
{
    public long Version { get; init; }

    public static Guid IdFor(int year) => DeterministicId.For("calendar-year", year.ToString(CultureInfo.InvariantCulture));
}

public static class CalendarRules
{
    /// <summary>Every event type of a calendar year's stream.</summary>
    public static readonly IReadOnlyList<Type> EventTypes = [typeof(CalendarYearLoaded)];

    public const int FirstYear = 2000;
    public const int LastYear = 2100;

    /// <summary>
    /// Decides a load against the year's stream (<paramref name="state"/>, null before the first load) and, when the year
    /// has never been loaded, the arrangement shipped for it (<paramref name="shipped"/>, null when not shipped).
    /// </summary>
    public static Decision Decide(LoadCalendarYear command, CalendarYearState? state, CalendarYear? shipped, Actor by)
    {
        var errors = new List<DomainError>();
        var holidays = Normalize(command.Holidays);
        var makeUp = Normalize(command.MakeUpWorkingDays);
        if (command.Year is < FirstYear or > LastYear)
            errors.Add(DomainError.Invalid("year", "calendar.year.range", $"'year' is a calendar year from {FirstYear} to {LastYear}."));
        if (holidays.Count == 0)
            errors.Add(DomainError.Invalid("holidays", "calendar.holidays.required", "'holidays' lists the days off the notice sets; a year's notice always sets some."));
        foreach (var (field, dates) in new[] { ("holidays", holidays), ("makeUpWorkingDays", makeUp) })
        {
            var outside = dates.Where(d => d.Year != command.Year).ToList();
            if (outside.Count > 0)
                errors.Add(DomainError.Invalid(field, "calendar.date.year",
                    $"Every date of '{field}' is in {command.Year}; not {Join(outside)}. A holiday spanning New Year belongs partly to each year's arrangement."));
        }
        var both = holidays.Intersect(makeUp).ToList();
        if (both.Count > 0)
            errors.Add(DomainError.Invalid("makeUpWorkingDays", "calendar.date.both", $"A day is either a holiday or a make-up working day, not both: {Join(both)}."));
        var weekdays = makeUp.Where(d => !WorkingDayCalendar.IsWeekend(d)).ToList();
        if (weekdays.Count > 0)
            errors.Add(DomainError.Invalid("makeUpWorkingDays", "calendar.makeup.weekend",
                $"Make-up working days (调休上班) are Saturdays or Sundays; {Join(weekdays)} {(weekdays.Count == 1 ? "is a weekday" : "are weekdays")}, working days anyway."));
        Text.RequireName(errors, "source", command.Source, 300);
        Text.RequireReason(errors, command.Reason, 1000);
        if (errors.Count > 0) return Decision.Reject(errors);

        var replaces = state?.Current ?? (shipped?.Year == command.Year ? shipped : null);
        var revision = (replaces?.Revision ?? 0) + 1;
        return Decision.Accept(new CalendarYearLoaded(CalendarYearState.IdFor(command.Year), command.Year, holidays, makeUp, command.Source.Trim(),
            revision, replaces, command.Reason.Trim(), by));
    }

    /// <summary>Decides against the arrangements shipped with the system (<see cref="WorkingDayCalendar.Shipped"/>).</summary>
    public static Decision Decide(LoadCalendarYear command, CalendarYearState? state, Actor by) =>
        Decide(command, state, WorkingDayCalendar.Shipped.For(command.Year), by);

    public static CalendarYearState? Evolve(CalendarYearState? state, object @event) => @event switch
    {
        CalendarYearLoaded e => new CalendarYearState(e.CalendarYearId, e.Year, e.Revision,
            new CalendarYear(e.Year, e.Holidays, e.MakeUpWorkingDays, e.Source, e.Revision),
            state is null ? (e.Replaces is { } shipped ? [shipped] : []) : [.. state.History, state.Current]),
        _ => state,
    };

    private static List<DateOnly> Normalize(IEnumerable<DateOnly>? dates) => (dates ?? []).Distinct().Order().ToList();

    private static string Join(IEnumerable<DateOnly> dates) =>
        string.Join(", ", dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
}
