using Supervision.Domain.Calendar;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Domain.Tests.Disclosure;

/// <summary>Issue 16: the publication deadline (20 working days after the results are formed, 西华县 2022 (六)) and its reminder and overdue flag.</summary>
public sealed class PublicationDeadlineRulesTests
{
    private static readonly Guid Market = new("00000000-0000-4000-8000-0000000000d1");
    private static readonly Guid Commerce = new("00000000-0000-4000-8000-0000000000d2");
    private static readonly Guid FoodMatter = new("00000000-0000-4000-8000-0000000000a1");
    private static readonly Guid CardMatter = new("00000000-0000-4000-8000-0000000000a2");
    private static readonly TeamMember Li = new(Guid.NewGuid(), "XT-001", Market);
    private static readonly TeamMember Wang = new(Guid.NewGuid(), "XT-SW-002", Commerce);
    private static readonly Actor AsLi = new("XT-001", "李", Roles.Inspector, Market);
    private static readonly Actor AsWang = new("XT-SW-002", "王", Roles.Inspector, Commerce);
    private static readonly Actor MarketReviewer = new("reviewer-1", "审核", Roles.Reviewer, Market);
    private static readonly Actor CommerceReviewer = new("reviewer-2", "审核", Roles.Reviewer, Commerce);
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Shipped;
    private static readonly DateOnly FormedOn = new(2026, 4, 20);

    private static InspectionCase Apply(InspectionCase c, Decision d)
    {
        Assert.False(d.IsRejected, string.Join(", ", d.Errors.Select(e => e.Rule)));
        return d.Events.Aggregate(c, (s, e) => CaseRules.Evolve(s, e)!);
    }

    /// <summary>A joint case with both departments' results submitted, none approved.</summary>
    private static InspectionCase Submitted()
    {
        var id = InspectionCase.IdFor(Guid.NewGuid(), Guid.NewGuid());
        var c = new object[]
        {
            new CaseOpened(id, Guid.NewGuid(), Guid.NewGuid(), "2026001-01", Guid.NewGuid(),
                [new Participant(Market, [new MatterRef(FoodMatter, 1)]), new Participant(Commerce, [new MatterRef(CardMatter, 1)])], [Li, Wang], DeadlineTrigger.InspectionEnded, AsLi),
            new InspectionStarted(id, new DateOnly(2026, 4, 15), AsLi),
        }.Aggregate((InspectionCase?)null, CaseRules.Evolve)!;
        c = Apply(c, CaseRules.Decide(new EndInspection(new DateOnly(2026, 4, 16), [InspectionMethod.OnSite], 0), c, Calendar, FormedOn, AsLi));
        c = Apply(c, CaseRules.Decide(new EnterResult(FoodMatter, "no-problem", null, null, null, null, 0), c, ResultCatalogue.National, FormedOn, Calendar, AsLi));
        c = Apply(c, CaseRules.Decide(new EnterResult(CardMatter, "no-problem", null, null, null, null, 0), c, ResultCatalogue.National, FormedOn, Calendar, AsWang));
        c = Apply(c, CaseRules.Decide(new SubmitResults(Market, 0), c, AsLi));
        return Apply(c, CaseRules.Decide(new SubmitResults(Commerce, 0), c, AsWang));
    }

    private static Decision Review(InspectionCase c, Guid department, Actor by, bool approve = true, DateOnly? today = null) =>
        PublicationDeadlines.StartOnResultsFormed(c, CaseRules.Decide(new ReviewResults(department, approve, approve ? null : ["补充证据"], 0), c, by), Calendar, today ?? FormedOn);

    private static InspectionCase Formed()
    {
        var c = Submitted();
        c = Apply(c, Review(c, Market, MarketReviewer));
        return Apply(c, Review(c, Commerce, CommerceReviewer));
    }

    private static ResultPublication Published(InspectionCase c) =>
        new(ResultPublication.IdFor(c.Id), c.Id, Market,
            [new PublicResult(ResultPublication.IdFor(c.Id), 1, c.Id, "2026001", "2026001-01", "抽查", TaskType.Undirected, "市场监督管理局", new DateOnly(2026, 4, 16), "企业",
                null, [], [InspectionMethod.OnSite], null, FormedOn, null, null, [])], false, null, null);

    private static ResultPublication Withheld(InspectionCase c) =>
        PublicationRules.Evolve(null, new ResultWithheld(ResultPublication.IdFor(c.Id), c.Id, WithholdingGround.StateSecret, "《保守国家秘密法》", "涉密", AsLi))!;

    [Fact]
    public void The_clock_starts_only_when_the_last_department_approves_and_counts_20_working_days_on_the_State_Council_calendar()
    {
        var c = Submitted();
        var first = Review(c, Market, MarketReviewer);
        Assert.DoesNotContain(first.Events, e => e is PublicationDeadlineSet);
        c = Apply(c, first);

        var last = Review(c, Commerce, CommerceReviewer);
        var set = Assert.Single(last.Events.OfType<PublicationDeadlineSet>());
        // 20 April + 20 working days: 劳动节 1–5 May skipped, Saturday 9 May worked (调休): 20 May, not the weekday rule's 19 May.
        Assert.Equal((FormedOn, new DateOnly(2026, 5, 20), new DateOnly(2026, 5, 15), false), (set.Deadline.ResultsFormedOn, set.Deadline.Due, set.Deadline.RemindOn, set.Deadline.Provisional));
        Assert.Equal(["2026r1"], set.Deadline.CalendarVersions);
        Assert.Equal(new DateOnly(2026, 5, 20), Calendar.AddWorkingDays(FormedOn, Supervision.Domain.Dashboards.DashboardFigures.PublicationWorkingDays).Date); // the dashboards' count
        Assert.Equal(set.Deadline, Apply(c, last).PublicationDeadline);
    }

