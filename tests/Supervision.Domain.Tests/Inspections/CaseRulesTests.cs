using Supervision.Domain.Calendar;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Inspections;

public sealed class CaseRulesTests
{
    private static readonly Guid Market = new("00000000-0000-4000-8000-0000000000d1");
    private static readonly Guid Commerce = new("00000000-0000-4000-8000-0000000000d2");
    private static readonly Guid FoodMatter = new("00000000-0000-4000-8000-0000000000a1");
    private static readonly Guid CardMatter = new("00000000-0000-4000-8000-0000000000a2");
    private static readonly TeamMember Li = new(Guid.NewGuid(), "XT-001", Market);
    private static readonly TeamMember Wang = new(Guid.NewGuid(), "XT-SW-002", Commerce);
    private static readonly Actor AsLi = new("XT-001", "李", Roles.Inspector, Market);
    private static readonly Actor AsWang = new("XT-SW-002", "王", Roles.Inspector, Commerce);
    private static readonly Actor Reviewer = new("reviewer-1", "审核", Roles.Reviewer, Market);
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Shipped;
    private static readonly DateOnly Today = new(2026, 3, 12);

    /// <summary>A joint case ("一企一表"): the market department brings the food matter, commerce the prepaid-card matter.</summary>
    private static InspectionCase Ended(DeadlineTrigger trigger = DeadlineTrigger.InspectionEnded)
    {
        var id = InspectionCase.IdFor(Guid.NewGuid(), Guid.NewGuid());
        var events = new List<object>
        {
            new CaseOpened(id, Guid.NewGuid(), Guid.NewGuid(), "2026001-01", Guid.NewGuid(),
                [new Participant(Market, [new MatterRef(FoodMatter, 1)]), new Participant(Commerce, [new MatterRef(CardMatter, 1)])], [Li, Wang], trigger, AsLi),
            new InspectionStarted(id, new DateOnly(2026, 3, 9), AsLi),
        };
        var state = events.Aggregate((InspectionCase?)null, CaseRules.Evolve)!;
        var end = CaseRules.Decide(new EndInspection(new DateOnly(2026, 3, 10), [InspectionMethod.OnSite], 2), state, Calendar, Today, AsLi);
        return end.Events.Aggregate(state, (s, e) => CaseRules.Evolve(s, e)!);
    }

    private static InspectionCase Apply(InspectionCase c, Decision d)
    {
        Assert.False(d.IsRejected, string.Join(", ", d.Errors.Select(e => e.Rule)));
        return d.Events.Aggregate(c, (s, e) => CaseRules.Evolve(s, e)!);
    }

    private static EnterResult Result(Guid matter, string code = "no-problem", string? sub = null, string? found = null) => new(matter, code, sub, found, null, null, 0);

    [Fact]
    public void Ending_the_inspection_sets_the_20_working_day_deadline_with_its_calendar_version_and_a_reminder()
    {
        var deadline = Ended().Deadline!;
        Assert.Equal((new DateOnly(2026, 4, 8), new DateOnly(2026, 4, 2), false), (deadline.Due, deadline.RemindOn, deadline.Provisional));
        Assert.Equal(["2026r1"], deadline.CalendarVersions);
    }

    [Fact]
    public void An_end_date_in_the_future_is_refused_so_the_deadline_cannot_be_pushed_out()
    {
        var id = InspectionCase.IdFor(Guid.NewGuid(), Guid.NewGuid());
        var started = new object[]
        {
            new CaseOpened(id, Guid.NewGuid(), Guid.NewGuid(), "2026001-01", Guid.NewGuid(), [new Participant(Market, [new MatterRef(FoodMatter, 1)])], [Li], DeadlineTrigger.InspectionEnded, AsLi),
            new InspectionStarted(id, new DateOnly(2026, 3, 9), AsLi),
        }.Aggregate((InspectionCase?)null, CaseRules.Evolve)!;
        var refused = CaseRules.Decide(new EndInspection(new DateOnly(2030, 12, 31), [InspectionMethod.OnSite], 2), started, Calendar, Today, AsLi);
        Assert.Equal("date.future", Assert.Single(refused.Errors).Rule);
    }

