using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Domain.Tests.Revisits;

public sealed class RevisitRulesTests
{
    private static readonly Guid County = new("00000000-0000-4000-8000-0000000000c1");
    private static readonly Guid City = new("00000000-0000-4000-8000-0000000000c2");
    private static readonly Guid Province = new("00000000-0000-4000-8000-0000000000c3");
    private static readonly Guid Elsewhere = new("00000000-0000-4000-8000-0000000000c4");
    private static readonly DateOnly Today = new(2026, 3, 10);
    private static Guid? ParentOf(Guid id) => id == County ? City : id == City ? Province : null;

    private static InspectionCase Case(ReviewStatus review, CaseStatus status = CaseStatus.Ended, string enteredBy = "INS-1") =>
        new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "2026001-1", Guid.NewGuid(), status,
            [new TeamMember(Guid.NewGuid(), "INS-1", County)],
            [new DepartmentRecord(County, [], [new MatterResult(Guid.NewGuid(), "no-problem", null, null, null, null, "cn-2026.1", Today, enteredBy, 1, [], null)], review, [], [])],
            [], Today, Today, [], DeadlineTrigger.InspectionEnded, null, false, false);

    private static readonly RecordRevisit Stands = new(Today, "公示信息属实", RevisitVerdict.ResultStands, null, "回访核实");

    private static Decision Record(RecordRevisit command, InspectionCase c, Actor by) =>
        RevisitRules.Decide(command, Guid.NewGuid(), c, ParentOf, ResultCatalogue.National, Today, by);

    private static string OnlyRule(Decision d) => Assert.Single(d.Errors).Rule;

    [Fact]
    public void Only_a_completed_case_is_revisited()
    {
        var by = new Actor("rev-1", "回访", Roles.Reviewer, County);
        Assert.Equal("revisit.case-not-completed", OnlyRule(Record(Stands, Case(ReviewStatus.Submitted), by)));
        Assert.Equal("revisit.case-not-completed", OnlyRule(Record(Stands, Case(ReviewStatus.Approved, CaseStatus.Withdrawn), by)));
        Assert.IsType<CaseRevisited>(Assert.Single(Record(Stands, Case(ReviewStatus.Approved), by).Events));
    }

    [Fact]
    public void No_inspector_of_the_case_revisits_it_not_the_team_nor_whoever_entered_a_result_whatever_the_role_or_spelling()
    {
        Assert.Equal("revisit.own-inspection", OnlyRule(Record(Stands, Case(ReviewStatus.Approved), new Actor(" ins-1 ", "x", Roles.Reviewer, County))));
        Assert.Equal("revisit.own-inspection", OnlyRule(Record(Stands, Case(ReviewStatus.Approved, enteredBy: "INS-9"), new Actor("INS-9", "x", Roles.Inspector, City))));
    }

    [Fact]
    public void The_department_responsible_or_one_above_it_revisits_and_the_revisit_counts_under_the_case_department()
    {
        var c = Case(ReviewStatus.Approved);
        foreach (var department in new[] { County, City, Province })
            Assert.Equal(County, Assert.IsType<CaseRevisited>(Assert.Single(Record(Stands, c, new Actor("rv", "x", Roles.Inspector, department)).Events)).DepartmentId);
        Assert.Equal("revisit.department", OnlyRule(Record(Stands, c, new Actor("rv", "x", Roles.Inspector, Elsewhere))));
        Assert.Equal("revisit.department", OnlyRule(Record(Stands, c, new Actor("rv", "x", Roles.Inspector, null))));
    }

    [Fact]
    public void A_missed_problem_names_a_problem_result_of_the_catalogue_in_force_and_a_standing_result_names_none()
    {
        var c = Case(ReviewStatus.Approved);
        var by = new Actor("rv", "x", Roles.Inspector, City);
        var missed = Stands with { Verdict = RevisitVerdict.ProblemMissed };
        Assert.Equal("revisit.result-code", OnlyRule(Record(missed, c, by)));
        Assert.Equal("revisit.result-code", OnlyRule(Record(missed with { ResultCode = "no-problem" }, c, by)));
        Assert.Equal("revisit.result-code.unexpected", OnlyRule(Record(Stands with { ResultCode = "problem-pending" }, c, by)));
        Assert.Equal("date.future", OnlyRule(Record(Stands with { VisitedOn = Today.AddDays(1) }, c, by)));
        var recorded = Assert.IsType<CaseRevisited>(Assert.Single(Record(missed with { ResultCode = "uncooperative" }, c, by).Events));
        Assert.Equal(("uncooperative", "cn-2026.1"), (recorded.ResultCode, recorded.CatalogueVersion));
    }

    [Fact]
    public void A_correction_comes_from_the_recording_department_with_a_reason_and_replaces_the_verdict()
    {
        var c = Case(ReviewStatus.Approved);
        var by = new Actor("rv", "x", Roles.Inspector, City);
        var revisit = RevisitRules.Evolve(null, Assert.Single(Record(Stands, c, by).Events))!;
        var correction = new CorrectRevisit(Today, "复核", RevisitVerdict.ProblemMissed, "problem-pending", "复核后更正", 1);
        Assert.Equal("revisit.correction-department", OnlyRule(RevisitRules.Decide(correction, revisit, c, ResultCatalogue.National, Today, new Actor("rv2", "y", Roles.Reviewer, County))));
        Assert.Equal("reason.required", OnlyRule(RevisitRules.Decide(correction with { Reason = "" }, revisit, c, ResultCatalogue.National, Today, by)));
        var corrected = RevisitRules.Evolve(revisit, Assert.Single(RevisitRules.Decide(correction, revisit, c, ResultCatalogue.National, Today, by).Events))!;
        Assert.Equal((RevisitVerdict.ProblemMissed, true, 1, "复核后更正"), (corrected.Verdict, corrected.ProblemMissed, corrected.Corrections, corrected.Reason));
    }

    [Fact]
    public void A_revisit_says_whether_the_result_stands()
    {
        var error = Assert.Single(Record(Stands with { Verdict = null }, Case(ReviewStatus.Approved), new Actor("rev-1", "回访", Roles.Reviewer, County)).Errors);
        Assert.Equal(("verdict", "verdict.required"), (error.Field, error.Rule));
    }
}