    [Fact]
    public void A_return_a_refused_review_or_a_second_approval_never_starts_or_restarts_the_clock()
    {
        var c = Submitted();
        Assert.DoesNotContain(Review(c, Market, MarketReviewer, approve: false).Events, e => e is PublicationDeadlineSet);
        var refused = Review(c, Market, AsLi with { Role = Roles.Reviewer });   // the attack: a team member approving their own results
        Assert.True(refused.IsRejected);
        Assert.Empty(refused.Events);

        var formed = Formed();
        // Approvals are final; a later decision on a formed case (nothing to review) cannot move the start.
        Assert.True(Review(formed, Market, MarketReviewer, today: FormedOn.AddDays(30)).IsRejected);
        Assert.DoesNotContain(PublicationDeadlines.StartOnResultsFormed(formed, Decision.Accept(new ResultsApproved(formed.Id, Market, MarketReviewer)), Calendar, FormedOn.AddDays(30))
            .Events, e => e is PublicationDeadlineSet);
    }

    [Fact]
    public void The_reminder_and_the_overdue_flag_act_only_when_due_only_once_and_never_once_the_result_is_public_or_withheld()
    {
        var c = Formed();
        Assert.Empty(PublicationDeadlines.DecideDue(c, null, new DateOnly(2026, 5, 14)).Events);
        Assert.True(PublicationDeadlines.RemindAgain(c, null, new DateOnly(2026, 5, 14)));
        Assert.IsType<PublicationDueRaised>(Assert.Single(PublicationDeadlines.DecideDue(c, null, new DateOnly(2026, 5, 15)).Events));
        Assert.Empty(PublicationDeadlines.DecideOverdue(c, null, new DateOnly(2026, 5, 20)).Events);
        Assert.True(PublicationDeadlines.CheckAgain(c, null, new DateOnly(2026, 5, 20)));
        var overdue = Assert.IsType<PublicationOverdueRaised>(Assert.Single(PublicationDeadlines.DecideOverdue(c, null, new DateOnly(2026, 5, 21)).Events));
        Assert.Equal((new DateOnly(2026, 5, 20), new DateOnly(2026, 5, 21)), (overdue.Due, overdue.On));

        var flagged = Apply(c, Decision.Accept(overdue));
        Assert.True(flagged.PublicationOverdue);
        Assert.Empty(PublicationDeadlines.DecideOverdue(flagged, null, new DateOnly(2026, 5, 22)).Events); // a second delivery does nothing
        Assert.False(PublicationDeadlines.CheckAgain(flagged, null, new DateOnly(2026, 5, 22)));

        foreach (var disclosed in new[] { Published(c), Withheld(c) })
        {
            Assert.Empty(PublicationDeadlines.DecideDue(c, disclosed, new DateOnly(2026, 5, 15)).Events);
            Assert.Empty(PublicationDeadlines.DecideOverdue(c, disclosed, new DateOnly(2026, 6, 1)).Events);
            Assert.False(PublicationDeadlines.RemindAgain(c, disclosed, new DateOnly(2026, 5, 1)));
            Assert.False(PublicationDeadlines.CheckAgain(c, disclosed, new DateOnly(2026, 5, 1)));
        }
        Assert.Empty(PublicationDeadlines.DecideOverdue(Apply(c, Decision.Accept(new CaseWithdrawn(c.Id, "注销", AsLi))), null, new DateOnly(2026, 6, 1)).Events);
        Assert.Empty(PublicationDeadlines.DecideOverdue(Submitted(), null, new DateOnly(2026, 12, 1)).Events); // no clock before results are formed
    }

    [Fact]
    public void A_provisional_publication_deadline_is_recomputed_once_its_year_is_loaded_and_a_definite_one_is_kept()
    {
        var provisional = PublicationDeadlines.DeadlineFrom(Calendar, new DateOnly(2026, 12, 21));
        Assert.Equal((new DateOnly(2027, 1, 19), true), (provisional.Due, provisional.Provisional));
        var c = Formed() with { PublicationDeadline = provisional };
        Assert.Empty(PublicationDeadlines.Recompute(c, Calendar).Events);

        var with2027 = new WorkingDayCalendar([.. StateCouncilNotices.All, new CalendarYear(2027,
            [new(2027, 1, 1), new(2027, 1, 2), new(2027, 1, 3), new(2027, 1, 4)], [], "测试数据", 1)]);
        var set = Assert.IsType<PublicationDeadlineSet>(Assert.Single(PublicationDeadlines.Recompute(c, with2027).Events));
        Assert.Equal((new DateOnly(2027, 1, 20), false), (set.Deadline.Due, set.Deadline.Provisional));
        Assert.Empty(PublicationDeadlines.Recompute(Formed(), with2027).Events);
    }
}
