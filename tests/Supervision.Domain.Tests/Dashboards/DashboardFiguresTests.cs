using Supervision.Domain.Dashboards;
using static Supervision.Domain.Tests.Dashboards.DashboardWorld;

namespace Supervision.Domain.Tests.Dashboards;

/// <summary>
/// Every dashboard figure projected from the world's events (see <see cref="DashboardWorld"/>), for the market department
/// and for county 130185, by month, quarter and year, as of Friday 2026-04-17. Expected numbers are counted by hand.
/// </summary>
public sealed class DashboardFiguresTests
{
    private static readonly DashboardScope MarketScope = new("department", Market, "130185", MarketName, new HashSet<Guid> { Market });
    private static readonly DashboardScope CountyScope = new("region", null, "130185", "鹿泉区", new HashSet<Guid> { Market, Tax });

    /// <summary>The city's own goals for 2026; the county has none, so it inherits them.</summary>
    private static readonly GoalSetting CityGoals = new(GoalSetting.IdFor("130100", 2026), "130100", 2026, new DashboardGoals(30m, 20m, 50m, 3m, 90m, 90m, 90m),
        5000, 23, "石市双随机办〔2026〕1号", 1);

    private static readonly string[] Keys =
        ["jointInspectionShare", "jointEntityShare", "creditClassDrawShare", "coverage", "problemRate", "enteredOnTimeShare", "publishedOnTimeShare", "backFilledOnTimeShare",
         "revisitMissedProblemShare"];

    /// <summary>The market department's dashboard, before any region set goals: the 2026 seed (石鹿市监〔2026〕6号); 120 entities in its directory.</summary>
    private static Dashboard MarketDashboard(Period period)
    {
        var goals = GoalRules.Resolve("130185", 2026, []);
        return DashboardFigures.Compute(MarketScope, period, Today, Facts, goals, 120, "target-directory", WorkingDays);
    }

    /// <summary>The county's dashboard with the city's goals; 200 enterprises registered in the county at the end of 2025.</summary>
    private static Dashboard CountyDashboard(Period period)
    {
        var goals = GoalRules.Resolve("130185", 2026, [CityGoals]);
        return DashboardFigures.Compute(CountyScope, period, Today, Facts, goals, 200, "市场主体统计2025年末", WorkingDays);
    }

    private static void Share(Dashboard d, string key, int numerator, int denominator, decimal? percent, decimal? goal, bool? met)
    {
        Assert.Equal(Keys, d.Shares.Select(s => s.Key));
        Assert.Equal(new ShareFigure(key, numerator, denominator, percent, goal, met), d.Shares.Single(s => s.Key == key));
    }

    private static void Header(Dashboard d, DashboardScope scope, string label, DateOnly from, DateOnly to)
    {
        Assert.Same(scope, d.Scope);
        Assert.Equal((label, from, to, Today), (d.Period, d.From, d.To, d.Today));
    }

    // ---------------- The market department (seed goals: 100/100/100, coverage 3, on-time 100) ----------------

