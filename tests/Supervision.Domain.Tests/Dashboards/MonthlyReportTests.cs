using Supervision.Domain.Dashboards;
using static Supervision.Domain.Tests.Dashboards.DashboardWorld;

namespace Supervision.Domain.Tests.Dashboards;

/// <summary>
/// The monthly reports (邢双随机办〔2022〕1号 附件1 and 附件2) from the same world as the dashboards (see <see cref="DashboardWorld"/>).
/// A case counts in the month its inspection ended; a result in the month it was published. Expected numbers are counted by hand.
/// </summary>
public sealed class MonthlyReportTests
{
    private const string CountyUnit = "鹿泉区“双随机、一公开”监管工作领导小组办公室";
    private static readonly ReportDepartment MarketDept = new(Market, MarketName, "130185", "market-regulation");
    private static readonly ReportDepartment TaxDept = new(Tax, TaxName, "130185", "tax");
    private static readonly ReportDepartment CityDept = new(CityMarket, CityMarketName, "130100", "market-regulation");
    private static readonly ReportDepartment ChanganDept = new(ChanganMarket, ChanganMarketName, "130102", "market-regulation");

    private static void Line(DepartmentLine line, string department, int matters, int entities, int problems, int published, params string[] documents)
    {
        Assert.Equal((department, matters, entities, problems, published), (line.Department, line.MattersInspected, line.EntitiesInspected, line.EntitiesWithProblems, line.ResultsPublished));
        Assert.Equal(documents, line.ImplementingDocuments);
    }

    [Fact]
    public void County_report_for_March_2026()
    {
        // Filled on 4-17 with the due day of 邢双随机办〔2022〕1号 (四): the 23rd of the following month.
        var report = MonthlyReports.County(CountyUnit, "130185", Period.Month(2026, 3), Today, 23, [MarketDept, TaxDept], Facts);

        Assert.Equal((ReportForm.County, CountyUnit, "130185", 2026, 3, Today), (report.Form, report.Unit, report.RegionCode, report.Year, report.Month, report.FilledOn));
        Assert.Equal(D(4, 23), report.DueOn);       // March report, due day 23 -> 2026-04-23
        Assert.Equal(6, report.DaysToDue);          // 4-17 -> 4-23

        Assert.Equal(2, report.Departments.Count);
        // Market: ended in March C1, C2 (m1, m2), C3, C4, C10 (m3) -> 3 distinct matters; entities E1, E2, E3 (twice), E4 = 4;
        // problems E1 (C1), E4 (C4) = 2; published in March: C0 (3-20, ended in February) = 1; every case is under P1.
        Line(report.Departments[0], MarketName, 3, 4, 2, 1, P1Scheme);
        // Tax: C1, C2 (t1), C5 (t2) -> 2 matters; E1, E2, E5 = 3 entities; problems: E1, because C1 found a problem (under
        // Market's matter m2) and "problem found" is a property of the case; nothing of Tax's published in March. Documents:
        // P1's scheme (the joint task) and P3, which has no scheme, by number and name (ordinal order puts digits first).
        Line(report.Departments[1], TaxName, 2, 3, 1, 0, P3Document, P1Scheme);

        // 合计: the county's cases ended in March are C1, C2, C3, C4, C5, C10 (C6 withdrawn, C7/C8/C9 other departments):
        // tasks P1-01 (C1, C2), P1-02 (C3, C4, C10), P3-01 (C5) = 3; entities E1..E5 = 5; problems E1, E4 = 2; published C0 = 1.
        Assert.Equal(new ReportTotals(3, 5, 2, 1), report.Totals);

        // One joint task: P1 2026001-01, led by Market with Tax; entities E1, E2 ended in March; a problem at E1; nothing published in March.
        var joint = Assert.Single(report.Joint);
        Assert.Equal(("2026001-01", MarketName, 2, 1, 0), (joint.Task, joint.LeadDepartment, joint.EntitiesInspected, joint.EntitiesWithProblems, joint.ResultsPublished));
        Assert.Equal([TaxName], joint.ParticipatingDepartments);
        Assert.Equal([P1Scheme], joint.ImplementingDocuments);

        Assert.Empty(report.Tasks);
        Assert.Empty(report.System);
    }

    [Fact]
    public void County_report_for_April_2026_counts_publications_of_cases_that_ended_earlier()
    {
        // The 2026 seed (石鹿市监〔2026〕6号) moves the due day to the 20th; filled on 4-30.
        var dueDay = GoalRules.Resolve("130185", 2026, []).MonthlyReportDueDay;
        Assert.Equal(20, dueDay);
        var report = MonthlyReports.County(CountyUnit, "130185", Period.Month(2026, 4), D(4, 30), dueDay, [MarketDept, TaxDept], Facts);

        Assert.Equal((D(5, 20), 20), (report.DueOn, report.DaysToDue)); // April report due 5-20; 4-30 -> 5-20 is 20 days

        Assert.Equal(2, report.Departments.Count);
        // Market: C11 (ended 4-08, m3, uncooperative) -> 1 matter, 1 entity, 1 problem; published in April: C1 4-10, C3 4-13, C4 4-14 = 3.
        Line(report.Departments[0], MarketName, 1, 1, 1, 3, P1Scheme);
        // Tax inspected nothing in April but C1 (joint) was published: the line appears, with no documents (those come from inspections).
        Line(report.Departments[1], TaxName, 0, 0, 0, 1);

        Assert.Equal(new ReportTotals(1, 1, 1, 3), report.Totals); // task P1-02 (C11); E11; E11; C1, C3, C4 (C8 is the city department's)

        // The joint task appears for C1's publication alone.
        var joint = Assert.Single(report.Joint);
        Assert.Equal(("2026001-01", MarketName, 0, 0, 1), (joint.Task, joint.LeadDepartment, joint.EntitiesInspected, joint.EntitiesWithProblems, joint.ResultsPublished));
        Assert.Equal([TaxName], joint.ParticipatingDepartments);
    }

