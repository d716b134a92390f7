using Supervision.Domain.Dashboards;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using static Supervision.Domain.Tests.Dashboards.DashboardWorld;

namespace Supervision.Domain.Tests.Dashboards;

/// <summary>The world's facts as folded, and the hand-counted deadlines the figure tests rely on, checked against the real calendar.</summary>
public sealed class DashboardWorldTests
{
    [Theory]
    // Entry deadlines: 20 working days after the inspection ended (the end day itself never counts).
    [InlineData(2, 27, 3, 26)] // C0: 2-28 (Sat, make-up working day for 春节) is day 1, 3-02..3-06 days 2-6, ... 3-26 day 20.
    [InlineData(3, 6, 4, 3)]   // C3: 3-09..13 (5), 16..20 (10), 23..27 (15), 3-30, 3-31, 4-01, 4-02, 4-03 (20).
    [InlineData(3, 9, 4, 7)]   // C4: 3-10..13 (4), 16..20 (9), 23..27 (14), 3-30..4-03 (19), 4-04..4-06 清明 off, 4-07 (20).
    [InlineData(3, 10, 4, 8)]  // C1: 3-11..13 (3), 16..20 (8), 23..27 (13), 3-30..4-03 (18), 4-07 (19), 4-08 (20).
    [InlineData(3, 12, 4, 10)] // C7: 3-13 (1), 16..20 (6), 23..27 (11), 3-30..4-03 (16), 4-07..4-10 (20).
    [InlineData(3, 13, 4, 13)] // C5: 3-16..20 (5), 23..27 (10), 3-30..4-03 (15), 4-07..4-10 (19), 4-13 (20).
    [InlineData(3, 16, 4, 14)] // C10: 3-17..20 (4), 23..27 (9), 3-30..4-03 (14), 4-07..4-10 (18), 4-13, 4-14 (20).
    [InlineData(3, 18, 4, 16)] // C9 (entry), and C5 (publication, formed 3-18): 3-19, 3-20 (2), 23..27 (7), 3-30..4-03 (12), 4-07..4-10 (16), 4-13..4-16 (20).
    [InlineData(3, 19, 4, 17)] // C8: 3-20 (1), 23..27 (6), 3-30..4-03 (11), 4-07..4-10 (15), 4-13..4-17 (20).
    [InlineData(3, 20, 4, 20)] // C2: 23..27 (5), 3-30..4-03 (10), 4-07..4-10 (14), 4-13..4-17 (19), 4-20 (20).
    [InlineData(4, 8, 5, 9)]   // C11: 4-09, 4-10 (2), 13..17 (7), 20..24 (12), 27..30 (16), 5-01..5-05 劳动节 off, 5-06..5-08 (19), 5-09 (Sat, worked) (20).
    // Publication deadlines: 20 working days after the results were formed.
    [InlineData(3, 3, 3, 31)]  // C0: 3-04..06 (3), 9..13 (8), 16..20 (13), 23..27 (18), 3-30, 3-31 (20).
    [InlineData(3, 11, 4, 9)]  // C4: 3-12, 3-13 (2), 16..20 (7), 23..27 (12), 3-30..4-03 (17), 4-07, 4-08, 4-09 (20).
    [InlineData(3, 17, 4, 15)] // C1, C7: 3-18..20 (3), 23..27 (8), 3-30..4-03 (13), 4-07..4-10 (17), 4-13..4-15 (20).
    [InlineData(3, 27, 4, 27)] // C2: 3-30..4-03 (5), 4-07..4-10 (9), 13..17 (14), 20..24 (19), 4-27 (20).
    [InlineData(4, 9, 5, 11)]  // C3: 4-10 (1), 13..17 (6), 20..24 (11), 27..30 (15), 5-06..5-08 (18), 5-09 (Sat, worked) (19), 5-11 (20).
    public void The_hand_counted_20_working_day_deadlines_agree_with_the_2026_calendar(int fromMonth, int fromDay, int dueMonth, int dueDay)
    {
        var due = WorkingDays.AddWorkingDays(D(fromMonth, fromDay), DashboardFigures.PublicationWorkingDays);
        Assert.Equal(D(dueMonth, dueDay), due.Date);
        Assert.Equal(D(dueMonth, dueDay), CaseRules.DeadlineFrom(WorkingDays, DeadlineTrigger.InspectionEnded, D(fromMonth, fromDay)).Due);
    }