    [Fact]
    public void Someone_who_entered_results_cannot_review_them_even_after_leaving_the_team()
    {
        var c = Apply(Ended(), CaseRules.Decide(Result(FoodMatter), Ended(), ResultCatalogue.National, Today, Calendar, AsLi));
        c = Apply(c, CaseRules.Decide(new SubmitResults(Market, 0), c, AsLi));
        c = c with { Team = [Wang] };
        Assert.Equal("review.self", Assert.Single(CaseRules.Decide(new ReviewResults(Market, true, null, 0), c, AsLi with { Role = Roles.Reviewer }).Errors).Rule);
    }

    [Fact]
    public void With_the_result_produced_trigger_the_clock_starts_at_the_first_result()
    {
        var c = Ended(DeadlineTrigger.ResultProduced);
        Assert.Null(c.Deadline);
        c = Apply(c, CaseRules.Decide(Result(FoodMatter), c, ResultCatalogue.National, Today, Calendar, AsLi));
        Assert.Equal((DeadlineTrigger.ResultProduced, Today), (c.Deadline!.Trigger, c.Deadline.TriggerDate));
    }

    [Fact]
    public void Each_department_enters_only_its_own_matters_one_record_per_department()
    {
        var c = Ended();
        Assert.Equal("result.matter.not-yours", Assert.Single(CaseRules.Decide(Result(CardMatter), c, ResultCatalogue.National, Today, Calendar, AsLi).Errors).Rule);
        c = Apply(c, CaseRules.Decide(Result(FoodMatter), c, ResultCatalogue.National, Today, Calendar, AsLi));
        c = Apply(c, CaseRules.Decide(Result(CardMatter, "problem-rectified"), c, ResultCatalogue.National, Today, Calendar, AsWang));
        Assert.Equal([1, 1], c.Departments.Select(d => d.Results.Count));
        Assert.Equal("case.not-on-team", Assert.Single(CaseRules.Decide(Result(FoodMatter), c, ResultCatalogue.National, Today, Calendar,
            new Actor("XT-999", "外人", Roles.Inspector, Market)).Errors).Rule);
    }

    [Theory]
    [InlineData("nothing-wrong", null, null, "result.code.unknown")]
    [InlineData("problem-pending", null, "住所无人", "result.subkind.unknown")]
    [InlineData("problem-pending", "unreachable", null, "result.found.required")]
    [InlineData("no-problem", "unreachable", null, "result.subkind.unexpected")]
    public void Results_follow_the_catalogue(string code, string? sub, string? found, string rule) =>
        Assert.Contains(rule, CaseRules.Decide(Result(FoodMatter, code, sub, found), Ended(), ResultCatalogue.National, Today, Calendar, AsLi).Errors.Select(e => e.Rule));

    [Fact]
    public void Submitted_results_are_locked_reviewed_by_someone_off_the_team_and_corrected_only_with_a_reason()
    {
        var c = Apply(Ended(), CaseRules.Decide(Result(FoodMatter), Ended(), ResultCatalogue.National, Today, Calendar, AsLi));
        Assert.Equal("results.incomplete", Assert.Single(CaseRules.Decide(new SubmitResults(Commerce, 0), c, AsWang).Errors).Rule);
        c = Apply(c, CaseRules.Decide(new SubmitResults(Market, 0), c, AsLi));
        Assert.Equal("result.locked", Assert.Single(CaseRules.Decide(Result(FoodMatter, "closed"), c, ResultCatalogue.National, Today, Calendar, AsLi).Errors).Rule);
        Assert.Equal("review.self", Assert.Single(CaseRules.Decide(new ReviewResults(Market, true, null, 0), c, AsLi with { Role = Roles.Reviewer }).Errors).Rule);
        Assert.Equal("review.department", Assert.Single(CaseRules.Decide(new ReviewResults(Commerce, true, null, 0), c, Reviewer).Errors).Rule);
        c = Apply(c, CaseRules.Decide(new ReviewResults(Market, true, null, 0), c, Reviewer));

        var corrected = Apply(c, CaseRules.Decide(new CorrectResult(FoodMatter, "problem-rectified", null, "x", null, null, "复核更正", 0), c, ResultCatalogue.National, Today, AsLi));
        var result = Assert.Single(corrected.Departments[0].Results);
        Assert.Equal((2, "复核更正", "no-problem"), (result.Revision, result.CorrectionReason, Assert.Single(result.History).Code));
    }

