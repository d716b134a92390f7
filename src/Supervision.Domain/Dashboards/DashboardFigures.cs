using Supervision.Domain.Calendar;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Domain.Dashboards;

public enum PeriodKind
{
    Month,
    Quarter,
    Year,
}

/// <summary>A reporting period: a calendar month, quarter or year (inclusive dates).</summary>
public sealed record Period(PeriodKind Kind, int Year, int Number, DateOnly From, DateOnly To)
{
    public string Label => Kind switch
    {
        PeriodKind.Month => $"{Year}-{Number:00}",
        PeriodKind.Quarter => $"{Year}-Q{Number}",
        _ => Year.ToString(CultureInfo.InvariantCulture),
    };

    public bool Contains(DateOnly? date) => date is { } d && Contains(d);

    public bool Contains(DateOnly date) => date >= From && date <= To;

    public static Period Month(int year, int month) => new(PeriodKind.Month, year, month, new DateOnly(year, month, 1), new DateOnly(year, month, 1).AddMonths(1).AddDays(-1));

    public static Period Quarter(int year, int quarter) =>
        new(PeriodKind.Quarter, year, quarter, new DateOnly(year, quarter * 3 - 2, 1), new DateOnly(year, quarter * 3 - 2, 1).AddMonths(3).AddDays(-1));

