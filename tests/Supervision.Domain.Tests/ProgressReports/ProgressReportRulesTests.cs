using Supervision.Domain.ProgressReports;

namespace Supervision.Domain.Tests.ProgressReports;

public sealed class ProgressReportRulesTests
{
    private static readonly Actor Planner = new("planner-1", "规划员", Roles.Planner, Guid.Parse("00000000-0000-4000-8000-0000000000d1"));
    private static readonly ReportingDepartment Unit = new(Planner.DepartmentId!.Value, "鹿泉区商务局", "130110");
    private static DateOnly D(int month, int day) => new(2026, month, day);

    private static readonly ResolvedProgressReportSchedule Luquan = ProgressReportScheduleRules.Resolve("130110", 2026, [])!;

    private static readonly ProgressReportText Text = new("一季度完成抽查任务2项。", 6, 2, ["录入不及时"], ["开展回访"]);

    private static (string Json, string Sha) Content(ProgressReportText text, int number = 1) =>
        ProgressReportRules.Freeze(new ProgressReportContent(Unit.Id, Unit.Name, Unit.RegionCode, 2026, number, ProgressReportKind.QuarterlyProgress,
            "2026-Q1", D(3, 23), Luquan.Source, new ProgressReportFigures(1, 2, 2, 1, 2, 0, 0, 0, 0), text));

    private static Decision File(ProgressReportFiling? filing, DateOnly today, ProgressReportText? text = null, string? reason = null, int number = 1)
    {
        var (json, sha) = Content(text ?? Text, number);
        return ProgressReportRules.Decide(new FileProgressReport(Unit.Id, 2026, number, text ?? Text, reason), filing, Luquan, Unit, json, sha, today, Planner);
    }

    private static ProgressReportFiling? Fold(ProgressReportFiling? state, Decision decision) => decision.Events.Aggregate(state, ProgressReportRules.Evolve);

    [Fact]
    public void The_seeds_ship_their_due_dates_with_the_december_one_as_the_annual_summary()
    {
        Assert.Equal([D(3, 23), D(6, 22), D(9, 25), D(12, 21)], Luquan.DueDates.Select(d => d.DueOn));
        var xingtai = ProgressReportScheduleRules.Resolve("130529", 2022, [])!;
        Assert.Equal([new DateOnly(2022, 4, 6), new DateOnly(2022, 7, 2), new DateOnly(2022, 10, 8), new DateOnly(2022, 12, 23)], xingtai.DueDates.Select(d => d.DueOn));
        Assert.Equal(ProgressReportKind.AnnualSummary, xingtai.DueDates[^1].Kind);
        Assert.Null(ProgressReportScheduleRules.Resolve("130529", 2026, [])); // 邢台's 2022 dates bind 2022 only
        Assert.Null(ProgressReportScheduleRules.Resolve("130111", 2026, [])); // 鹿泉's bind 鹿泉, not its neighbour
    }

    [Fact]
    public void A_loaded_schedule_replaces_the_shipped_one_and_binds_the_regions_below()
    {
        var set = (ProgressReportScheduleSet)ProgressReportScheduleRules.Decide(new SetProgressReportSchedule(
            [new(D(4, 10), ProgressReportKind.QuarterlyProgress, "2026-Q1"), new(D(12, 25), ProgressReportKind.AnnualSummary)], "某市〔2026〕1号", "印发"), "130100", 2026,
            Planner).Events.Single();
        var schedule = ProgressReportScheduleRules.Evolve(null, set)!;
        var resolved = ProgressReportScheduleRules.Resolve("130110", 2026, [schedule with { RegionCode = "130110" }])!;
        Assert.Equal(("某市〔2026〕1号", false, 1), (resolved.Source, resolved.Shipped, resolved.Revision));
        Assert.Equal("130100", ProgressReportScheduleRules.Resolve("130104", 2026, [schedule])!.SetForRegion);
    }

    [Fact]
    public void A_schedule_names_every_bad_entry()
    {
        var decision = ProgressReportScheduleRules.Decide(new SetProgressReportSchedule(
            [new(D(6, 1), ProgressReportKind.QuarterlyProgress), new(D(5, 1), ProgressReportKind.QuarterlyProgress, "2026-Q3"), null], "源", "因"), "130110", 2026, Planner);
        Assert.Equal([("dueDates[1].dueOn", "progress.schedule.order"), ("dueDates[1].period", "progress.schedule.period-start"), ("dueDates[2]", "progress.schedule.required")],
            decision.Errors.Select(e => (e.Field, e.Rule)));
    }

    [Fact]
    public void A_first_filing_is_frozen_and_chained_and_a_correction_needs_a_reason_and_links_to_it()
    {
        var first = File(null, D(3, 20));
        var filed = Assert.IsType<ProgressReportFiled>(Assert.Single(first.Events));
        Assert.False(filed.Late);
        Assert.Equal(ProgressReportRules.Chain(null, filed.ContentSha256), filed.ChainSha256);
        var state = Fold(null, first)!;

        Assert.Equal("progress.correction.reason", Assert.Single(File(state, D(3, 21)).Errors).Rule);
        Assert.Empty(File(state, D(3, 21), reason: "核对").Events); // the same content: nothing to correct
        var correction = File(state, D(3, 22), Text with { PlanProgress = "完成3项。" }, "漏报");
        var corrected = Assert.IsType<ProgressReportCorrected>(Assert.Single(correction.Events));
        Assert.Equal((2, filed.ChainSha256, "漏报"), (corrected.Revision, corrected.PreviousChainSha256, corrected.Reason));
        state = Fold(state, correction)!;
        Assert.Null(ProgressReportRules.FirstBrokenRevision(state.Revisions));
        Assert.Equal(ProgressReportState.Corrected, ProgressReportRules.StateOf(state, Luquan.DueDates[0], D(3, 30)));
    }