    [Fact]
    public void The_reminder_and_the_deadline_act_only_when_due_and_only_while_results_are_missing()
    {
        var c = Ended();
        Assert.Empty(CaseRules.DecideDue(c, new DateOnly(2026, 4, 1)).Events);
        Assert.IsType<ResultEntryDueRaised>(Assert.Single(CaseRules.DecideDue(c, new DateOnly(2026, 4, 2)).Events));
        Assert.Empty(CaseRules.DecideOverdue(c, new DateOnly(2026, 4, 8)).Events);
        var overdue = Assert.IsType<ResultEntryOverdueRaised>(Assert.Single(CaseRules.DecideOverdue(c, new DateOnly(2026, 4, 9)).Events));
        Assert.Equal(new DateOnly(2026, 4, 8), overdue.Due);

        var submitted = Apply(c, CaseRules.Decide(Result(FoodMatter), c, ResultCatalogue.National, Today, Calendar, AsLi));
        submitted = Apply(submitted, CaseRules.Decide(Result(CardMatter), submitted, ResultCatalogue.National, Today, Calendar, AsWang));
        submitted = Apply(submitted, CaseRules.Decide(new SubmitResults(Market, 0), submitted, AsLi));
        submitted = Apply(submitted, CaseRules.Decide(new SubmitResults(Commerce, 0), submitted, AsWang));
        Assert.Empty(CaseRules.DecideOverdue(submitted, new DateOnly(2026, 5, 1)).Events);
    }

    [Fact]
    public void A_reminder_or_deadline_that_ran_early_waits_again_and_one_that_ran_on_time_does_not()
    {
        var c = Ended();
        Assert.True(CaseRules.RemindAgain(c, new DateOnly(2026, 4, 1)));
        Assert.False(CaseRules.RemindAgain(c, new DateOnly(2026, 4, 2)));
        Assert.True(CaseRules.CheckAgain(c, new DateOnly(2026, 4, 8)));
        Assert.False(CaseRules.CheckAgain(c, new DateOnly(2026, 4, 9)));

        var reminded = Apply(c, CaseRules.DecideDue(c, new DateOnly(2026, 4, 2)));
        Assert.False(CaseRules.RemindAgain(reminded, new DateOnly(2026, 4, 1)));
        var overdue = Apply(c, CaseRules.DecideOverdue(c, new DateOnly(2026, 4, 9)));
        Assert.False(CaseRules.CheckAgain(overdue, new DateOnly(2026, 4, 8)));
        Assert.False(CaseRules.CheckAgain(c with { Deadline = null }, new DateOnly(2026, 4, 8)));
    }

    [Fact]
    public void A_provisional_deadline_is_recomputed_once_its_year_is_loaded()
    {
        var c = Ended() with { Deadline = CaseRules.DeadlineFrom(Calendar, DeadlineTrigger.InspectionEnded, new DateOnly(2026, 12, 20)) };
        Assert.True(c.Deadline!.Provisional);
        Assert.Empty(DeadlineRules.Recompute(c, Calendar).Events);
        var with2027 = new WorkingDayCalendar(Calendar.Years.Append(new CalendarYear(2027, [new DateOnly(2027, 1, 1)], [], "test", 1)));
        var set = Assert.IsType<ResultDeadlineSet>(Assert.Single(DeadlineRules.Recompute(c, with2027).Events));
        Assert.False(set.Deadline.Provisional);
        Assert.Contains("2027r1", set.Deadline.CalendarVersions);
    }

