using Supervision.Domain.Calendar;

namespace Supervision.Domain.Tests.Calendar;

public sealed class WorkingDaysTests
{
    private static readonly Actor Admin = new("admin-1", "管理员", Roles.SystemAdmin, null);
    private static readonly WorkingDayCalendar Shipped = WorkingDayCalendar.Shipped;

    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    private static Deadline Add(string trigger, int workingDays) => Shipped.AddWorkingDays(D(trigger), workingDays);

    [Theory]
    [InlineData("2025-09-26", 1, "2025-09-28")] // Fri → Sun 9/28, a make-up working day (调休上班)
    [InlineData("2025-09-28", 1, "2025-09-29")]
    [InlineData("2025-09-30", 1, "2025-10-09")] // 10/1–10/8 国庆·中秋
    [InlineData("2025-10-09", 2, "2025-10-11")] // Sat 10/11 worked
    [InlineData("2025-09-26", 20, "2025-10-30")]
    public void Around_National_Day_2025_the_notice_decides(string trigger, int workingDays, string expected)
    {
        Is(Add(trigger, workingDays), expected, false, "2025r1");
    }

    [Fact]
    public void Twenty_working_days_across_National_Day_2025_are_not_twenty_weekdays()
    {
        // 9/28 (Sun, 上班) 9/29 9/30 | 10/1–10/8 off | 10/9 10/10 10/11 (Sat, 上班) then four weeks of weekdays.
        Assert.Equal(D("2025-10-30"), Add("2025-09-26", 20).Date);
        var weekdaysOnly = new WorkingDayCalendar([]).AddWorkingDays(D("2025-09-26"), 20);
        Assert.Equal(D("2025-10-29"), weekdaysOnly.Date); // weekdays, less the fixed-date 国庆节 1–3 Oct
        Assert.True(weekdaysOnly.Provisional);
    }

    [Theory]
    [InlineData("2026-02-13", 1, "2026-02-14")] // Fri → Sat 2/14, worked
    [InlineData("2026-02-14", 1, "2026-02-24")] // 2/15–2/23 春节
    [InlineData("2026-02-27", 1, "2026-02-28")] // Fri → Sat 2/28, worked
    [InlineData("2026-02-12", 3, "2026-02-24")]
    public void Around_Spring_Festival_2026_the_notice_decides(string trigger, int workingDays, string expected)
    {
        var deadline = Add(trigger, workingDays);
        Assert.Equal(D(expected), deadline.Date);
        Assert.False(deadline.Provisional);
        Assert.Equal(["2026r1"], deadline.CalendarVersions);
    }

    [Fact]
    public void A_deadline_across_New_Year_skips_the_holiday_and_counts_the_Sunday_worked()
    {
        // Dec 16–19 (4), 22–26 (9), 29–31 (12) | 1/1–1/3 off | Sun 1/4 worked (13), 1/5–1/9 (18), 1/12 (19), 1/13 (20).
        var deadline = Add("2025-12-15", 20);
        Assert.Equal(D("2026-01-13"), deadline.Date);
        Assert.False(deadline.Provisional);
        Assert.Equal(["2025r1", "2026r1"], deadline.CalendarVersions);
        Assert.Equal(D("2026-01-04"), Add("2025-12-31", 1).Date);
    }

    [Fact]
    public void A_count_into_a_year_not_loaded_is_provisional_and_names_the_versions_it_did_use()
    {
        var into2027 = Add("2026-12-20", 20);
        Assert.Equal(D("2027-01-18"), into2027.Date); // the 2027 notice is not out: weekdays less the fixed-date 元旦
        Assert.True(into2027.Provisional);
        Assert.Equal(["2026r1"], into2027.CalendarVersions);

        var within2027 = Add("2027-03-01", 5);
        Assert.Equal(new DateOnly(2027, 3, 8), within2027.Date);
        Assert.True(within2027.Provisional);
        Assert.Empty(within2027.CalendarVersions);

        Assert.False(Shipped.IsLoaded(2027));
        Assert.False(Shipped.IsWorkingDay(D("2027-01-01"))); // a Friday, but 元旦 is on a fixed date
        Assert.True(Shipped.IsWorkingDay(D("2027-01-04"))); // a Monday
        Assert.False(Shipped.IsWorkingDay(D("2027-01-02"))); // a Saturday
    }

