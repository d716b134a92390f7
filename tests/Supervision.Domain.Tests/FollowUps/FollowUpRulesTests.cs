using Supervision.Domain.FollowUps;

namespace Supervision.Domain.Tests.FollowUps;

public sealed class FollowUpRulesTests
{
    private static readonly Guid Market = new("00000000-0000-4000-8000-0000000000d1");
    private static readonly Guid Tax = new("00000000-0000-4000-8000-0000000000d3");
    private static readonly Actor MarketHandler = new("h-1", "处置", Roles.FollowUpHandler, Market);
    private static readonly Actor TaxHandler = new("h-2", "税务", Roles.FollowUpHandler, Tax);

    private static FollowUpCase Open() => FollowUpRules.Evolve(null, new FollowUpOpened(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Market, "problem-pending",
    [
        new Measure(1, MeasureKind.HandOver, Tax, new DateOnly(2026, 3, 20), null, false, null, [], null, false),
        new Measure(2, MeasureKind.RectificationOrder, Market, new DateOnly(2026, 4, 10), null, true, null, [], null, false),
    ], "发现问题", MarketHandler))!;

    private static FollowUpCase Apply(FollowUpCase f, Decision d)
    {
        Assert.False(d.IsRejected, string.Join(", ", d.Errors.Select(e => e.Rule)));
        return d.Events.Aggregate(f, (s, e) => FollowUpRules.Evolve(s, e)!);
    }

    [Fact]
    public void A_handover_is_accepted_only_by_the_receiving_department_before_its_outcome()
    {
        var f = Open();
        Assert.Equal("measure.not-yours", Assert.Single(FollowUpRules.Decide(new AcceptMeasure(1), 1, f, MarketHandler).Errors).Rule);
        Assert.Equal("measure.not-accepted", Assert.Single(FollowUpRules.Decide(new BackFillMeasure("x", [], new DateOnly(2026, 3, 12), 1), 1, f, new DateOnly(2026, 3, 12), TaxHandler).Errors).Rule);
        f = Apply(f, FollowUpRules.Decide(new AcceptMeasure(1), 1, f, TaxHandler));
        Assert.Empty(FollowUpRules.Decide(new AcceptMeasure(1), 1, f, TaxHandler).Events);
    }

    [Fact]
    public void Back_fills_after_the_deadline_are_marked_late_and_an_outcome_is_recorded_once()
    {
        var f = Apply(Open(), FollowUpRules.Decide(new AcceptMeasure(1), 1, Open(), TaxHandler));
        var late = FollowUpRules.Decide(new BackFillMeasure("已立案", ["文号"], new DateOnly(2026, 3, 21), 2), 1, f, new DateOnly(2026, 3, 22), TaxHandler);
        Assert.True(Assert.IsType<MeasureBackFilled>(Assert.Single(late.Events)).Late);
        f = Apply(f, late);
        Assert.Equal("measure.back-filled", Assert.Single(FollowUpRules.Decide(new BackFillMeasure("再次", [], new DateOnly(2026, 3, 22), 3), 1, f, new DateOnly(2026, 3, 22), TaxHandler).Errors).Rule);
        Assert.Equal("date.future", Assert.Single(FollowUpRules.Decide(new BackFillMeasure("x", [], new DateOnly(2026, 4, 1), 3), 2, f, new DateOnly(2026, 3, 22), MarketHandler).Errors).Rule);
    }