    [Fact]
    public void A_result_needs_the_most_specific_detail_of_the_version_in_force()
    {
        var c = Ended();
        var heading = CaseRules.Decide(new EnterResult(FoodMatter, "problem-pending", "business-regulation", "未公示", null, null, 0), c,
            ResultCatalogue.National, Today, Calendar, AsLi);
        Assert.Equal(("subKind", "result.subkind.unknown"), heading.Errors.Select(e => (e.Field, e.Rule)).Single());

        var province = new ResultCatalogue("330000-1", "330000", "浙江", [new("no-problem", "未发现问题"), new("problem-pending", "发现问题待后续处理", null, true, true),
            new("e-commerce", "违反电子商务相关规定", "problem-pending")]);
        var removed = CaseRules.Decide(new EnterResult(FoodMatter, "problem-pending", "food-drug-regulation", "过期食品", null, null, 0), c,
            province, Today, Calendar, AsLi);
        Assert.Equal(("subKind", "result.subkind.unknown"), removed.Errors.Select(e => (e.Field, e.Rule)).Single());
        Assert.Contains("330000-1", removed.Errors[0].Message);
        var statusGone = CaseRules.Decide(new EnterResult(FoodMatter, "status-revoked", null, null, null, null, 0), c,
            province, Today, Calendar, AsLi);
        Assert.Equal(("code", "result.code.unknown"), statusGone.Errors.Select(e => (e.Field, e.Rule)).Single());

        var entered = CaseRules.Decide(new EnterResult(FoodMatter, "problem-pending", "e-commerce", "未公示网店经营者信息", null, null, 0), c,
            province, Today, Calendar, AsLi);
        Assert.Equal("330000-1", Assert.IsType<ResultEntered>(entered.Events[0]).Result.CatalogueVersion);
    }

    // ---- 回避 after results (issue 16) ----

    [Fact]
    public void A_recusal_before_any_result_needs_no_decision_on_results()
    {
        Assert.Null(RecusalAfterResults.Check(Ended(), null));
        Assert.Null(RecusalAfterResults.Check(null, null));
        var change = RecusalAfterResults.TeamChange(Ended(), Li.InspectorId, null, "近亲属", null, Reviewer);
        Assert.Null(change.ResultsToRecheck);
    }

    [Fact]
    public void A_recusal_after_results_is_refused_without_the_approvers_decision_on_them()
    {
        var c = Apply(Ended(), CaseRules.Decide(Result(CardMatter), Ended(), ResultCatalogue.National, Today, Calendar, AsWang));
        Assert.Equal(("recusal.after-results", ErrorKind.Conflict), (RecusalAfterResults.Check(c, null)!.Rule, RecusalAfterResults.Check(c, null)!.Kind));
        Assert.Equal("recusal.after-results", RecusalAfterResults.Check(c, " \t")!.Rule);
        Assert.Equal("resultsDisposition.format", RecusalAfterResults.Check(c, "复核\u202E")!.Rule);
        Assert.Null(RecusalAfterResults.Check(c, "由其余人员复核"));
    }

