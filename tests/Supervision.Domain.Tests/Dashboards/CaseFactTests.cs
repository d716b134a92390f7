using Supervision.Domain.Dashboards;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;
using static Supervision.Domain.Tests.Dashboards.DashboardWorld;

namespace Supervision.Domain.Tests.Dashboards;

/// <summary>Edge cases of the case fold: joint submissions and approvals, returns, corrections, overdue flags, publications.</summary>
public sealed class CaseFactTests
{
    private static readonly Guid Case = InspectionCase.IdFor(G(0x7001), G(0x7002));
    private static readonly Actor MarketInspector = By(Market, Roles.Inspector);
    private static readonly Actor TaxInspector = By(Tax, Roles.Inspector);
    private static readonly Actor Reviewer = By(Market, Roles.Reviewer);

    /// <summary>A joint case (Market m1+m2, Tax t1) opened 3-02 and ended 3-10 (entry due 4-08).</summary>
    private static CaseFact Joint() => Apply(null,
        (At(3, 2), new CaseOpened(Case, G(0x7001), P1, "2026001-01", G(0x7002), [MarketFood, TaxRegistration], [], DeadlineTrigger.InspectionEnded, MarketInspector)),
        (At(3, 10, 17), new InspectionEnded(Case, D(3, 10), [InspectionMethod.OnSite], MarketInspector)),
        (At(3, 10, 17), new ResultDeadlineSet(Case, Due(D(3, 10), D(4, 8)))),
        (At(3, 11), new ResultEntered(Case, Market, Result(M1, "no-problem", D(3, 11)), MarketInspector)),
        (At(3, 11), new ResultEntered(Case, Market, Result(M2, "no-problem", D(3, 11)), MarketInspector)),
        (At(3, 11), new ResultEntered(Case, Tax, Result(T1, "no-problem", D(3, 11)), TaxInspector)))!;

    private static CaseFact? Apply(CaseFact? c, params (DateTimeOffset At, object Event)[] events) =>
        events.Aggregate(c, (s, x) => CaseFact.Evolve(s, x.Event, x.At));

    [Fact]
    public void Opening_records_the_departments_and_matters_and_the_day_in_china()
    {
        var c = Joint();
        Assert.Equal((Case, P1, "2026001-01", D(3, 2), (DateOnly?)D(3, 10), (DateOnly?)D(4, 8)), (c.Id, c.PlanId, c.TaskNumber, c.OpenedOn, c.EndedOn, c.EntryDue));
        Assert.Equal([Market, Tax], c.DepartmentIds);
        Assert.True(c.Joint);
        Assert.Equal([M1, M2], c.Participants[0].MatterIds);
        Assert.Equal([T1], c.Participants[1].MatterIds);
        Assert.False(c.ProblemFoundIn(ResultCatalogues.ShippedOnly));

        // Events before the case was opened fold to nothing.
        Assert.Null(CaseFact.Evolve(null, new InspectionEnded(Case, D(3, 10), [], MarketInspector), At(3, 10)));
    }

    [Fact]
    public void Business_dates_are_chinas_whatever_offset_the_instant_was_stored_with()
    {
        // 2026-03-16 17:30 UTC is 2026-03-17 01:30 in China.
        var late = new DateTimeOffset(2026, 3, 16, 17, 30, 0, TimeSpan.Zero);
        Assert.Equal(D(3, 17), ChinaTime.DateOf(late));
        Assert.Equal(D(3, 16), ChinaTime.DateOf(new DateTimeOffset(2026, 3, 16, 15, 59, 0, TimeSpan.Zero)));
        var c = Apply(Joint(), (late, new ResultsSubmitted(Case, Market, MarketInspector)), (late, new ResultsSubmitted(Case, Tax, TaxInspector)))!;
        Assert.Equal(D(3, 17), c.SubmittedOn);
    }

    [Fact]
    public void Submission_is_dated_when_every_participating_department_has_submitted()
    {
        var c = Apply(Joint(), (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)))!;
        Assert.Equal([Market], c.Submitted);
        Assert.Null(c.SubmittedOn);                      // Tax has not submitted yet