    public static Period WholeYear(int year) => new(PeriodKind.Year, year, 1, new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>Parses "2026", "2026-Q2" or "2026-03".</summary>
    public static Period? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToUpperInvariant();
        if (t.Length == 4 && int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2100) return WholeYear(y);
        if (t.Length == 7 && t[4] == '-' && int.TryParse(t[..4], NumberStyles.None, CultureInfo.InvariantCulture, out y) && y is >= 2000 and <= 2100)
        {
            if (t[5] == 'Q' && int.TryParse(t[6..], NumberStyles.None, CultureInfo.InvariantCulture, out var q) && q is >= 1 and <= 4) return Quarter(y, q);
            if (int.TryParse(t[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12) return Month(y, m);
        }
        return null;
    }
}

/// <summary>A share: <see cref="Numerator"/> of <see cref="Denominator"/>, as a percentage, beside its goal.</summary>
/// <param name="Met">Null when there is no goal or nothing to measure yet.</param>
public sealed record ShareFigure(string Key, int Numerator, int Denominator, decimal? Percent, decimal? Goal, bool? Met);

public sealed record OverdueNow(int ResultEntries, int Publications, int FollowUpMeasures);

/// <summary>Who the figures are for: one department, or every department of a region and the regions inside it.</summary>
public sealed record DashboardScope(string Kind, Guid? DepartmentId, string RegionCode, string Name, IReadOnlyCollection<Guid> DepartmentIds);

public sealed record Dashboard(
    DashboardScope Scope, string Period, DateOnly From, DateOnly To, DateOnly Today, int Draws, int Inspections, int EntitiesInspected, int EntitiesWithProblems,
    int ResultsPublished, IReadOnlyList<ShareFigure> Shares, OverdueNow OverdueNow, int VoidedPlans, int AdjustedPlans, int Recusals, int Replacements,
    string GoalSource, string? GoalsSetForRegion, int RegisteredEnterprises, string RegisteredEnterprisesSource,
    int VoidsAfterRandomness = 0, int Redraws = 0, int LongestRedoChain = 0, int Revisits = 0, int RevisitsFindingMissedProblems = 0);

/// <summary>The facts in reach of one dashboard, and the denominator of coverage.</summary>
/// <param name="TargetRegions">The region code of every target a case names (coverage counts entities by where they are).</param>
/// <param name="Catalogues">The result catalogue versions (shipped and loaded) the cases' results were recorded under; null: the shipped ones.</param>
/// <param name="Revisits">The revisits (随机抽查回访) in reach: counted by the day of the visit under the department they checked.</param>
public sealed record DashboardFacts(
    IReadOnlyCollection<PlanFact> Plans, IReadOnlyCollection<DrawFact> Draws, IReadOnlyCollection<CaseFact> Cases, IReadOnlyCollection<FollowUpFact> FollowUps,
    IReadOnlyDictionary<Guid, string> TargetRegions, ResultCatalogues? Catalogues = null, IReadOnlyCollection<Revisit>? Revisits = null)
{
    /// <summary>Whether the case found a problem, by the catalogue version of each of its results.</summary>
    public bool ProblemFound(CaseFact c) => c.ProblemFoundIn(Catalogues ?? ResultCatalogues.ShippedOnly);
}

/// <summary>
/// The counts behind one dashboard, before they become shares beside goals. Computed either from the facts in memory
/// (<see cref="DashboardFigures.Count"/>) or by SQL aggregates over the stored facts; the two must agree exactly.
/// </summary>
public sealed record DashboardCounts(
    int Draws, int JointDraws, int CreditClassDraws, int Inspections, int Entities, int JointEntities, int ProblemEntities, int Covered,
    int EntriesDue, int EnteredOnTime, int PublicationsDue, int PublishedOnTime, int MeasuresDue, int BackFilledOnTime,
    int OverdueEntries, int OverduePublications, int OverdueMeasures, int ResultsPublished, int VoidedPlans, int AdjustedPlans, int Recusals, int Replacements,
    int VoidsAfterRandomness, int Redraws, int LongestRedoChain, int Revisits = 0, int RevisitsProblemMissed = 0);

/// <summary>
/// Every dashboard figure as a pure function of the facts. Inspections are counted in the period their inspection ended,
/// draws in the period they were drawn, deadlines in the period they fell due; "overdue now" is as of <c>today</c>.
/// </summary>
public static class DashboardFigures
{
    /// <summary>Results are published within 20 working days of the day they exist (西双随机办字〔2022〕5号 (六)).</summary>
    public const int PublicationWorkingDays = 20;

    public static Dashboard Compute(DashboardScope scope, Period period, DateOnly today, DashboardFacts facts, ResolvedGoals goals,
        int registeredEnterprises, string registeredEnterprisesSource, WorkingDayCalendar calendar) =>
        Assemble(scope, period, today, Count(scope, period, today, facts, calendar), goals, registeredEnterprises, registeredEnterprisesSource);

    /// <summary>
    /// Every count behind a dashboard, from the facts in memory. This is the reference the SQL aggregates
    /// (<c>DashboardSql</c> in the API) must equal, and the path "as of" a past moment takes (its facts are replayed from the events).
    /// </summary>
    public static DashboardCounts Count(DashboardScope scope, Period period, DateOnly today, DashboardFacts facts, WorkingDayCalendar calendar)
    {
        var ourDepartments = scope.DepartmentIds.ToHashSet();
        bool Ours(Guid departmentId) => ourDepartments.Contains(departmentId);
        var plans = facts.Plans.Where(p => Ours(p.DepartmentId)).ToList();
        var plansById = facts.Plans.ToDictionary(p => p.Id);
        PlanTaskFact? TaskOf(DrawFact d) => plansById.GetValueOrDefault(d.PlanId)?.Task(d.TaskNumber);

        var ourDraws = facts.Draws.Where(d => Ours(d.DepartmentId)).ToList();
        var draws = ourDraws.Where(d => !d.Voided && period.Contains(d.DrawnOn)).ToList();
        var jointDraws = draws.Count(d => TaskOf(d)?.Joint == true);
        var creditDraws = draws.Count(d => TaskOf(d)?.ByCreditClass == true);

        var cases = facts.Cases.Where(c => !c.Withdrawn && c.DepartmentIds.Any(Ours)).ToList();
        var inspected = cases.Where(c => period.Contains(c.EndedOn)).ToList();
        var entities = inspected.Select(c => c.TargetId).ToHashSet();
        var jointEntities = inspected.Where(c => c.Joint).Select(c => c.TargetId).ToHashSet();
        var problemEntities = inspected.Where(facts.ProblemFound).Select(c => c.TargetId).ToHashSet();

        // Coverage is for the year to the period's end; a region counts every entity inside it, whoever inspected it
        // (tasks sent down from higher levels included), a department the entities it inspected.
        var yearToDate = new Period(PeriodKind.Year, period.Year, 1, new DateOnly(period.Year, 1, 1), period.To);
        var coverageCases = scope.Kind == "region"
            ? facts.Cases.Where(c => !c.Withdrawn && facts.TargetRegions.TryGetValue(c.TargetId, out var r) && RegionCodes.Within(r, scope.RegionCode))
            : cases;
        var covered = coverageCases.Where(c => yearToDate.Contains(c.EndedOn)).Select(c => c.TargetId).Distinct().Count();

        var entryDue = cases.Where(c => period.Contains(c.EntryDue) && (c.SubmittedOn is not null || c.EntryDue < today)).ToList();
        // By the dates, not the overdue flag: a return after the deadline, or a submission in the minutes before the
        // scheduled overdue check runs, is judged by when the last submission happened.
        var enteredOnTime = entryDue.Count(c => c.SubmittedOn <= c.EntryDue);

        DateOnly PublicationDue(CaseFact c) => calendar.AddWorkingDays(c.ResultsFormedOn!.Value, PublicationWorkingDays).Date;
        var publicationDue = cases.Where(c => c.ResultsFormedOn is not null && !c.Withheld).Select(c => (Case: c, Due: PublicationDue(c)))
            .Where(x => period.Contains(x.Due) && (x.Case.PublishedOn is not null || x.Due < today)).ToList();
        var publishedOnTime = publicationDue.Count(x => x.Case.PublishedOn <= x.Due);

        var measures = facts.FollowUps.SelectMany(f => f.Measures).Where(m => Ours(m.OwnerDepartmentId)).ToList();
        var measuresDue = measures.Where(m => period.Contains(m.DueOn) && (m.BackFilledOn is not null || m.DueOn < today)).ToList();
        var backFilledOnTime = measuresDue.Count(m => m.BackFilledOn is not null && !m.Late);

        // Revisits (随机抽查回访, issue 16) by the day of the visit, under the case's department they checked.
        var revisits = (facts.Revisits ?? []).Where(r => Ours(r.DepartmentId) && period.Contains(r.VisitedOn)).ToList();

        return new DashboardCounts(draws.Count, jointDraws, creditDraws, inspected.Count, entities.Count, jointEntities.Count, problemEntities.Count, covered,
            entryDue.Count, enteredOnTime, publicationDue.Count, publishedOnTime, measuresDue.Count, backFilledOnTime,
            cases.Count(c => c.SubmittedOn is null && c.EntryDue < today),
            cases.Count(c => c.ResultsFormedOn is not null && c.PublishedOn is null && !c.Withheld && PublicationDue(c) < today),
            measures.Count(m => m.BackFilledOn is null && m.DueOn < today),
            cases.Count(c => period.Contains(c.PublishedOn)),
            plans.Count(p => period.Contains(p.VoidedOn)), plans.Count(p => p.AdjustedOn.Any(period.Contains)),
            ourDraws.Sum(d => d.RecusedOn.Count(period.Contains)), ourDraws.Sum(d => d.ReplacedOn.Count(period.Contains)),
            ourDraws.Count(d => period.Contains(d.VoidedAfterRandomnessOn)), ourDraws.Count(d => d.ReplacesDrawId is not null && period.Contains(d.ScheduledOn)),
            LongestRedoChain(ourDraws.Where(d => period.Contains(d.ScheduledOn)).ToList(), facts.Draws),
            revisits.Count, revisits.Count(r => r.ProblemMissed));
    }

    /// <summary>The dashboard from its counts: the shares beside their goals. The same for the SQL path and the in-memory one.</summary>
    public static Dashboard Assemble(DashboardScope scope, Period period, DateOnly today, DashboardCounts n, ResolvedGoals goals,
        int registeredEnterprises, string registeredEnterprisesSource)
    {
        var goal = goals.Goals;
        var shares = new List<ShareFigure>
        {
            Share("jointInspectionShare", n.JointDraws, n.Draws, goal.JointInspectionShare),
            Share("jointEntityShare", n.JointEntities, n.Entities, goal.JointEntityShare),
            Share("creditClassDrawShare", n.CreditClassDraws, n.Draws, goal.CreditClassDrawShare),
            Share("coverage", n.Covered, registeredEnterprises, goal.Coverage),
            Share("problemRate", n.ProblemEntities, n.Entities, null),
            Share("enteredOnTimeShare", n.EnteredOnTime, n.EntriesDue, goal.EnteredOnTimeShare),
            Share("publishedOnTimeShare", n.PublishedOnTime, n.PublicationsDue, goal.PublishedOnTimeShare),
            Share("backFilledOnTimeShare", n.BackFilledOnTime, n.MeasuresDue, goal.BackFilledOnTimeShare),
            // The seeds ask revisits to raise the problem-discovery rate: the share of revisits that found a problem the inspection missed.
            Share("revisitMissedProblemShare", n.RevisitsProblemMissed, n.Revisits, null),
        };
        return new Dashboard(scope, period.Label, period.From, period.To, today, n.Draws, n.Inspections, n.Entities, n.ProblemEntities,
            n.ResultsPublished, shares, new OverdueNow(n.OverdueEntries, n.OverduePublications, n.OverdueMeasures),
            n.VoidedPlans, n.AdjustedPlans, n.Recusals, n.Replacements,
            goals.Source, goals.SetForRegion, registeredEnterprises, registeredEnterprisesSource,
            n.VoidsAfterRandomness, n.Redraws, n.LongestRedoChain, n.Revisits, n.RevisitsProblemMissed);
    }

    /// <summary>The most draws in one chain of redos (a draw, its redo, the redo's redo …) among the period's draws: 1 when nothing was redone.</summary>
    private static int LongestRedoChain(IReadOnlyCollection<DrawFact> draws, IReadOnlyCollection<DrawFact> all)
    {
        var byId = all.ToDictionary(d => d.Id);
        var longest = 0;
        foreach (var draw in draws)
        {
            var length = 1;
            for (var d = draw; d.ReplacesDrawId is { } previous && byId.TryGetValue(previous, out var before) && length <= all.Count; d = before) length++;
            longest = Math.Max(longest, length);
        }
        return longest;
    }

    /// <summary>A percentage to two decimals (half away from zero); a goal is met when the share reaches it.</summary>
    public static ShareFigure Share(string key, int numerator, int denominator, decimal? goal)
    {
        decimal? percent = denominator == 0 ? null : Math.Round(100m * numerator / denominator, 2, MidpointRounding.AwayFromZero);
        bool? met = goal is null || percent is null ? null : percent >= goal;
        return new ShareFigure(key, numerator, denominator, percent, goal, met);
    }
}