    [Fact]
    public void The_recused_inspectors_results_are_flagged_and_block_submission_until_a_remaining_member_enters_them_again()
    {
        var c = Apply(Ended(), CaseRules.Decide(Result(FoodMatter), Ended(), ResultCatalogue.National, Today, Calendar, AsLi));
        c = Apply(c, CaseRules.Decide(Result(CardMatter), c, ResultCatalogue.National, Today, Calendar, AsWang));
        var zhao = new TeamMember(Guid.NewGuid(), "XT-003", Market);
        var change = RecusalAfterResults.TeamChange(c, Li.InspectorId, zhao, "近亲属", "由新选派人员复核后重新录入", Reviewer);
        Assert.Equal([new ResultToRecheck(Market, FoodMatter, "XT-001")], change.ResultsToRecheck!); // Wang's result stands
        c = CaseRules.Evolve(c, change)!;
        Assert.Equal([new ResultToRecheck(Market, FoodMatter, "XT-001")], c.ResultsToRecheck);

        var asZhao = new Actor("XT-003", "赵", Roles.Inspector, Market);
        Assert.Equal("results.recheck-pending", Assert.Single(CaseRules.Decide(new SubmitResults(Market, 0), c, asZhao).Errors).Rule);
        Assert.False(CaseRules.Decide(new SubmitResults(Commerce, 0), c, AsWang).IsRejected); // the other department is not held up

        c = Apply(c, CaseRules.Decide(Result(FoodMatter, "problem-rectified", null, "复核发现问题已改正"), c, ResultCatalogue.National, Today, Calendar, asZhao));
        Assert.Empty(c.ResultsToRecheck);
        Assert.False(CaseRules.Decide(new SubmitResults(Market, 0), c, asZhao).IsRejected);
    }

    [Fact]
    public void An_ended_inspection_names_its_methods_and_an_ended_case_is_not_started_again()
    {
        var ended = Ended();
        Decider.Refused(CaseRules.Decide(new EndInspection(new DateOnly(2026, 3, 10), [], ended.Version), ended, Calendar, Today, AsLi), "methods.required");
        var error = Decider.Refused(CaseRules.Decide(new StartInspection(new DateOnly(2026, 3, 11), ended.Version), ended, Today, AsLi), "case.status");
        Assert.Equal(ErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public void Only_submitted_results_are_reviewed_a_return_carries_a_reason_and_only_approved_results_are_corrected()
    {
        var entered = Apply(Ended(), CaseRules.Decide(Result(FoodMatter), Ended(), ResultCatalogue.National, Today, Calendar, AsLi));
        Decider.Refused(CaseRules.Decide(new ReviewResults(Market, true, null, entered.Version), entered, Reviewer), "review.not-submitted");
        Decider.Refused(CaseRules.Decide(new CorrectResult(FoodMatter, "no-problem", null, null, null, null, "录入错误", entered.Version), entered, ResultCatalogue.National, Today, AsLi),
            "correction.not-approved");

        var submitted = Apply(entered, CaseRules.Decide(new SubmitResults(Market, entered.Version), entered, AsLi));
        Decider.Refused(CaseRules.Decide(new ReviewResults(Market, false, [" "], submitted.Version), submitted, Reviewer), "reasons.required");
    }

    [Fact]
    public void Check_form_answers_name_items_of_the_pinned_version_and_a_yes_no_item_is_answered_yes_or_no()
    {
        var form = new CheckFormTemplate(Guid.NewGuid(), "XT-FOOD-BASE", "食品经营者基础检查表", CheckFormKind.Base, FoodMatter, Market,
            [new CheckFormVersion(1, [new CheckFormItem("LICENCE", "是否持有有效的食品经营许可证", AnswerType.YesNo, [], null, true, null)])], false, null);
        var ended = Ended();
        var rules = Decider.For<InspectionCase>(CaseRules.Evolve).GivenState(ended, ended.Version)
            .When(c => CaseRules.Decide(new AnswerCheckForm(Market, form.Id, 1, [new FormAnswer("licence", "有"), new FormAnswer("storage", "符合")], ended.Version), c!, form, AsLi))
            .Decision.Errors.Select(e => e.Rule).ToList();
        Assert.Equal(["form.answer.yes-no", "form.item.unknown"], rules);
    }
}