        c = Apply(c, (At(3, 13), new ResultsSubmitted(Case, Market, MarketInspector)))!; // a repeat does not count twice
        Assert.Equal([Market], c.Submitted);
        Assert.Null(c.SubmittedOn);

        c = Apply(c, (At(3, 16), new ResultsSubmitted(Case, Tax, TaxInspector)))!;
        Assert.Equal([Market, Tax], c.Submitted);
        Assert.Equal(D(3, 16), c.SubmittedOn);           // the day the last department submitted
    }

    [Fact]
    public void Results_are_formed_when_every_department_has_been_approved()
    {
        var c = Apply(Joint(),
            (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)),
            (At(3, 12), new ResultsSubmitted(Case, Tax, TaxInspector)),
            (At(3, 13), new ResultsApproved(Case, Market, Reviewer)))!;
        Assert.Equal([Market], c.Approved);
        Assert.Null(c.ResultsFormedOn);

        c = Apply(c, (At(3, 17), new ResultsApproved(Case, Tax, By(Tax, Roles.Reviewer))))!;
        Assert.Equal(D(3, 17), c.ResultsFormedOn);

        // A later approval (after a correction round) does not move the day the result came into being.
        c = Apply(c, (At(3, 20), new ResultsApproved(Case, Tax, By(Tax, Roles.Reviewer))))!;
        Assert.Equal(D(3, 17), c.ResultsFormedOn);
    }

    [Fact]
    public void A_return_takes_the_departments_submission_and_approval_back()
    {
        var c = Apply(Joint(),
            (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)),
            (At(3, 13), new ResultsApproved(Case, Market, Reviewer)),
            (At(3, 13), new ResultsSubmitted(Case, Tax, TaxInspector)),
            (At(3, 16), new ResultsReturned(Case, Tax, ["记录不全"], By(Tax, Roles.Reviewer))))!;
        Assert.Equal([Market], c.Submitted);
        Assert.Equal([Market], c.Approved);
        Assert.Null(c.ResultsFormedOn);

        c = Apply(c, (At(3, 17), new ResultsSubmitted(Case, Tax, TaxInspector)), (At(3, 18), new ResultsApproved(Case, Tax, By(Tax, Roles.Reviewer))))!;
        Assert.Equal([Market, Tax], c.Submitted);
        Assert.Equal(D(3, 18), c.ResultsFormedOn);
    }

    [Fact]
    public void A_return_reopens_the_submission_so_the_resubmission_dates_it_and_an_overdue_while_returned_counts()
    {
        // Both departments submitted (3-13); Tax's results were returned on 4-07 and resubmitted only on 4-10, after the
        // entry deadline (4-08): the case domain raises the overdue on 4-09 because not every department had submitted.
        var c = Apply(Joint(),
            (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)),
            (At(3, 13), new ResultsSubmitted(Case, Tax, TaxInspector)),
            (At(4, 7), new ResultsReturned(Case, Tax, ["记录不全"], By(Tax, Roles.Reviewer))))!;
        Assert.Null(c.SubmittedOn);                       // "the day the last participating department submitted": Tax has not, now

        c = Apply(c, (At(4, 9, 0), new ResultEntryOverdueRaised(Case, D(4, 8), D(4, 9))))!;
        Assert.True(c.EntryOverdue);                      // "the deadline passed before every department had submitted"

        c = Apply(c, (At(4, 10), new ResultsSubmitted(Case, Tax, TaxInspector)))!;
        Assert.Equal(D(4, 10), c.SubmittedOn);

        // So the dashboard counts the entry as late, not on time.
        var facts = new DashboardFacts([], [], [c], [], new Dictionary<Guid, string>());
        var scope = new DashboardScope("department", Market, "130185", MarketName, new HashSet<Guid> { Market });
        var d = DashboardFigures.Compute(scope, Period.Month(2026, 4), D(4, 17), facts, GoalRules.Resolve("130185", 2026, []), 1, "x", WorkingDays);
        Assert.Equal(new ShareFigure("enteredOnTimeShare", 0, 1, 0m, 100m, false), d.Shares.Single(s => s.Key == "enteredOnTimeShare"));
    }

    [Fact]
    public void An_overdue_raised_before_submission_marks_the_entry_late_and_one_raised_after_does_not()
    {
        var before = Apply(Joint(),
            (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)),
            (At(4, 9, 0), new ResultEntryOverdueRaised(Case, D(4, 8), D(4, 9))),
            (At(4, 10), new ResultsSubmitted(Case, Tax, TaxInspector)))!;
        Assert.Equal((true, (DateOnly?)D(4, 10)), (before.EntryOverdue, before.SubmittedOn));

        var after = Apply(Joint(),
            (At(3, 12), new ResultsSubmitted(Case, Market, MarketInspector)),
            (At(3, 13), new ResultsSubmitted(Case, Tax, TaxInspector)),
            (At(4, 9, 0), new ResultEntryOverdueRaised(Case, D(4, 8), D(4, 9))))!;
        Assert.Equal((false, (DateOnly?)D(3, 13)), (after.EntryOverdue, after.SubmittedOn));
    }

    [Fact]
    public void A_correction_replaces_the_matters_result_and_can_turn_a_case_into_one_with_a_problem()
    {
        var c = Joint();
        Assert.False(c.ProblemFoundIn(ResultCatalogues.ShippedOnly));
        c = Apply(c, (At(3, 20), new ResultCorrected(Case, Tax, Result(T1, "problem-pending", D(3, 20), 2), "复核", By(Tax, Roles.Reviewer))))!;
        Assert.True(c.ProblemFoundIn(ResultCatalogues.ShippedOnly));
        Assert.Equal(3, c.Outcomes.Count);                // still one outcome per matter
        Assert.Equal(new MatterOutcome(Tax, T1, "problem-pending", "2026"), c.Outcomes.Single(o => o.MatterId == T1));

        c = Apply(c, (At(3, 21), new ResultCorrected(Case, Tax, Result(T1, "no-problem", D(3, 21), 3), "再次复核", By(Tax, Roles.Reviewer))))!;
        Assert.False(c.ProblemFoundIn(ResultCatalogues.ShippedOnly));
    }

    [Theory]
    [InlineData("problem-pending", true)]
    [InlineData("problem-rectified", true)]
    [InlineData("uncooperative", true)]
    [InlineData("no-problem", false)]
    [InlineData("no-activity", false)]
    [InlineData("closed", false)]
    [InlineData("status-revoked", false)]
    [InlineData("status-deregistered", false)]
    public void Problems_found_are_the_problem_results_and_obstruction(string code, bool problem)
    {
        var c = Apply(Joint(), (At(3, 12), new ResultEntered(Case, Market, Result(M1, code, D(3, 12)), MarketInspector)))!;
        Assert.Equal(problem, c.ProblemFoundIn(ResultCatalogues.ShippedOnly));
    }

    [Fact]
    public void A_problem_is_what_the_catalogue_version_of_the_result_says_not_a_fixed_list_of_codes()
    {
        // A province's own version (issue 16): "minor-defect" records a problem there; its "problem-rectified" does not.
        var province = new ResultCatalogue("130000-1", "130000", "冀市监〔2026〕1号", [
            new CatalogueEntry("no-problem", "未发现问题"), new CatalogueEntry("minor-defect", "发现轻微问题", ProblemFound: true),
            new CatalogueEntry("problem-rectified", "已整改（不计问题）")]);
        var catalogues = new ResultCatalogues([province]);
        MatterResult Under(string version, string code) => Result(M1, code, D(3, 12)) with { CatalogueVersion = version };

        var minor = Apply(Joint(), (At(3, 12), new ResultEntered(Case, Market, Under("130000-1", "minor-defect"), MarketInspector)))!;
        Assert.Equal("130000-1", minor.Outcomes.Single(o => o.MatterId == M1).CatalogueVersion);
        Assert.True(minor.ProblemFoundIn(catalogues));
        Assert.False(minor.ProblemFoundIn(ResultCatalogues.ShippedOnly)); // a version unknown here is read as the national list, which has no such code

        var rectified = Apply(Joint(), (At(3, 12), new ResultEntered(Case, Market, Under("130000-1", "problem-rectified"), MarketInspector)))!;
        Assert.False(rectified.ProblemFoundIn(catalogues));
        var national = Apply(Joint(), (At(3, 12), new ResultEntered(Case, Market, Under("cn-2026.1", "problem-rectified"), MarketInspector)))!;
        Assert.True(national.ProblemFoundIn(catalogues));
        // A result stored before versions existed is read under cn-2024.1.
        var legacy = Apply(Joint(), (At(3, 12), new ResultEntered(Case, Market, Under("", "uncooperative"), MarketInspector)))!;
        Assert.True(legacy.ProblemFoundIn(catalogues));
    }

    [Fact]
    public void Publication_keeps_its_first_date_withholding_and_withdrawal_are_flags()
    {
        var id = ResultPublication.IdFor(Case);
        var published = Published(Case, "2026001", "2026001-01", D(3, 10), D(3, 30), Market);
        Assert.Equal(Case, CaseFact.IdOf(published));     // keyed by the case, though stored on the publication's stream
        var c = Apply(Joint(), (At(3, 30), published),
            (At(4, 2), published with { Content = published.Content with { PublishedOn = D(4, 2) } }))!;
        Assert.Equal(D(3, 30), c.PublishedOn);

        var withheld = new ResultWithheld(id, Case, WithholdingGround.StateSecret, "《保守国家秘密法》", "涉密", Reviewer);
        Assert.Equal(Case, CaseFact.IdOf(withheld));
        Assert.True(Apply(Joint(), (At(3, 30), withheld))!.Withheld);
        Assert.True(Apply(Joint(), (At(3, 11), new CaseWithdrawn(Case, "注销", MarketInspector)))!.Withdrawn);

        Assert.Null(CaseFact.IdOf(new PlanApproved(P1, 1, null, Reviewer)));
        Assert.Equal(12, CaseFact.EventTypes.Length);
    }
}