    [Fact]
    public void The_loop_closes_only_when_every_measure_has_its_outcome()
    {
        var f = Apply(Open(), FollowUpRules.Decide(new AcceptMeasure(1), 1, Open(), TaxHandler));
        f = Apply(f, FollowUpRules.Decide(new BackFillMeasure("已处理", [], new DateOnly(2026, 3, 15), 2), 1, f, new DateOnly(2026, 3, 15), TaxHandler));
        Assert.Equal("follow-up.outcomes.missing", Assert.Single(FollowUpRules.Decide(new CloseFollowUp(3), f, new DateOnly(2026, 3, 15), MarketHandler).Errors).Rule);
        f = Apply(f, FollowUpRules.Decide(new BackFillMeasure("已改正", [], new DateOnly(2026, 3, 16), 3), 2, f, new DateOnly(2026, 3, 16), MarketHandler));
        Assert.Equal("follow-up.department", Assert.Single(FollowUpRules.Decide(new CloseFollowUp(4), f, new DateOnly(2026, 3, 16), TaxHandler).Errors).Rule);
        f = Apply(f, FollowUpRules.Decide(new CloseFollowUp(4), f, new DateOnly(2026, 3, 16), MarketHandler));
        Assert.Equal((FollowUpStatus.Closed, new DateOnly(2026, 3, 16)), (f.Status, f.ClosedOn));
    }

    [Fact]
    public void A_measure_is_overdue_the_day_after_its_deadline_without_an_outcome()
    {
        var f = Open();
        Assert.Empty(FollowUpRules.DecideOverdue(f, 1, new DateOnly(2026, 3, 20)).Events);
        Assert.IsType<MeasureOverdueRaised>(Assert.Single(FollowUpRules.DecideOverdue(f, 1, new DateOnly(2026, 3, 21)).Events));
    }
}

/// <summary>The refusals of opening a follow-up and of acting on a measure that is not there, by rule code.</summary>
public sealed class FollowUpRefusalTests
{
    private static readonly Guid Market = Guid.NewGuid();
    private static readonly Actor Handler = new("h-1", "处置", Roles.FollowUpHandler, Market);
    private static readonly Guid Matter = Guid.NewGuid();
    private static readonly DateOnly Today = new(2026, 3, 12);

    private static Supervision.Domain.Inspections.InspectionCase Case(Supervision.Domain.Inspections.ReviewStatus review, string resultCode) => new(
        Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "2026001-01", Guid.NewGuid(), Supervision.Domain.Inspections.CaseStatus.Ended, [],
        [new Supervision.Domain.Inspections.DepartmentRecord(Market, [new Supervision.Domain.Plans.MatterRef(Matter, 1)],
            [new Supervision.Domain.Inspections.MatterResult(Matter, resultCode, null, null, null, null, "cn-2026.1", Today, "inspector-1", 1, [], null)], review, [], [])],
        [], Today, Today, [Supervision.Domain.Directories.InspectionMethod.OnSite], Supervision.Domain.Inspections.DeadlineTrigger.InspectionEnded, null, false, false);

    private static Decision Open(Supervision.Domain.Inspections.InspectionCase inspectionCase, params MeasureInput[] measures) =>
        FollowUpRules.Decide(new OpenFollowUp(Matter, measures, "发现问题"), inspectionCase, null, Supervision.Domain.Inspections.ResultCatalogue.National, null!, Today, Handler);

    [Fact]
    public void Follow_up_opens_only_for_an_approved_result_that_needs_it_and_with_at_least_one_measure()
    {
        Testing.Decider.Refused(Open(Case(Supervision.Domain.Inspections.ReviewStatus.Submitted, "problem-pending")), "follow-up.not-needed");
        Testing.Decider.Refused(Open(Case(Supervision.Domain.Inspections.ReviewStatus.Approved, "no-problem")), "follow-up.not-needed");
        var error = Testing.Decider.Refused(Open(Case(Supervision.Domain.Inspections.ReviewStatus.Approved, "problem-pending")), "measures.required");
        Assert.Equal(ErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void A_measure_that_is_not_there_is_not_found()
    {
        var followUp = FollowUpRules.Evolve(null, new FollowUpOpened(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Matter, Market, "problem-pending",
            [new Measure(1, MeasureKind.RectificationOrder, Market, new DateOnly(2026, 4, 10), null, true, null, [], null, false)], "发现问题", Handler))!;
        var error = Testing.Decider.Refused(FollowUpRules.Decide(new AcceptMeasure(1), 2, followUp, Handler), "measure.unknown");
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }
}