    [Fact]
    public void Market_department_March_2026()
    {
        var d = MarketDashboard(Period.Month(2026, 3));
        Header(d, MarketScope, "2026-03", D(3, 1), D(3, 31));
        Assert.Equal(2, d.Draws);                 // D1 (drawn 3-02, joint) and D2 (3-05, credit); D0 drawn 2-10, D6 4-01; Tax's D3/D4 not ours
        Assert.Equal(5, d.Inspections);           // ended in March: C1 (3-10), C2 (3-20), C3 (3-06), C4 (3-09), C10 (3-16); C0 ended 2-27, C11 4-08
        Assert.Equal(4, d.EntitiesInspected);     // E1, E2, E3 (C3 and C10), E4
        Assert.Equal(2, d.EntitiesWithProblems);  // E1 (C1: m2 problem-rectified), E4 (C4: problem-pending); C3 no-activity, C2/C10 no-problem
        Assert.Equal(1, d.ResultsPublished);      // C0 published 3-20; C1 4-10, C3 4-13, C4 4-14; C2 withheld
        Share(d, "jointInspectionShare", 1, 2, 50m, 100m, false);   // D1 of {D1, D2}
        Share(d, "jointEntityShare", 2, 4, 50m, 100m, false);       // E1, E2 (joint C1, C2) of the 4 entities
        Share(d, "creditClassDrawShare", 1, 2, 50m, 100m, false);   // D2 of {D1, D2}
        Share(d, "coverage", 5, 120, 4.17m, 3m, true);              // 1-01..3-31: E0 (C0 2-27), E1, E2, E3, E4 = 5 of 120 = 4.1666..% -> 4.17
        Share(d, "problemRate", 2, 4, 50m, null, null);             // E1, E4 of 4; no goal
        Share(d, "enteredOnTimeShare", 1, 1, 100m, 100m, true);     // entry due in March: only C0 (3-26), submitted 3-02 without overdue
        Share(d, "publishedOnTimeShare", 1, 1, 100m, 100m, true);   // publication due in March: only C0 (formed 3-03, due 3-31), published 3-20
        Share(d, "backFilledOnTimeShare", 1, 1, 100m, 100m, true);  // Market's measures due in March: #1 (due 3-20, back-filled 3-19); #2 is Tax's
        Assert.Equal(new OverdueNow(1, 0, 1), d.OverdueNow);       // C10 never submitted (due 4-14); no unpublished formed case of ours (C2 withheld); #3 (due 4-10) open
        Assert.Equal(0, d.VoidedPlans);           // P2 voided 2-05
        Assert.Equal(1, d.AdjustedPlans);         // P1 adjustment started 3-10
        Assert.Equal(1, d.Recusals);              // D1 3-04
        Assert.Equal(1, d.Replacements);          // D1 3-04
        Assert.Equal(("石鹿市监〔2026〕6号", (string?)null, 120, "target-directory"), (d.GoalSource, d.GoalsSetForRegion, d.RegisteredEnterprises, d.RegisteredEnterprisesSource));
    }

    [Fact]
    public void Market_department_first_quarter_2026()
    {
        var d = MarketDashboard(Period.Quarter(2026, 1));
        Header(d, MarketScope, "2026-Q1", D(1, 1), D(3, 31));
        Assert.Equal(3, d.Draws);                 // D0 (2-10, credit), D1 (joint), D2 (credit)
        Assert.Equal(6, d.Inspections);           // March's five + C0 (ended 2-27)
        Assert.Equal(5, d.EntitiesInspected);     // E0, E1, E2, E3, E4
        Assert.Equal(2, d.EntitiesWithProblems);  // E1, E4
        Assert.Equal(1, d.ResultsPublished);      // C0 (3-20)
        Share(d, "jointInspectionShare", 1, 3, 33.33m, 100m, false); // D1 of 3 = 33.333..%
        Share(d, "jointEntityShare", 2, 5, 40m, 100m, false);        // E1, E2 of 5
        Share(d, "creditClassDrawShare", 2, 3, 66.67m, 100m, false); // D0, D2 of 3 = 66.666..%
        Share(d, "coverage", 5, 120, 4.17m, 3m, true);               // year to 3-31: same 5 entities as for March
        Share(d, "problemRate", 2, 5, 40m, null, null);
        Share(d, "enteredOnTimeShare", 1, 1, 100m, 100m, true);      // C0 (due 3-26) is the only entry deadline in Q1
        Share(d, "publishedOnTimeShare", 1, 1, 100m, 100m, true);    // C0 (due 3-31)
        Share(d, "backFilledOnTimeShare", 1, 1, 100m, 100m, true);   // #1 (due 3-20)
        Assert.Equal(new OverdueNow(1, 0, 1), d.OverdueNow);        // "now" does not depend on the period
        Assert.Equal(1, d.VoidedPlans);           // P2 (2-05)
        Assert.Equal(1, d.AdjustedPlans);         // P1 (3-10)
        Assert.Equal(1, d.Recusals);              // D1 (3-04)
        Assert.Equal(1, d.Replacements);
        Assert.Equal("石鹿市监〔2026〕6号", d.GoalSource);
    }

