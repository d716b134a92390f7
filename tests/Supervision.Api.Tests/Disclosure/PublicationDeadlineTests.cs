using Microsoft.Extensions.Time.Testing;
using Supervision.Api.Disclosure;
using Supervision.Api.Infrastructure;
using Supervision.Api.Inspections;
using Supervision.Api.Tests.Inspections;
using Supervision.Domain.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;

namespace Supervision.Api.Tests.Disclosure;

/// <summary>
/// Issue 16, "Publication deadlines act": results are public within 20 working days of being formed (西华县 2022 (六)). The clock starts when
/// every department's results are approved (as the dashboards count it), durable reminder and overdue messages are scheduled exactly as
/// for result entry, and an overdue case is flagged on its stream and listed by <c>GET /api/publications/overdue</c>.
/// </summary>
public sealed class PublicationDeadlineTests
{
    private static DateTimeOffset China(int year, int month, int day, int hour) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(8));

    private static async Task<InspectionCase> Approve(InspectionScenario scenario, SupervisionApp app, Guid caseId, string matterCode, DateOnly started, DateOnly ended)
    {
        var inspectionCase = await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>();
        var member = scenario.ClientOf(inspectionCase.Team[0].StaffCode);
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/start", new StartInspection(started, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/end", new EndInspection(ended, [InspectionMethod.OnSite], inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/results",
            new EnterResult(InspectionMatter.IdFor(matterCode), "no-problem", null, null, null, null, inspectionCase.Version))).ReadAs<InspectionCase>();
        inspectionCase = await (await member.PostJson($"/api/cases/{caseId}/submit", new SubmitResults(scenario.Department, inspectionCase.Version))).ReadAs<InspectionCase>();
        Assert.Null(inspectionCase.PublicationDeadline); // submitted is not formed: the clock starts at approval
        return await (await app.ClientFor("reviewer-" + scenario.Department.ToString("N")[..6], Roles.Reviewer, scenario.Department).PostJson($"/api/cases/{caseId}/review",
            new ReviewResults(scenario.Department, true, null, inspectionCase.Version))).ReadAs<InspectionCase>();
    }

    private static async Task<List<(string Type, DateTimeOffset At)>> PublicationEnvelopes(string schema, string status = "Scheduled")
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select message_type, execution_time - now() from {schema}.wolverine_incoming_envelopes where status = @status and (message_type like '%PublicationDue' or message_type like '%PublicationOverdue')",
            connection);
        command.Parameters.AddWithValue("status", status);
        var found = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            found.Add((reader.GetString(0).EndsWith("PublicationDue", StringComparison.Ordinal) ? "due" : "overdue", DateTimeOffset.UtcNow + reader.GetTimeSpan(1)));
        return found;
    }

    private static async Task<long> UnhandledPublicationEnvelopes(string schema)
    {
        await using var connection = new NpgsqlConnection(SupervisionApp.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*) from {schema}.wolverine_incoming_envelopes where status = 'Incoming' and (message_type like '%PublicationDue' or message_type like '%PublicationOverdue')",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>A business instant as the real-time instant the durable schedule holds it at (the application clock is a fake one).</summary>
    private static void AssertScheduledAt(DateTimeOffset expectedBusinessInstant, DateTimeOffset businessNow, DateTimeOffset actual)
    {
        var expected = DateTimeOffset.UtcNow + (expectedBusinessInstant - businessNow);
        Assert.InRange(actual, expected - TimeSpan.FromMinutes(5), expected + TimeSpan.FromSeconds(5));
    }

    /// <summary>Reads until done, woken by the schema's event log and inbox (a scheduled message handled writes one of them).</summary>
    private static Task<T> Until<T>(string schema, Func<Task<T>> read, Func<T, bool> done, int seconds = 60) =>
        SchemaChanges.UntilAsync(schema, SchemaChanges.EventsAndInbox, read, done, TimeSpan.FromSeconds(seconds), "the scheduled publication messages were handled");

    [Fact]
    public async Task The_publication_deadline_counts_working_days_survives_a_restart_flags_and_lists_only_the_unpublished_case_in_its_departments_scope()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N")[..12];
        var approvedAt = China(2026, 4, 20, 10);
        var clock = new FakeTimeProvider(approvedAt);
        Guid late, inTime;
        var department = Department.IdFor("XT-PUBDUE");

        var first = new ClockedApp(schema, clock, dropSchemaOnDispose: false);
        await first.InitializeAsync();
        try
        {
            var scenario = await new InspectionScenario(first, "XT-PUBDUE", "130529", year: 2026).Setup();
            foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"PDUE-{n}", new DateOnly(2024, 1, 1));
            await scenario.ImportTargets(20, 21000);
            var (plan, task) = await scenario.ApprovedPlan("XT-PUBDUE-SP");
            var draw = await scenario.Draw(plan, task);
            var cases = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened;
            late = cases[0];
            inTime = cases[1];

            // Formed on Monday 20 April 2026: 20 working days on the State Council calendar skip 劳动节 (1–5 May) and count Saturday 9 May
            // (调休), so the deadline is Wednesday 20 May (a weekday rule would give 19 May); the reminder is 3 working days earlier, 15 May.
            var approved = await Approve(scenario, first, late, "XT-PUBDUE-SP", new DateOnly(2026, 4, 16), new DateOnly(2026, 4, 17));
            var deadline = approved.PublicationDeadline!;
            Assert.Equal((new DateOnly(2026, 4, 20), new DateOnly(2026, 5, 20), new DateOnly(2026, 5, 15), false), (deadline.ResultsFormedOn, deadline.Due, deadline.RemindOn, deadline.Provisional));
            Assert.Equal(["2026r1"], deadline.CalendarVersions);

            // The reminder at 09:00 China time on 15 May, the overdue check at the start of 21 May: durable, in PostgreSQL.
            var scheduled = await PublicationEnvelopes(schema);
            Assert.Equal(["due", "overdue"], scheduled.Select(s => s.Type).Order());
            AssertScheduledAt(China(2026, 5, 15, 9), approvedAt, scheduled.Single(s => s.Type == "due").At);
            AssertScheduledAt(China(2026, 5, 21, 0), approvedAt, scheduled.Single(s => s.Type == "overdue").At);

            // The second case is formed and published the same day: in time.
            await Approve(scenario, first, inTime, "XT-PUBDUE-SP", new DateOnly(2026, 4, 16), new DateOnly(2026, 4, 17));
            await (await scenario.Approver.PostJson($"/api/cases/{inTime}/publication", new PublishResult(new DateOnly(2026, 4, 20), null, null))).ShouldHaveStatus(200);
            Assert.Equal(4, (await PublicationEnvelopes(schema)).Count);
        }
        finally
        {
            await first.DisposeAsync();
        }

        // Host B starts after the deadline (21 May 2026); time passing is simulated by making the stored schedule due now. All four
        // messages run: the unpublished case is reminded and flagged, the published one's messages arrive after its publication and do nothing.
        clock.SetUtcNow(China(2026, 5, 21, 9));
        await using var second = new ClockedApp(schema, clock, dropSchemaOnDispose: true);
        await second.InitializeAsync();
        await DeadlineRestartTests.MakeScheduledMessagesDue(schema);

        var planner = second.ClientFor("planner-XT-PUBDUE", Roles.Planner, department);
        var listed = await Until(schema, async () => (await (await planner.GetAsync("/api/publications/overdue")).ReadAs<PagedResult<OverduePublication>>()).Items,
            items => items.Any(i => i.CaseId == late));
        var entry = Assert.Single(listed);
        Assert.Equal((late, new DateOnly(2026, 4, 20), new DateOnly(2026, 5, 20), false, department),
            (entry.CaseId, entry.ResultsFormedOn, entry.Due, entry.DueProvisional, entry.DepartmentIds.Single()));

        var flagged = await Until(schema, async () => await (await planner.GetAsync($"/api/cases/{late}")).ReadAs<InspectionCase>(), c => c.PublicationOverdue && c.PublicationDueReminded);
        Assert.True(flagged.PublicationOverdue && flagged.PublicationDueReminded);
        Assert.Equal(0, await Until(schema, () => UnhandledPublicationEnvelopes(schema), n => n == 0));
        var published = await (await planner.GetAsync($"/api/cases/{inTime}")).ReadAs<InspectionCase>();
        Assert.False(published.PublicationOverdue || published.PublicationDueReminded, "a message delivered after the publication does nothing");
        Assert.Empty(await PublicationEnvelopes(schema)); // and schedules nothing again

        // 纪检 see the flag in the case history (kind "disclosure"), with the due day and the day it was found.
        var jijian = second.ClientFor("jijian-pubdue", Roles.DisciplineInspector, department);
        var history = await (await jijian.GetAsync($"/api/history?id={late}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>();
        var overdue = Assert.Single(history, h => h.Type == "publication_overdue_raised");
        Assert.Equal(("disclosure", "2026-05-20", "2026-05-21"), (overdue.Kind, overdue.Data.GetProperty("Due").GetString(), overdue.Data.GetProperty("On").GetString()));
        Assert.Contains(history, h => h.Type == "publication_deadline_set");
        Assert.DoesNotContain(await (await jijian.GetAsync($"/api/history?id={inTime}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>(), h => h.Type == "publication_overdue_raised");
        Assert.Contains((await (await jijian.GetAsync("/api/publications/overdue")).ReadAs<PagedResult<OverduePublication>>()).Items, i => i.CaseId == late);

        // The attack: another department of the same county, even naming this department, and a token without a department see none of it.
        var admin = second.ClientFor("admin-pubdue", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("XT-PUBDUE-OTHER", "其他局", DepartmentKind.Other, "130529", null))).StatusCode is 201 or 409);
        foreach (var outsider in new[]
                 {
                     second.ClientFor("planner-other", Roles.Planner, Department.IdFor("XT-PUBDUE-OTHER")),
                     second.ClientFor("approver-other", Roles.Approver, Department.IdFor("XT-PUBDUE-OTHER")),
                     second.ClientFor("planner-nobody", Roles.Planner),
                 })
        {
            foreach (var query in new[] { "/api/publications/overdue", $"/api/publications/overdue?departmentId={department}" })
            {
                var page = await (await outsider.GetAsync(query)).ReadAs<PagedResult<OverduePublication>>();
                Assert.Empty(page.Items);
                Assert.Equal(0, page.Total);
            }
        }
        await (await second.Anonymous().GetAsync("/api/publications/overdue")).ShouldHaveStatus(401);

        // Published late: the case leaves the list; the flag stays in its history.
        var approver = second.ClientFor("approver-XT-PUBDUE", Roles.Approver, department);
        await (await approver.PostJson($"/api/cases/{late}/publication", new PublishResult(new DateOnly(2026, 5, 21), null, null))).ShouldHaveStatus(200);
        Assert.Empty((await (await planner.GetAsync("/api/publications/overdue")).ReadAs<PagedResult<OverduePublication>>()).Items);
        Assert.Contains(await (await jijian.GetAsync($"/api/history?id={late}")).ReadAs<List<Supervision.Api.Integrity.HistoryEntry>>(), h => h.Type == "publication_overdue_raised");
    }

    /// <summary>
    /// A publication deadline counted into a year whose notice is not loaded is provisional and counted again when the year is loaded, exactly as
    /// the result-entry deadline (ProvisionalDeadlineTests): the moved deadline gets new messages, and the old ones, arriving early, flag nothing.
    /// </summary>
    [Fact]
    public async Task A_provisional_publication_deadline_moved_by_a_calendar_change_is_honoured()
    {
        var clock = new FakeTimeProvider(China(2026, 12, 21, 10));
        await using var app = new ClockedApp("t_" + Guid.NewGuid().ToString("N")[..12], clock, dropSchemaOnDispose: true);
        await app.InitializeAsync();
        var scenario = await new InspectionScenario(app, "XT-PUBPROV", "130530", year: 2026).Setup();
        foreach (var n in Enumerable.Range(1, 2)) await scenario.Inspector($"PPV-{n}", new DateOnly(2024, 1, 1));
        await scenario.ImportTargets(10, 22000);
        var (plan, task) = await scenario.ApprovedPlan("XT-PUBPROV-SP");
        var draw = await scenario.Draw(plan, task);
        var caseId = (await (await scenario.Planner.PostJson($"/api/draws/{draw.Id}/cases", new { })).ReadAs<OpenedCases>()).Opened[0];

        // Formed on Monday 21 December 2026: 2027 is not loaded, so the count skips 元旦 (a fixed-date holiday) and weekends only: 19 January 2027.
        var approved = await Approve(scenario, app, caseId, "XT-PUBPROV-SP", new DateOnly(2026, 12, 14), new DateOnly(2026, 12, 18));
        Assert.Equal((new DateOnly(2027, 1, 19), true), (approved.PublicationDeadline!.Due, approved.PublicationDeadline.Provisional));
        Assert.Contains("元旦", approved.PublicationDeadline.ProvisionalReason);

        // The 2027 notice (test data) also gives 4 January off: the deadline moves to 20 January and is definite.
        DateOnly D(string s) => DateOnly.Parse(s);
        IEnumerable<DateOnly> Days(string from, string to) { for (var d = D(from); d <= D(to); d = d.AddDays(1)) yield return d; }
        await (await app.ClientFor("admin-pubprov", Roles.SystemAdmin).PostJson("/api/calendar/years", new LoadCalendarYear(2027,
            [.. Days("2027-01-01", "2027-01-04"), .. Days("2027-02-05", "2027-02-13")], [D("2027-02-14")],
            "国务院办公厅关于2027年部分节假日安排的通知（测试数据）", "2027年节假日安排通知发布"))).ShouldHaveStatus(200);
        var moved = await Until(app.Schema, async () => await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>(), c => !c.PublicationDeadline!.Provisional, 30);
        Assert.Equal((new DateOnly(2027, 1, 20), false, "2027r1"), (moved.PublicationDeadline!.Due, moved.PublicationDeadline.Provisional, moved.PublicationDeadline.CalendarVersions[^1]));
        var scheduled = await Until(app.Schema, () => PublicationEnvelopes(app.Schema), s => s.Count == 4, 30);
        AssertScheduledAt(China(2027, 1, 21, 0), clock.GetUtcNow(), scheduled.Where(s => s.Type == "overdue").Max(s => s.At));

        // On 20 January, the old deadline (19 January) has passed but the moved one has not: every message runs, none flags the case overdue;
        // the reminder (due from 15 January) is raised and the overdue check waits again for its day.
        clock.SetUtcNow(China(2027, 1, 20, 9));
        await DeadlineRestartTests.MakeScheduledMessagesDue(app.Schema);
        var reminded = await Until(app.Schema, async () => await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>(), c => c.PublicationDueReminded);
        Assert.True(reminded.PublicationDueReminded);
        Assert.Equal(0, await Until(app.Schema, () => UnhandledPublicationEnvelopes(app.Schema), n => n == 0));
        Assert.False((await (await scenario.Planner.GetAsync($"/api/cases/{caseId}")).ReadAs<InspectionCase>()).PublicationOverdue);
        Assert.Contains(await PublicationEnvelopes(app.Schema), s => s.Type == "overdue");

        // On 21 January it is overdue against the moved deadline.
        clock.SetUtcNow(China(2027, 1, 21, 9));
        await DeadlineRestartTests.MakeScheduledMessagesDue(app.Schema);
        var listed = await Until(app.Schema, async () => (await (await scenario.Planner.GetAsync("/api/publications/overdue")).ReadAs<PagedResult<OverduePublication>>()).Items,
            items => items.Any(i => i.CaseId == caseId));
        Assert.Equal(new DateOnly(2027, 1, 20), Assert.Single(listed).Due);
    }
}