    [Fact]
    public void Plans_fold_to_their_tasks_approval_adjustments_and_voiding()
    {
        var p1 = Plan(P1);
        // ApprovedOn is the latest approval: first 1-20, then again 3-12 after the adjustment started 3-10.
        Assert.Equal((Market, 2026, "2026001", P1Scheme, (DateOnly?)D(3, 12)), (p1.DepartmentId, p1.Year, p1.Number, p1.ImplementingScheme, p1.ApprovedOn));
        Assert.Equal([D(3, 10)], p1.AdjustedOn);
        Assert.Null(p1.VoidedOn);
        var joint = p1.Task("2026001-01")!;
        // Joint: two participants, lead Market, matters m1, m2 (Market) + t1 (Tax) = 3.
        Assert.Equal((Market, (Guid?)Market, true, false, 3, "鹿泉区食品经营企业"),
            (joint.InitiatingDepartmentId, joint.LeadDepartmentId, joint.Joint, joint.ByCreditClass, joint.MatterCount, joint.ScopeDescription));
        Assert.Equal([Market, Tax], joint.DepartmentIds);
        var credit = p1.Task("2026001-02")!;
        Assert.Equal((false, true, 1, (Guid?)null), (credit.Joint, credit.ByCreditClass, credit.MatterCount, credit.LeadDepartmentId));

        Assert.Equal(D(2, 5), Plan(P2).VoidedOn);
        Assert.Empty(Plan(P2).Tasks);

        // P3: the added -02 task was removed; -01 keeps its changed definition.
        var p3 = Plan(P3);
        var task = Assert.Single(p3.Tasks);
        Assert.Equal(("2026001-01", false, false, 1), (task.Number, task.Joint, task.ByCreditClass, task.MatterCount));
        Assert.Equal([D(4, 3)], p3.AdjustedOn);

        // P4: the implementing scheme came with a details change.
        Assert.Equal(P4Scheme, Plan(P4).ImplementingScheme);
    }

    [Fact]
    public void Draws_fold_to_the_day_drawn_recusals_replacements_and_voiding()
    {
        var d1 = Draw(D1);
        Assert.Equal((D(2, 27), (DateOnly?)D(3, 2), 40, false), (d1.ScheduledOn, d1.DrawnOn, d1.PoolSize, d1.Voided));
        Assert.Equal([D(3, 4)], d1.RecusedOn);
        Assert.Equal([D(3, 4)], d1.ReplacedOn);
        Assert.Equal(((DateOnly?)D(3, 6), true), (Draw(D3).DrawnOn, Draw(D3).Voided));
        Assert.Equal(((DateOnly?)null, true), (Draw(D8).DrawnOn, Draw(D8).Voided));
        Assert.Equal(9, Facts.Draws.Count);
    }

    [Fact]
    public void Cases_fold_with_their_publication_streams()
    {
        Assert.Equal(12, Facts.Cases.Count);

        var c1 = Case(C1);
        Assert.True(c1.Joint);
        Assert.True(c1.ProblemFoundIn(ResultCatalogues.ShippedOnly)); // m2 problem-rectified
        Assert.Equal((D(3, 2), (DateOnly?)D(3, 10), (DateOnly?)D(4, 8)), (c1.OpenedOn, c1.EndedOn, c1.EntryDue));
        Assert.Equal(((DateOnly?)D(3, 13), (DateOnly?)D(3, 17), (DateOnly?)D(4, 10)), (c1.SubmittedOn, c1.ResultsFormedOn, c1.PublishedOn));

        var c2 = Case(C2);
        Assert.Equal(((DateOnly?)D(3, 27), true, (DateOnly?)null), (c2.ResultsFormedOn, c2.Withheld, c2.PublishedOn));
        Assert.Equal([Market, Tax], c2.Approved);

        var c3 = Case(C3);
        Assert.Equal((true, (DateOnly?)D(4, 8), false), (c3.EntryOverdue, c3.SubmittedOn, c3.ProblemFoundIn(ResultCatalogues.ShippedOnly)));

        Assert.True(Case(C6).Withdrawn);
        Assert.True(Case(C7).ProblemFoundIn(ResultCatalogues.ShippedOnly)); // corrected 4-03 to problem-rectified
        Assert.Equal((true, (DateOnly?)null), (Case(C10).EntryOverdue, Case(C10).SubmittedOn));
        Assert.True(Case(C11).ProblemFoundIn(ResultCatalogues.ShippedOnly)); // uncooperative
        Assert.Equal([new CaseParticipant(Market, [M1, M2]), new CaseParticipant(Tax, [T1])], c1.Participants, new ParticipantComparer());
    }

    [Fact]
    public void The_follow_up_folds_each_measure_with_its_back_fill_and_overdue_flag()
    {
        var f = Assert.Single(Facts.FollowUps);
        Assert.Equal((F1, C4, Market), (f.Id, f.CaseId, f.DepartmentId));
        Assert.Equal(
        [
            new MeasureFact(1, MeasureKind.RectificationOrder, Market, D(3, 20), D(3, 19), false, false),
            new MeasureFact(2, MeasureKind.HandOver, Tax, D(3, 27), D(4, 1), true, true),
            new MeasureFact(3, MeasureKind.FileCase, Market, D(4, 10), null, false, true),
        ], f.Measures);
    }

    private sealed class ParticipantComparer : IEqualityComparer<CaseParticipant>
    {
        public bool Equals(CaseParticipant? x, CaseParticipant? y) => x!.DepartmentId == y!.DepartmentId && x.MatterIds.SequenceEqual(y.MatterIds);

        public int GetHashCode(CaseParticipant obj) => obj.DepartmentId.GetHashCode();
    }
}
