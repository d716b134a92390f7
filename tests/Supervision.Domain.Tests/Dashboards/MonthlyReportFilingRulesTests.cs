using Supervision.Domain.Dashboards;

namespace Supervision.Domain.Tests.Dashboards;

public sealed class MonthlyReportFilingRulesTests
{
    private static readonly Actor Planner = new("p-1", "填表人", Roles.Planner, Guid.Parse("00000000-0000-4000-8000-0000000000d1"));
    private static readonly DateOnly Due = new(2026, 4, 20);
    private const string Unit = "county:130529";

    private static MonthlyReport Report() => new(ReportForm.County, "县", "130529", 2026, 3, new DateOnly(2026, 4, 18), Due, 2, [], new ReportTotals(0, 0, 0, 0), [], [], []);

    private static MonthlyReportFiling? Apply(MonthlyReportFiling? filing, Decision decision) =>
        decision.Events.Aggregate(filing, MonthlyReportFilingRules.Evolve);

    [Fact]
    public void A_first_filing_is_recorded_on_time_or_late_against_the_due_day()
    {
        var onTime = Assert.IsType<MonthlyReportSubmitted>(Assert.Single(MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", null), null, Report(),
            "{}", "aa", Due, Planner).Events));
        Assert.Equal((false, MonthlyReportFiling.IdFor(Unit, 2026, 3)), (onTime.Late, onTime.FilingId));
        var late = Assert.IsType<MonthlyReportSubmitted>(Assert.Single(MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", null), null, Report(),
            "{}", "aa", Due.AddDays(1), Planner).Events));
        Assert.True(late.Late);
    }

    [Fact]
    public void Filing_again_needs_a_reason_and_the_same_figures_again_record_nothing()
    {
        var filing = Apply(null, MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", null), null, Report(), "{}", "aa", Due, Planner));
        Assert.Equal("report.resubmission.reason", Assert.Single(MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", " "), filing, Report(),
            "{}", "bb", Due, Planner).Errors).Rule);
        Assert.Empty(MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", "重报"), filing, Report(), "{}", "aa", Due, Planner).Events);
        filing = Apply(filing, MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", "更正检查主体数量"), filing, Report(), "{}", "bb",
            Due.AddDays(3), Planner));
        // A correction after the due day does not make a report filed on time late: the first filing stands, the correction is dated.
        Assert.Equal((2, "bb", Due, false, (DateOnly?)Due.AddDays(3)), (filing!.Revision, filing.ContentSha256, filing.SubmittedOn, filing.Late, filing.CorrectedOn));
    }

    [Fact]
    public void A_unit_is_reminded_once_within_three_days_of_the_due_day_once_more_when_late_and_never_after_filing()
    {
        Assert.Empty(MonthlyReportFilingRules.DecideReminder(null, Unit, "县", 2026, 3, Due, Due.AddDays(-4)).Events);
        var first = Assert.IsType<MonthlyReportDueReminded>(Assert.Single(MonthlyReportFilingRules.DecideReminder(null, Unit, "县", 2026, 3, Due, Due.AddDays(-3)).Events));
        Assert.False(first.Overdue);
        var filing = MonthlyReportFilingRules.Evolve(null, first);
        Assert.Empty(MonthlyReportFilingRules.DecideReminder(filing, Unit, "县", 2026, 3, Due, Due).Events);
        var late = Assert.IsType<MonthlyReportDueReminded>(Assert.Single(MonthlyReportFilingRules.DecideReminder(filing, Unit, "县", 2026, 3, Due, Due.AddDays(1)).Events));
        Assert.True(late.Overdue);
        filing = MonthlyReportFilingRules.Evolve(filing, late);
        Assert.Empty(MonthlyReportFilingRules.DecideReminder(filing, Unit, "县", 2026, 3, Due, Due.AddDays(5)).Events);
        Assert.Equal([Due.AddDays(-3), Due.AddDays(1)], filing!.RemindedOn);

        var filed = Apply(null, MonthlyReportFilingRules.Decide(new SubmitMonthlyReport("130529", null, "2026-03", null), null, Report(), "{}", "aa", Due.AddDays(-5), Planner));
        Assert.Empty(MonthlyReportFilingRules.DecideReminder(filed, Unit, "县", 2026, 3, Due, Due.AddDays(2)).Events);
    }
}