    /// <summary>The attack: a revision's content changed after it was kept is found by recomputing the chain.</summary>
    [Fact]
    public void Altered_content_breaks_the_chain_at_its_revision()
    {
        var state = Fold(null, File(null, D(3, 20)))!;
        state = Fold(state, File(state, D(3, 21), Text with { NextSteps = ["二季度抽查"] }, "补充"))!;
        var tampered = state.Revisions.Select(r => r.Revision == 1 ? r with { Content = r.Content.Replace("录入不及时", "无问题") } : r).ToList();
        Assert.Equal(1, ProgressReportRules.FirstBrokenRevision(tampered));
    }

    [Fact]
    public void The_unit_is_reminded_once_before_the_due_day_flagged_late_once_after_it_and_left_alone_once_filed()
    {
        var due = Luquan.DueDates[0];
        Assert.Empty(ProgressReportRules.DecideReminder(null, Unit, 2026, due, D(3, 17)).Events);
        var reminder = ProgressReportRules.DecideReminder(null, Unit, 2026, due, D(3, 18));
        Assert.IsType<ProgressReportDueReminded>(Assert.Single(reminder.Events));
        var state = Fold(null, reminder);
        Assert.Empty(ProgressReportRules.DecideReminder(state, Unit, 2026, due, D(3, 23)).Events);
        var flag = ProgressReportRules.DecideReminder(state, Unit, 2026, due, D(3, 24));
        Assert.Equal(ProgressReportLateness.NotFiledByDueDay, Assert.IsType<ProgressReportFlaggedLate>(Assert.Single(flag.Events)).Because);
        state = Fold(state, flag);
        Assert.Empty(ProgressReportRules.DecideReminder(state, Unit, 2026, due, D(3, 25)).Events);
        Assert.Equal(ProgressReportState.Late, ProgressReportRules.StateOf(state, due, D(3, 25)));

        // Filed late after the flag: late, not flagged twice.
        var late = File(state, D(3, 26));
        Assert.IsType<ProgressReportFiled>(Assert.Single(late.Events));
        Assert.True(Fold(state, late)!.Late);
    }

    [Fact]
    public void A_report_filed_after_the_due_day_without_a_flag_is_flagged_by_its_filing()
    {
        var decision = File(null, D(3, 24));
        Assert.Equal([typeof(ProgressReportFiled), typeof(ProgressReportFlaggedLate)], decision.Events.Select(e => e.GetType()));
        Assert.Equal(ProgressReportLateness.FiledAfterDueDay, ((ProgressReportFlaggedLate)decision.Events[1]).Because);
    }

    [Fact]
    public void The_summary_opens_after_the_last_progress_report_and_the_text_is_checked_field_by_field()
    {
        Assert.Equal(D(9, 26), Luquan.OpensOn(Luquan.DueDates[3]));
        Assert.Equal("progress.not-open", Assert.Single(File(null, D(9, 25), number: 4).Errors).Rule);
        var errors = ProgressReportRules.Validate(new ProgressReportText(" ", null, 3, [""], null, ["a\u202Eb"]));
        Assert.Equal(["report.planProgress", "report.tasksPlanned", "report.problems[0]", "report.nextSteps", "report.practices[0]"], errors.Select(e => e.Field));
    }

    private static IReadOnlyList<string> Rules(ProgressReportText text) => ProgressReportRules.Validate(text).Select(e => e.Rule).ToList();

    [Fact]
    public void Every_field_of_a_report_is_checked_against_its_rule()
    {
        Assert.Equal(["progress.report.required"], ProgressReportRules.Validate(null).Select(e => e.Rule));
        Assert.Contains("progress.report.control-character", Rules(Text with { PlanProgress = "完成\u202E抽查" }));
        Assert.Contains("progress.report.length", Rules(Text with { PlanProgress = new string('字', ProgressReportRules.MaxText + 1) }));
        Assert.Contains("progress.report.entries", Rules(Text with { NextSteps = Enumerable.Repeat<string?>("回访", ProgressReportRules.MaxItems + 1).ToList() }));
        Assert.Contains("progress.report.tasks", Rules(Text with { TasksPlanned = -1 }));
        Assert.Contains("progress.report.tasks-completed", Rules(Text with { TasksPlanned = 2, TasksCompleted = 3 }));
    }

    [Fact]
    public void A_correction_reason_holds_no_hidden_character_and_stays_within_1000_characters()
    {
        var command = new FileProgressReport(Unit.Id, 2026, 1, Text, "更正\u202E数据");
        Assert.Contains("reason.control-character", ProgressReportRules.Check(command, null, Luquan, D(3, 20)).Select(e => e.Rule));
        Assert.Contains("reason.too-long", ProgressReportRules.Check(command with { Reason = new string('因', 1001) }, null, Luquan, D(3, 20)).Select(e => e.Rule));
    }

    [Fact]
    public void A_schedule_is_for_a_year_from_2015_to_2100_and_lists_at_least_one_due_date()
    {
        var schedule = new SetProgressReportSchedule([new(D(4, 10), ProgressReportKind.QuarterlyProgress, "2026-Q1")], "某市〔2026〕1号", "印发");
        Decider.Refused(ProgressReportScheduleRules.Decide(schedule, "130100", 1999, Planner), "progress.schedule.year");
        Decider.Refused(ProgressReportScheduleRules.Decide(schedule with { DueDates = [] }, "130100", 2026, Planner), "progress.schedule.count");
    }
}
