using Supervision.Domain.Calendar;

namespace Supervision.Api.Tests.Calendar;

// The tests of this class share one schema: only one loads 2027 and only one amends 2026 (in February, which no other
// test's count passes through), so they hold in any order.
public sealed class CalendarEndpointTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd");

    private static IEnumerable<DateOnly> Days(string from, string to)
    {
        for (var day = D(from); day <= D(to); day = day.AddDays(1)) yield return day;
    }

    /// <summary>Test data shaped like a notice for 2027 (the real one is not out yet): New Year on Friday 1 January.</summary>
    private static LoadCalendarYear Notice2027 => new(2027,
        [.. Days("2027-01-01", "2027-01-03"), .. Days("2027-02-05", "2027-02-13")],
        [D("2027-02-14")],
        "国务院办公厅关于2027年部分节假日安排的通知（测试数据）",
        "2027年节假日安排通知发布");

    [Fact]
    public async Task Loading_2027_makes_a_deadline_into_it_firm_and_names_the_version()
    {
        var admin = app.ClientFor("admin-calendar", Roles.SystemAdmin);
        var planner = app.ClientFor("planner-calendar", Roles.Planner);
        const string url = "/api/calendar/deadline?trigger=2026-12-20&workingDays=20";

        var before = await (await planner.GetAsync(url)).ReadAs<Deadline>();
        Assert.Equal((D("2027-01-18"), true), (before.Date, before.Provisional)); // weekdays less the fixed-date 元旦 (Friday 1 January)
        Assert.DoesNotContain("2027r1", before.CalendarVersions);

        // Issue 16: before the 2027 notice is loaded the count still skips New Year's Day, and the answer says why it is provisional.
        var newYear = await (await planner.GetAsync("/api/calendar/deadline?trigger=2026-12-04&workingDays=20")).ReadNodeAs(200);
        Assert.Equal(("2027-01-04", true), (newYear["date"]!.GetValue<string>(), newYear["provisional"]!.GetValue<bool>()));
        Assert.Contains("元旦", newYear["provisionalReason"]!.GetValue<string>());
        Assert.Contains("2027", newYear["provisionalReason"]!.GetValue<string>());

        var state = await (await admin.PostJson("/api/calendar/years", Notice2027)).ReadAs<CalendarYearState>();
        Assert.Equal((2027, 1, "2027r1", 1L), (state.Year, state.Revision, state.Current.VersionId, state.Version));
        Assert.Empty(state.History);
        Assert.Equal(CalendarYearState.IdFor(2027), state.Id);

        var after = await (await planner.GetAsync(url)).ReadAs<Deadline>();
        Assert.Equal((D("2027-01-18"), false), (after.Date, after.Provisional));
        Assert.Null(after.ProvisionalReason);
        Assert.Equal("2027r1", after.CalendarVersions[^1]);
        Assert.Equal(2, after.CalendarVersions.Count); // 2026 and 2027

        var years = await (await planner.GetAsync("/api/calendar/years")).ReadNodeAs(200);
        var y2027 = years.AsArray().Single(y => y!["year"]!.GetValue<int>() == 2027)!;
        Assert.Equal(("2027r1", Notice2027.Source), (y2027["versionId"]!.GetValue<string>(), y2027["source"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Any_user_reads_the_shipped_calendar_and_counts_deadlines_with_it()
    {
        var inspector = app.ClientFor("inspector-calendar", Roles.Inspector);
        var years = await (await inspector.GetAsync("/api/calendar/years")).ReadAs<List<CalendarYear>>();
        Assert.Equal([2022, 2023, 2024, 2025, 2026], years.Select(y => y.Year).Where(y => y <= 2026));
        var y2025 = years.Single(y => y.Year == 2025);
        Assert.Contains("国办发明电〔2024〕12号", y2025.Source);
        Assert.Contains(D("2025-09-28"), y2025.MakeUpWorkingDays);

        var national = await (await inspector.GetAsync("/api/calendar/deadline?trigger=2025-09-26&workingDays=20")).ReadAs<Deadline>();
        Assert.Equal((D("2025-10-30"), false), (national.Date, national.Provisional));
        Assert.Equal(["2025r1"], national.CalendarVersions);

        await (await app.Anonymous().GetAsync("/api/calendar/deadline?trigger=2025-09-26&workingDays=20")).ShouldHaveStatus(401);
    }

    [Theory]
    [InlineData("/api/calendar/deadline?workingDays=20", "trigger.required")]
    [InlineData("/api/calendar/deadline?trigger=2025-09-26", "workingDays.range")]
    [InlineData("/api/calendar/deadline?trigger=2025-09-26&workingDays=0", "workingDays.range")]
    public async Task A_deadline_needs_a_trigger_and_at_least_one_working_day(string url, string rule)
    {
        var problem = await (await app.ClientFor("planner-calendar", Roles.Planner).GetAsync(url)).ReadNodeAs(400);
        Assert.Equal(rule, problem["violations"]![0]!["rule"]!.GetValue<string>());
    }

    [Fact]
    public async Task Only_a_system_admin_loads_a_calendar()
    {
        var planner = app.ClientFor("planner-calendar", Roles.Planner);
        await (await planner.PostJson("/api/calendar/years", Notice2027 with { Year = 2029, Holidays = [D("2029-01-01")], MakeUpWorkingDays = [] }))
            .ShouldHaveStatus(403);
        var years = await (await planner.GetAsync("/api/calendar/years")).ReadAs<List<CalendarYear>>();
        Assert.DoesNotContain(years, y => y.Year == 2029);
    }

    [Fact]
    public async Task Invalid_data_is_refused_naming_each_rule()
    {
        var admin = app.ClientFor("admin-calendar", Roles.SystemAdmin);
        var bad = new LoadCalendarYear(2028,
            Holidays: [D("2028-01-01"), D("2027-12-31"), D("2028-01-29")],
            MakeUpWorkingDays: [D("2028-01-29"), D("2028-01-31")],
            Source: "", Reason: "新通知");
        var problem = await (await admin.PostJson("/api/calendar/years", bad)).ReadNodeAs(400);
        var rules = problem["violations"]!.AsArray().Select(v => v!["rule"]!.GetValue<string>()).ToList();
        Assert.Equal(["calendar.date.year", "calendar.date.both", "calendar.makeup.weekend", "source.required"], rules);
        Assert.NotNull(problem["errors"]!["makeUpWorkingDays"]);

        var years = await (await admin.GetAsync("/api/calendar/years")).ReadAs<List<CalendarYear>>();
        Assert.DoesNotContain(years, y => y.Year == 2028);
    }

    [Fact]
    public async Task An_amended_2026_is_revision_2_and_moves_deadlines()
    {
        var admin = app.ClientFor("admin-calendar", Roles.SystemAdmin);
        const string url = "/api/calendar/deadline?trigger=2026-02-14&workingDays=1";
        var before = await (await admin.GetAsync(url)).ReadAs<Deadline>();
        Assert.Equal((D("2026-02-24"), false), (before.Date, before.Provisional));
        Assert.Equal(["2026r1"], before.CalendarVersions);

        // As in 2020, the Spring Festival holiday is extended after the notice (here by two days, to 25 February).
        var shipped = WorkingDayCalendar.Shipped.For(2026)!;
        var amendment = new LoadCalendarYear(2026, [.. shipped.Holidays, D("2026-02-24"), D("2026-02-25")], shipped.MakeUpWorkingDays,
            "国务院办公厅关于延长2026年春节假期的通知（演练）", "春节假期延长至2月25日");
        var state = await (await admin.PostJson("/api/calendar/years", amendment)).ReadAs<CalendarYearState>();
        Assert.Equal((2, "2026r2", 1L), (state.Revision, state.Current.VersionId, state.Version));
        Assert.Equal(["2026r1"], state.History.Select(h => h.VersionId));
        Assert.Equal(shipped.Source, state.History[0].Source);

        var after = await (await admin.GetAsync(url)).ReadAs<Deadline>();
        Assert.Equal((D("2026-02-26"), false), (after.Date, after.Provisional));
        Assert.Equal(["2026r2"], after.CalendarVersions);

        var years = await (await admin.GetAsync("/api/calendar/years")).ReadAs<List<CalendarYear>>();
        Assert.Equal((2, amendment.Source), (years.Single(y => y.Year == 2026).Revision, years.Single(y => y.Year == 2026).Source));

        // Undoing it is one more revision, never an erasure: the case that recorded 2026r2 can still be explained.
        var undone = await (await admin.PostJson("/api/calendar/years", amendment with { Holidays = shipped.Holidays, Reason = "延长取消" })).ReadAs<CalendarYearState>();
        Assert.Equal((3, 2L), (undone.Revision, undone.Version));
        Assert.Equal(["2026r1", "2026r2"], undone.History.Select(h => h.VersionId));
        var undoneDeadline = await (await admin.GetAsync(url)).ReadAs<Deadline>();
        Assert.Equal((D("2026-02-24"), "2026r3"), (undoneDeadline.Date, undoneDeadline.CalendarVersions.Single()));
    }
}