    [Fact]
    public void Market_department_whole_year_2026()
    {
        var d = MarketDashboard(Period.WholeYear(2026));
        Header(d, MarketScope, "2026", D(1, 1), D(12, 31));
        Assert.Equal(4, d.Draws);                 // D0, D1, D2, D6 (4-01, credit)
        Assert.Equal(7, d.Inspections);           // Q1's six + C11 (4-08)
        Assert.Equal(6, d.EntitiesInspected);     // E0..E4, E11
        Assert.Equal(3, d.EntitiesWithProblems);  // E1, E4, E11 (uncooperative, though not yet submitted)
        Assert.Equal(4, d.ResultsPublished);      // C0 3-20, C1 4-10, C3 4-13, C4 4-14
        Share(d, "jointInspectionShare", 1, 4, 25m, 100m, false);    // D1 of 4
        Share(d, "jointEntityShare", 2, 6, 33.33m, 100m, false);     // E1, E2 of 6
        Share(d, "creditClassDrawShare", 3, 4, 75m, 100m, false);    // D0, D2, D6 of 4
        Share(d, "coverage", 6, 120, 5m, 3m, true);                  // 6 of 120
        Share(d, "problemRate", 3, 6, 50m, null, null);
        // Entry deadlines in 2026 that are met or past (today 4-17): C0 3-26 ok, C1 4-08 ok (3-13), C2 4-20 (submitted 3-24, counts
        // before its day) ok, C3 4-03 late (overdue raised 4-04, submitted 4-08), C4 4-07 ok, C10 4-14 missed (never submitted);
        // C11 (due 5-09, not submitted) not yet counted. 4 of 6 = 66.666..%.
        Share(d, "enteredOnTimeShare", 4, 6, 66.67m, 100m, false);
        // Publication deadlines (20 working days after the results formed): C0 3-31 (published 3-20 ok), C1 4-15 (4-10 ok),
        // C3 5-11 (formed 4-09; 4-10, 13-17, 20-24, 27-30, 5-06..08, 5-09 worked Saturday, 5-11; published 4-13 ok),
        // C4 4-09 (formed 3-11; 清明 4-04..06 skipped; published 4-14 late). C2 is withheld and does not count. 3 of 4.
        Share(d, "publishedOnTimeShare", 3, 4, 75m, 100m, false);
        Share(d, "backFilledOnTimeShare", 1, 2, 50m, 100m, false);   // Market's #1 (on time) and #3 (due 4-10, open); #2 is Tax's
        Assert.Equal(new OverdueNow(1, 0, 1), d.OverdueNow);
        Assert.Equal(1, d.VoidedPlans);           // P2
        Assert.Equal(1, d.AdjustedPlans);         // P1
        Assert.Equal(2, d.Recusals);              // D1 3-04, D6 4-02
        Assert.Equal(2, d.Replacements);          // D1 3-04, D6 4-02
    }

    // ---------------- County 130185 (Market + Tax; the city's goals 30/20/50, coverage 3, on-time 90) ----------------

    [Fact]
    public void County_March_2026()
    {
        var d = CountyDashboard(Period.Month(2026, 3));
        Header(d, CountyScope, "2026-03", D(3, 1), D(3, 31));
        Assert.Equal(3, d.Draws);                 // D1, D2, D4 (Tax, 3-10); D3 (3-06) voided; D5/D7 belong to departments outside the county
        Assert.Equal(6, d.Inspections);           // Market's five + C5 (Tax, 3-13); C6 withdrawn
        Assert.Equal(5, d.EntitiesInspected);     // E1, E2, E3, E4, E5
        Assert.Equal(2, d.EntitiesWithProblems);  // E1, E4
        Assert.Equal(1, d.ResultsPublished);      // C0 (3-20); C7 (3-30) is the city department's
        Share(d, "jointInspectionShare", 1, 3, 33.33m, 30m, true);   // D1 of {D1, D2, D4}
        Share(d, "jointEntityShare", 2, 5, 40m, 20m, true);          // E1, E2 of 5
        Share(d, "creditClassDrawShare", 1, 3, 33.33m, 50m, false);  // D2 of 3
        // Coverage counts every entity in the county whoever inspected it, year to 3-31: E0, E1, E2, E3, E4, E5 and E7 (the city
        // department's C7, ended 3-12); E8, E9 are in 130102, E6's case was withdrawn. 7 of 200 = 3.5%.
        Share(d, "coverage", 7, 200, 3.5m, 3m, true);
        Share(d, "problemRate", 2, 5, 40m, null, null);
        Share(d, "enteredOnTimeShare", 1, 1, 100m, 90m, true);       // only C0 (due 3-26) falls due in March
        Share(d, "publishedOnTimeShare", 1, 1, 100m, 90m, true);     // only C0 (due 3-31)
        Share(d, "backFilledOnTimeShare", 1, 2, 50m, 90m, false);    // #1 (Market, 3-20, on time), #2 (Tax, 3-27, back-filled 4-01: Late)
        Assert.Equal(new OverdueNow(1, 1, 1), d.OverdueNow);        // C10 entry; C5 publication (due 4-16 < 4-17, unpublished); #3
        Assert.Equal(0, d.VoidedPlans);
        Assert.Equal(1, d.AdjustedPlans);         // P1 (3-10); P3's adjustment is in April
        Assert.Equal(1, d.Recusals);              // D1
        Assert.Equal(1, d.Replacements);
        Assert.Equal(("石市双随机办〔2026〕1号", (string?)"130100", 200, "市场主体统计2025年末"),
            (d.GoalSource, d.GoalsSetForRegion, d.RegisteredEnterprises, d.RegisteredEnterprisesSource));
    }