    /// <summary>Issue 16: 2026-12-04 + 20 working days was 2027-01-01, New Year's Day.</summary>
    [Fact]
    public void A_provisional_count_skips_the_fixed_date_holidays_and_says_why_it_is_provisional()
    {
        var deadline = Add("2026-12-04", 20);
        Assert.Equal(D("2027-01-04"), deadline.Date);
        Assert.True(deadline.Provisional);
        Assert.Contains("2027", deadline.ProvisionalReason);
        Assert.Contains("元旦", deadline.ProvisionalReason);
        Assert.Contains("全国年节及纪念日放假办法", deadline.ProvisionalReason);

        Assert.Equal(D("2028-05-03"), Add("2028-04-28", 1).Date); // 劳动节 Mon 1 and Tue 2 May 2028
        Assert.Equal(D("2027-10-04"), Add("2027-09-30", 1).Date); // 国庆节 Fri 1 Oct 2027, then the weekend
        Assert.Equal(D("2027-10-05"), Add("2027-10-04", 1).Date); // only 1–3 Oct are fixed; the rest comes with the notice
        Assert.Null(Add("2026-12-01", 5).ProvisionalReason);
    }

    [Theory]
    [InlineData("2024-05-02", false)] // before the 2024 revision (国务院令第795号) 劳动节 was 1 May only
    [InlineData("2025-05-02", true)]
    [InlineData("2030-01-01", true)]
    [InlineData("2030-10-03", true)]
    [InlineData("2030-10-04", false)]
    [InlineData("2030-02-03", false)] // 春节 is lunar: it comes with the notice
    public void The_fixed_date_holidays_follow_the_statute(string date, bool holiday) =>
        Assert.Equal(holiday, FixedDateHolidays.Contains(D(date)));

    [Fact]
    public void A_loaded_year_is_its_notice_alone()
    {
        // A notice that (hypothetically) made 1 Jan a working day wins over the fixed date: the notice is the source.
        var calendar = new WorkingDayCalendar([new CalendarYear(2027, [D("2027-02-10")], [D("2027-01-01")], "test", 1)]);
        Assert.True(calendar.IsWorkingDay(D("2027-01-01")));
        Assert.True(calendar.IsWorkingDay(D("2027-10-01"))); // not listed in this notice, a Friday
        Assert.False(calendar.AddWorkingDays(D("2027-03-01"), 1).Provisional);
    }

    [Fact]
    public void A_count_that_ends_on_the_last_day_of_a_loaded_year_is_not_provisional()
    {
        var deadline = Add("2026-12-30", 1);
        Assert.Equal((D("2026-12-31"), false), (deadline.Date, deadline.Provisional));
    }

    [Theory]
    [InlineData("2025-10-01", 1, "2025-10-09")] // on a holiday
    [InlineData("2025-09-27", 1, "2025-09-28")] // on a Saturday that is a rest day, next day a Sunday worked
    [InlineData("2025-09-28", 1, "2025-09-29")] // on a make-up working day: it does not count itself
    [InlineData("2025-09-29", 1, "2025-09-30")] // on a working day: it does not count itself
    [InlineData("2026-02-22", 1, "2026-02-24")] // on a Sunday inside the Spring Festival block
    public void The_trigger_day_never_counts(string trigger, int workingDays, string expected) =>
        Assert.Equal(D(expected), Add(trigger, workingDays).Date);

    [Theory]
    [InlineData("2025-10-09", 1, "2025-09-30")]
    [InlineData("2025-09-29", 1, "2025-09-28")] // a Sunday worked
    [InlineData("2026-02-24", 1, "2026-02-14")]
    [InlineData("2026-02-24", 3, "2026-02-12")]
    [InlineData("2025-10-30", 20, "2025-09-26")]
    [InlineData("2026-03-02", 1, "2026-02-28")]
    public void Counting_back_is_strictly_before_and_follows_the_same_calendar(string date, int workingDays, string expected)
    {
        var reminder = Shipped.SubtractWorkingDays(D(date), workingDays);
        Assert.Equal(D(expected), reminder.Date);
        Assert.False(reminder.Provisional);
    }