    [Fact]
    public void A_county_report_leaves_out_departments_with_nothing_to_report()
    {
        // January: nothing ended or published.
        var report = MonthlyReports.County(CountyUnit, "130185", Period.Month(2026, 1), D(2, 3), 23, [MarketDept, TaxDept], Facts);
        Assert.Empty(report.Departments);
        Assert.Equal(new ReportTotals(0, 0, 0, 0), report.Totals);
        Assert.Empty(report.Joint);
        Assert.Equal((D(2, 23), 20), (report.DueOn, report.DaysToDue));
    }

    [Fact]
    public void City_department_report_for_March_2026()
    {
        // The city set due day 23 for 2026 (its own setting wins over the seed's 20).
        var city = new GoalSetting(GoalSetting.IdFor("130100", 2026), "130100", 2026, new DashboardGoals(30m, 20m, 50m, 3m, 90m, 90m, 90m), null, 23, "石市双随机办〔2026〕1号", 1);
        var dueDay = GoalRules.Resolve("130100", 2026, [city]).MonthlyReportDueDay;
        var report = MonthlyReports.CityDepartment(CityDept, Period.Month(2026, 3), Today, dueDay, [CityDept, MarketDept, ChanganDept], Facts);

        Assert.Equal((ReportForm.CityDepartment, CityMarketName, "130100", 2026, 3, Today), (report.Form, report.Unit, report.RegionCode, report.Year, report.Month, report.FilledOn));
        Assert.Equal((D(4, 23), 6), (report.DueOn, report.DaysToDue));

        // Its own line: C7 (E7, cm1+cm2, ended 3-12) and C8 (E8, cm1, ended 3-19) -> 2 matters, 2 entities; a problem at E7 (C7's cm2
        // was corrected to problem-rectified on 4-03, and the facts are as of now); published in March: C7 (3-30); C8 was published 4-08.
        var own = Assert.Single(report.Departments);
        Line(own, CityMarketName, 2, 2, 1, 1, P4Scheme);

        // One task line: P4 2026001-01. Pool 80 (D5; the voided D8's 80 does not count); 2 entities of 80 = 2.5%.
        var task = Assert.Single(report.Tasks);
        Assert.Equal(new TaskLine("2026001-01", P4Scheme, "石家庄市食品生产企业", 80, 2, 2.5m, 2, 1, 1, MonthlyReports.PublicationSite), task);

        Assert.Equal(new ReportTotals(1, 2, 1, 1), report.Totals);
        Assert.Empty(report.Joint);

        // The system across the city: itself; the county market department (as in the county report); 长安区: C9 (x1, E9, no problem, published 3-25).
        Assert.Equal(3, report.System.Count);
        Line(report.System[0], CityMarketName, 2, 2, 1, 1, P4Scheme);
        Line(report.System[1], MarketName, 3, 4, 2, 1, P1Scheme);
        Line(report.System[2], ChanganMarketName, 1, 1, 0, 1, P5Scheme);
    }

    [Fact]
    public void City_department_report_for_April_2026_lists_a_task_for_its_publications()
    {
        var report = MonthlyReports.CityDepartment(CityDept, Period.Month(2026, 4), D(4, 30), 23, [CityDept, MarketDept, ChanganDept], Facts);
        Assert.Equal((D(5, 23), 23), (report.DueOn, report.DaysToDue));

        // Nothing of the city department's ended in April; C8 (ended 3-19) was published 4-08.
        Line(Assert.Single(report.Departments), CityMarketName, 0, 0, 0, 1);
        Assert.Equal(new TaskLine("2026001-01", P4Scheme, "石家庄市食品生产企业", 80, 0, 0m, 0, 0, 1, MonthlyReports.PublicationSite), Assert.Single(report.Tasks));
        Assert.Equal((0, 0, 1), (report.Totals.EntitiesInspected, report.Totals.EntitiesWithProblems, report.Totals.ResultsPublished));

        // 长安区 had nothing in April and is left out; Market: C11 and the three April publications.
        Assert.Equal(2, report.System.Count);
        Line(report.System[0], CityMarketName, 0, 0, 0, 1);
        Line(report.System[1], MarketName, 1, 1, 1, 3, P1Scheme);
    }

    [Fact]
    public void City_department_totals_count_only_tasks_with_an_inspection_ended_in_the_month()
    {
        // April: the city department's only task line is there for C8's publication (4-08); no inspection of it ended in April.
        var report = MonthlyReports.CityDepartment(CityDept, Period.Month(2026, 4), D(4, 30), 23, [CityDept], Facts);
        Assert.Equal(0, report.Totals.Inspections);
    }

    [Theory]
    [InlineData(2026, 3, 23, 2026, 4, 23)]
    [InlineData(2026, 3, 20, 2026, 4, 20)]
    [InlineData(2026, 12, 23, 2027, 1, 23)]
    [InlineData(2026, 1, 28, 2026, 2, 28)]
    public void The_report_is_due_on_the_due_day_of_the_following_month(int year, int month, int dueDay, int dueYear, int dueMonth, int dueDayOfMonth) =>
        Assert.Equal(new DateOnly(dueYear, dueMonth, dueDayOfMonth), MonthlyReports.DueOn(year, month, dueDay));
}