    [Fact]
    public void County_first_quarter_2026()
    {
        var d = CountyDashboard(Period.Quarter(2026, 1));
        Header(d, CountyScope, "2026-Q1", D(1, 1), D(3, 31));
        Assert.Equal(4, d.Draws);                 // D0, D1, D2, D4
        Assert.Equal(7, d.Inspections);           // March's six + C0
        Assert.Equal(6, d.EntitiesInspected);     // E0..E5
        Assert.Equal(2, d.EntitiesWithProblems);  // E1, E4
        Assert.Equal(1, d.ResultsPublished);      // C0
        Share(d, "jointInspectionShare", 1, 4, 25m, 30m, false);     // D1 of 4
        Share(d, "jointEntityShare", 2, 6, 33.33m, 20m, true);       // E1, E2 of 6
        Share(d, "creditClassDrawShare", 2, 4, 50m, 50m, true);      // D0, D2 of 4: exactly the goal, which counts as met
        Share(d, "coverage", 7, 200, 3.5m, 3m, true);                // as for March (year to 3-31)
        Share(d, "problemRate", 2, 6, 33.33m, null, null);
        Share(d, "enteredOnTimeShare", 1, 1, 100m, 90m, true);       // C0
        Share(d, "publishedOnTimeShare", 1, 1, 100m, 90m, true);     // C0
        Share(d, "backFilledOnTimeShare", 1, 2, 50m, 90m, false);    // #1, #2
        Assert.Equal(new OverdueNow(1, 1, 1), d.OverdueNow);
        Assert.Equal(1, d.VoidedPlans);           // P2 (2-05)
        Assert.Equal(1, d.AdjustedPlans);         // P1
        Assert.Equal(1, d.Recusals);
        Assert.Equal(1, d.Replacements);
    }

    [Fact]
    public void County_whole_year_2026()
    {
        var d = CountyDashboard(Period.WholeYear(2026));
        Header(d, CountyScope, "2026", D(1, 1), D(12, 31));
        Assert.Equal(5, d.Draws);                 // D0, D1, D2, D4, D6
        Assert.Equal(8, d.Inspections);           // C0, C1, C2, C3, C4, C5, C10, C11
        Assert.Equal(7, d.EntitiesInspected);     // E0..E5, E11
        Assert.Equal(3, d.EntitiesWithProblems);  // E1, E4, E11
        Assert.Equal(4, d.ResultsPublished);      // C0, C1, C3, C4
        Share(d, "jointInspectionShare", 1, 5, 20m, 30m, false);     // D1 of 5
        Share(d, "jointEntityShare", 2, 7, 28.57m, 20m, true);       // 2 of 7 = 28.571..%
        Share(d, "creditClassDrawShare", 3, 5, 60m, 50m, true);      // D0, D2, D6 of 5
        Share(d, "coverage", 8, 200, 4m, 3m, true);                  // the seven above + E11
        Share(d, "problemRate", 3, 7, 42.86m, null, null);           // 3 of 7 = 42.857..%
        // As for the market department plus C5 (Tax, due 4-13, submitted 3-16: on time): C0, C1, C2, C4, C5 of those 7.
        Share(d, "enteredOnTimeShare", 5, 7, 71.43m, 90m, false);
        // C0, C1, C3 on time; C4 late; C5 due 4-16 (formed 3-18), still unpublished on 4-17: late. 3 of 5.
        Share(d, "publishedOnTimeShare", 3, 5, 60m, 90m, false);
        Share(d, "backFilledOnTimeShare", 1, 3, 33.33m, 90m, false); // #1 on time; #2 late; #3 open past 4-10
        Assert.Equal(new OverdueNow(1, 1, 1), d.OverdueNow);
        Assert.Equal(1, d.VoidedPlans);           // P2
        Assert.Equal(2, d.AdjustedPlans);         // P1 (3-10), P3 (4-03)
        Assert.Equal(2, d.Recusals);              // D1, D6
        Assert.Equal(2, d.Replacements);
    }