    [Fact]
    public void Counting_back_across_New_Year_names_both_years_and_back_into_a_year_not_loaded_is_provisional()
    {
        Is(Shipped.SubtractWorkingDays(D("2026-01-05"), 1), "2026-01-04", false, "2026r1");
        Is(Shipped.SubtractWorkingDays(D("2026-01-05"), 2), "2025-12-31", false, "2025r1", "2026r1");

        var into2021 = Shipped.SubtractWorkingDays(D("2022-01-04"), 1);
        Assert.Equal(D("2021-12-31"), into2021.Date);
        Assert.True(into2021.Provisional);
        Assert.Equal(["2022r1"], into2021.CalendarVersions);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void At_least_one_working_day_is_counted(int workingDays)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Shipped.AddWorkingDays(D("2025-01-02"), workingDays));
        Assert.Throws<ArgumentOutOfRangeException>(() => Shipped.SubtractWorkingDays(D("2025-01-02"), workingDays));
    }

    [Fact]
    public void The_shipped_notices_are_2022_to_2026_revision_1_each_citing_its_notice()
    {
        Assert.Equal([2022, 2023, 2024, 2025, 2026], Shipped.Years.Select(y => y.Year));
        Assert.All(Shipped.Years, y => Assert.Equal(1, y.Revision));
        Assert.All(Shipped.Years, y => Assert.Contains($"国务院办公厅关于{y.Year}年部分节假日安排的通知", y.Source));
        Assert.All(Shipped.Years, y => Assert.Contains($"国办发明电〔{y.Year - 1}〕", y.Source));
        Assert.Equal(["2022r1", "2023r1", "2024r1", "2025r1", "2026r1"], Shipped.Years.Select(y => y.VersionId));
    }

    [Fact]
    public void Every_shipped_make_up_day_is_a_weekend_day_and_no_day_is_both()
    {
        foreach (var year in Shipped.Years)
        {
            Assert.All(year.MakeUpWorkingDays, d => Assert.True(d.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, $"{d:yyyy-MM-dd} is a {d.DayOfWeek}"));
            Assert.Empty(year.Holidays.Intersect(year.MakeUpWorkingDays));
            Assert.All(year.Holidays.Concat(year.MakeUpWorkingDays), d => Assert.Equal(year.Year, d.Year));
            Assert.Equal(year.Holidays.Count, year.Holidays.Distinct().Count());
            // Each shipped year passes the same checks an administrator's load does.
            var load = new LoadCalendarYear(year.Year, year.Holidays, year.MakeUpWorkingDays, year.Source, "重新载入");
            Assert.False(CalendarRules.Decide(load, null, Admin).IsRejected);
        }
    }

    [Theory]
    [InlineData(2022, 31, 7, 249)]
    [InlineData(2023, 26, 7, 249)] // 元旦 counts 1/1–1/2 only: 2022-12-31 is a 2022 day
    [InlineData(2024, 28, 8, 251)]
    [InlineData(2025, 28, 5, 248)]
    [InlineData(2026, 33, 6, 248)]
    public void Each_year_has_the_days_off_its_notice_sets(int year, int holidays, int makeUpDays, int workingDays)
    {
        var calendar = Shipped.For(year)!;
        Assert.Equal(holidays, calendar.Holidays.Count);
        Assert.Equal(makeUpDays, calendar.MakeUpWorkingDays.Count);
        var first = new DateOnly(year, 1, 1);
        var days = Enumerable.Range(0, new DateOnly(year, 12, 31).DayNumber - first.DayNumber + 1).Select(first.AddDays);
        Assert.Equal(workingDays, days.Count(Shipped.IsWorkingDay));
    }

    [Fact]
    public void A_loaded_revision_replaces_the_shipped_year_and_moves_deadlines()
    {
        // As in 2020 (国办发明电〔2020〕1号), the Spring Festival holiday is extended after the notice: here to 2/25.
        var shipped2026 = Shipped.For(2026)!;
        var extended = shipped2026 with
        {
            Holidays = [.. shipped2026.Holidays, D("2026-02-24"), D("2026-02-25")],
            Source = "国务院办公厅关于延长2026年春节假期的通知（演练）",
            Revision = 2,
        };
        var amended = new WorkingDayCalendar([extended, .. Shipped.Years]); // order does not matter: the highest revision wins

        Assert.Equal("2026r2", amended.For(2026)!.VersionId);
        Assert.False(amended.IsWorkingDay(D("2026-02-24")));
        Is(amended.AddWorkingDays(D("2026-02-14"), 1), "2026-02-26", false, "2026r2");
        Is(Shipped.AddWorkingDays(D("2026-02-14"), 1), "2026-02-24", false, "2026r1");
        Assert.Equal(["2025r1", "2026r2"], amended.AddWorkingDays(D("2025-12-15"), 20).CalendarVersions);
        Assert.Equal("2025r1", amended.For(2025)!.VersionId);
    }

    [Fact]
    public void The_first_load_of_a_shipped_year_is_revision_2_and_keeps_the_shipped_one_in_history()
    {
        var shipped2026 = Shipped.For(2026)!;
        var command = new LoadCalendarYear(2026, [.. shipped2026.Holidays, D("2026-02-24")], shipped2026.MakeUpWorkingDays, " 延长春节假期的通知 ", " 春节假期延长 ");
        var loaded = Assert.IsType<CalendarYearLoaded>(Assert.Single(CalendarRules.Decide(command, null, Admin).Events));
        Assert.Equal((CalendarYearState.IdFor(2026), 2, "延长春节假期的通知", "春节假期延长", Admin), (loaded.CalendarYearId, loaded.Revision, loaded.Source, loaded.Reason, loaded.By));
        Assert.Same(shipped2026, loaded.Replaces);

        var state = CalendarRules.Evolve(null, loaded)!;
        Assert.Equal((2026, 2, "2026r2"), (state.Year, state.Revision, state.Current.VersionId));
        Assert.Equal(["2026r1"], state.History.Select(h => h.VersionId));
        Assert.Contains(D("2026-02-24"), state.Current.Holidays);

        var again = Assert.IsType<CalendarYearLoaded>(Assert.Single(CalendarRules.Decide(command with { Holidays = shipped2026.Holidays, Reason = "撤回延长" }, state, Admin).Events));
        Assert.Equal(3, again.Revision);
        var after = CalendarRules.Evolve(state, again)!;
        Assert.Equal((3, "2026r3"), (after.Revision, after.Current.VersionId));
        Assert.Equal(["2026r1", "2026r2"], after.History.Select(h => h.VersionId));
    }

    [Fact]
    public void The_first_load_of_a_new_year_is_revision_1()
    {
        var command = new LoadCalendarYear(2027, [D("2027-01-01"), D("2027-01-01"), D("2026-12-31").AddDays(2)], [], "2027年通知", "新年度通知发布");
        var loaded = Assert.IsType<CalendarYearLoaded>(Assert.Single(CalendarRules.Decide(command, null, Admin).Events));
        Assert.Equal((1, (CalendarYear?)null), (loaded.Revision, loaded.Replaces));
        Assert.Equal([D("2027-01-01"), D("2027-01-02")], loaded.Holidays); // duplicates dropped, in order
        var state = CalendarRules.Evolve(null, loaded)!;
        Assert.Equal(("2027r1", 0), (state.Current.VersionId, state.History.Count));
        Assert.Equal(DeterministicId.For("calendar-year", "2027"), state.Id);
    }

    [Fact]
    public void A_load_names_every_rule_it_breaks()
    {
        var command = new LoadCalendarYear(2027,
            Holidays: [D("2027-01-01"), D("2026-12-31"), D("2027-02-06")],
            MakeUpWorkingDays: [D("2027-02-06"), D("2027-02-08"), D("2028-01-01")],
            Source: " ", Reason: "");
        var errors = CalendarRules.Decide(command, null, Admin).Errors;
        Assert.Equal(
            [("holidays", "calendar.date.year"), ("makeUpWorkingDays", "calendar.date.year"), ("makeUpWorkingDays", "calendar.date.both"),
             ("makeUpWorkingDays", "calendar.makeup.weekend"), ("source", "source.required"), ("reason", "reason.required")],
            errors.Select(e => (e.Field, e.Rule)));
        Assert.All(errors, e => Assert.Equal(ErrorKind.Invalid, e.Kind));
        Assert.Contains("2026-12-31", errors[0].Message);
        Assert.Contains("2027-02-08", errors[3].Message); // Monday
        Assert.DoesNotContain("2027-02-06", errors[3].Message); // Saturday
    }

    [Theory]
    [InlineData(1999)]
    [InlineData(2101)]
    public void A_year_is_between_2000_and_2100(int year) =>
        Assert.Contains("calendar.year.range",
            CalendarRules.Decide(new LoadCalendarYear(year, [new DateOnly(year, 1, 1)], [], "通知", "理由"), null, Admin).Errors.Select(e => e.Rule));

    [Fact]
    public void A_year_without_holidays_is_refused_and_missing_lists_are_empty()
    {
        var errors = CalendarRules.Decide(new LoadCalendarYear(2027, null!, null!, "通知", "理由"), null, Admin).Errors;
        Assert.Equal("calendar.holidays.required", Assert.Single(errors).Rule);
    }

    [Fact]
    public void Other_events_leave_the_state_alone() =>
        Assert.Null(CalendarRules.Evolve(null, new object()));

    private static void Is(Deadline deadline, string date, bool provisional, params string[] versions)
    {
        Assert.Equal((D(date), provisional), (deadline.Date, deadline.Provisional));
        Assert.Equal(versions, deadline.CalendarVersions);
    }
}