/// <summary>The stored read model keeps a case and its publication apart and joins them; the replay folds them together.</summary>
public sealed class PublicationJoinTests
{
    [Fact]
    public void Joining_the_stored_publication_facts_gives_the_same_cases_as_folding_every_event()
    {
        var caseEvents = new HashSet<Type>(CaseFact.EventTypes.Except([typeof(ResultPublished), typeof(ResultWithheld)]));
        var stored = DashboardWorld.Events.Where(x => caseEvents.Contains(x.Event.GetType()))
            .GroupBy(x => CaseFact.IdOf(x.Event)!.Value)
            .Select(g => g.Aggregate((CaseFact?)null, (s, x) => CaseFact.Evolve(s, x.Event, x.At))!)
            .ToList();
        var publications = DashboardWorld.Events.Where(x => x.Event is ResultPublished or ResultWithheld)
            .GroupBy(x => x.Event is ResultPublished p ? p.PublicationId : ((ResultWithheld)x.Event).PublicationId)
            .Select(g => g.Aggregate((PublicationFact?)null, (s, x) => PublicationFact.Evolve(s, x.Event, x.At))!)
            .ToLookup(p => p.CaseId);
        var joined = stored.Select(c => publications[c.Id].Aggregate(c, PublicationFact.Join)).OrderBy(c => c.Id).ToList();

        var replayed = DashboardWorld.Facts.Cases.OrderBy(c => c.Id).ToList();
        Assert.Equal(replayed.Count, joined.Count);
        Assert.Contains(replayed, c => c.PublishedOn is not null);
        Assert.Contains(replayed, c => c.Withheld);
        foreach (var (expected, actual) in replayed.Zip(joined))
            Assert.Equal((expected.Id, expected.PublishedOn, expected.Withheld, expected.SubmittedOn, expected.ProblemFoundIn(ResultCatalogues.ShippedOnly)),
                (actual.Id, actual.PublishedOn, actual.Withheld, actual.SubmittedOn, actual.ProblemFoundIn(ResultCatalogues.ShippedOnly)));
    }
}