    [Fact]
    public void April_counts_deadlines_falling_due_in_April_and_waits_for_those_not_yet_reached()
    {
        var d = CountyDashboard(Period.Month(2026, 4));
        Assert.Equal(1, d.Draws);                 // D6 (4-01)
        Assert.Equal(1, d.Inspections);           // C11 (4-08)
        Assert.Equal(3, d.ResultsPublished);      // C1 4-10, C3 4-13, C4 4-14
        // Entry deadlines in April: C1 4-08, C2 4-20 (already submitted), C3 4-03 (late), C4 4-07, C5 4-13, C10 4-14 (missed). 4 of 6.
        Share(d, "enteredOnTimeShare", 4, 6, 66.67m, 90m, false);
        // Publication deadlines in April: C1 4-15 ok, C4 4-09 late, C5 4-16 unpublished; C3's is 5-11, C2 withheld. 1 of 3.
        Share(d, "publishedOnTimeShare", 1, 3, 33.33m, 90m, false);
        Share(d, "backFilledOnTimeShare", 0, 1, 0m, 90m, false);     // #3 (4-10)
        Assert.Equal(1, d.AdjustedPlans);         // P3 (4-03)
        Assert.Equal((1, 1), (d.Recusals, d.Replacements)); // D6 (4-02)
    }

    [Fact]
    public void A_publication_due_today_is_neither_counted_nor_overdue_until_tomorrow()
    {
        // C5's results formed 3-18; publication due 4-16. On 4-16 it is not yet late, on 4-17 it is.
        var goals = GoalRules.Resolve("130185", 2026, []);
        var tax = new DashboardScope("department", Tax, "130185", TaxName, new HashSet<Guid> { Tax });
        var onTheDay = DashboardFigures.Compute(tax, Period.Month(2026, 4), D(4, 16), Facts, goals, 50, "target-directory", WorkingDays);
        var dayAfter = DashboardFigures.Compute(tax, Period.Month(2026, 4), D(4, 17), Facts, goals, 50, "target-directory", WorkingDays);
        // On 4-16 Tax's April publication deadlines: C1 (4-15, published 4-10) only.
        Assert.Equal(new ShareFigure("publishedOnTimeShare", 1, 1, 100m, 100m, true), onTheDay.Shares.Single(s => s.Key == "publishedOnTimeShare"));
        Assert.Equal(0, onTheDay.OverdueNow.Publications);
        Assert.Equal(new ShareFigure("publishedOnTimeShare", 1, 2, 50m, 100m, false), dayAfter.Shares.Single(s => s.Key == "publishedOnTimeShare"));
        Assert.Equal(1, dayAfter.OverdueNow.Publications);
    }

    [Fact]
    public void Shares_round_half_away_from_zero_and_have_no_percentage_or_verdict_without_a_denominator()
    {
        Assert.Equal(new ShareFigure("x", 1, 8, 12.5m, 12.5m, true), DashboardFigures.Share("x", 1, 8, 12.5m));
        Assert.Equal(new ShareFigure("x", 1, 6, 16.67m, null, null), DashboardFigures.Share("x", 1, 6, null));
        Assert.Equal(new ShareFigure("x", 1, 400, 0.25m, 1m, false), DashboardFigures.Share("x", 1, 400, 1m));
        Assert.Equal(new ShareFigure("x", 1, 800, 0.13m, null, null), DashboardFigures.Share("x", 1, 800, null)); // 0.125 -> 0.13
        Assert.Equal(new ShareFigure("x", 0, 0, null, 100m, null), DashboardFigures.Share("x", 0, 0, 100m));
    }
}
