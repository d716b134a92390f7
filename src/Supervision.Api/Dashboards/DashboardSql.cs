using System.Text.Json;
using Marten;
using Supervision.Domain.Calendar;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>
/// The live dashboard counts as SQL aggregates over the stored fact documents (issue 14: a province's year, 200,000 cases and
/// more, answers without loading a fact into memory). Many scopes (a region, its child regions, its departments) are counted in
/// one statement. Each scope's departments are a condition of the statement, so nothing outside the caller's scope is read into
/// the answer. Exactly equal to <see cref="DashboardFigures.Count"/> over the same facts (DashboardSqlEquivalenceTests); "as of"
/// a past moment still replays the events and counts in memory.
/// </summary>
public static class DashboardSql
{
    /// <summary>The counts for each scope, in the order given.</summary>
    public static async Task<IReadOnlyList<DashboardCounts>> CountAsync(IQuerySession session, IReadOnlyList<DashboardScope> scopes, Period period,
        DateOnly today, WorkingDayCalendar calendar, CancellationToken ct)
    {
        if (scopes.Count == 0) return [];
        var year = period.Year;
        var openedFrom = new DateOnly(year - 1, 1, 1);
        var scopeOfDepartment = new List<int>();
        var departments = new List<string>();
        var regionScopes = new List<int>();
        var regionPrefixes = new List<string>();
        for (var i = 0; i < scopes.Count; i++)
        {
            foreach (var d in scopes[i].DepartmentIds.Distinct())
            {
                scopeOfDepartment.Add(i);
                departments.Add(d.ToString());
            }
            if (scopes[i].Kind == "region")
            {
                regionScopes.Add(i);
                regionPrefixes.Add(PrefixOf(scopes[i].RegionCode));
            }
        }
        var (formed, due) = PublicationDueDays(calendar, openedFrom, today, period.To);

        var options = session.DocumentStore.Options.Schema;
        var sql = Statement(options.For<CaseFact>(), options.For<PublicationFact>(), options.For<FollowUpFact>(), options.For<PlanFact>(),
            options.For<DrawFact>(), options.For<Domain.Directories.Target>());
        var rows = await session.QueryAsync<string>(sql, ct,
            openedFrom, year - 1, year, period.From, period.To, new DateOnly(year, 1, 1), today,
            Enumerable.Range(0, scopes.Count).ToArray(), scopeOfDepartment.ToArray(), departments.ToArray(),
            regionScopes.ToArray(), regionPrefixes.ToArray(), formed, due);
        var counts = rows.Select(r => JsonSerializer.Deserialize<ScopeCounts>(r)!).ToDictionary(r => r.scope);
        return Enumerable.Range(0, scopes.Count).Select(i => counts[i].ToCounts()).ToList();
    }

    /// <summary>A region's code as the prefix every code inside it shares (GB/T 2260: province 13, city 1305, county 130528).</summary>
    public static string PrefixOf(string regionCode) =>
        regionCode[2..] == "0000" ? regionCode[..2] : regionCode[4..] == "00" ? regionCode[..4] : regionCode;

    /// <summary>
    /// The publication deadline (20 working days after the results exist) for every day results can have been formed on: from the
    /// first day a counted case can open to the later of today, the period's end and the real clock. The calendar is a pure function
    /// in C#, so the statement gets it as a table rather than reimplementing it.
    /// </summary>
    private static (DateOnly[] Formed, DateOnly[] Due) PublicationDueDays(WorkingDayCalendar calendar, DateOnly from, DateOnly today, DateOnly periodEnd)
    {
        var last = new[] { today, periodEnd, ChinaTime.DateOf(DateTimeOffset.UtcNow) }.Max().AddDays(1);
        var formed = new List<DateOnly>();
        var due = new List<DateOnly>();
        for (var day = from; day <= last; day = day.AddDays(1))
        {
            formed.Add(day);
            due.Add(calendar.AddWorkingDays(day, DashboardFigures.PublicationWorkingDays).Date);
        }
        return (formed.ToArray(), due.ToArray());
    }

    // Column names: the duplicated fields of DashboardModule; Joint and ProblemFound are the CaseFact's computed properties as
    // serialised with it. Dates compare as dates, department ids as their text in the documents.
    private static string Statement(string cases, string publications, string followUps, string plans, string draws, string targets) => $"""
        -- The array parameters are read through scalar subqueries on purpose (issue 14, EXPLAIN at 20,000 cases): seen as constants,
        -- their real lengths (500 scope-department pairs for a province) made the planner expect ~900,000 scope-case rows and pick
        -- plans that spill to disk (11.7 s); behind a subquery it keeps its small default estimate and the same answer took 2.9 s.
        with prm as materialized (
          select ?::date as opened_from, ?::int as y0, ?::int as y1, ?::date as p_from, ?::date as p_to, ?::date as ytd_from, ?::date as today),
        scopes as (select unnest((select ?::int[])) as scope),
        sd as (select * from unnest((select ?::int[]), (select ?::text[])) as t(scope, dept)),
        sr as (select * from unnest((select ?::int[]), (select ?::text[])) as t(scope, prefix)),
        cal as (select * from unnest((select ?::date[]), (select ?::date[])) as t(formed, due)),
        -- Every case a dashboard of the year can count: opened from 1 January of the year before, joined with its publication.
        c as materialized (
          select c.id, c.target_id, c.ended_on, c.entry_due, c.submitted_on, c.results_formed_on, coalesce((c.data ->> 'Withdrawn')::boolean, false) as withdrawn,
                 coalesce((c.data ->> 'Joint')::boolean, false) as joint, coalesce((c.data ->> 'ProblemFound')::boolean, false) as problem_found,
                 c.data -> 'DepartmentIds' as departments, p.published_on, coalesce(p.withheld, false) as withheld, cal.due as publication_due
          from {cases} c cross join prm
          left join (select case_id, min(published_on) as published_on, bool_or((data ->> 'Withheld')::boolean) as withheld from {publications} group by case_id) p
            on p.case_id = c.id
          left join cal on cal.formed = c.results_formed_on
          where c.opened_on >= prm.opened_from),
        -- Which scopes each set of departments belongs to: a case counts once in a scope however many of its departments are in it.
        dept_sets as (select distinct departments from c),
        set_scopes as (
          select distinct k.departments, sd.scope
          from dept_sets k cross join lateral jsonb_array_elements_text(k.departments) as d(dept) join sd on sd.dept = d.dept),
        cs as materialized (select s.scope, c.* from c join set_scopes s on s.departments = c.departments where not c.withdrawn),
        case_counts as (
          select scope,
            count(*) filter (where ended_on between p_from and p_to) as inspections,
            count(*) filter (where entry_due between p_from and p_to and (submitted_on is not null or entry_due < today)) as entries_due,
            count(*) filter (where entry_due between p_from and p_to and (submitted_on is not null or entry_due < today) and submitted_on <= entry_due) as entered_on_time,
            count(*) filter (where results_formed_on is not null and not withheld and publication_due between p_from and p_to
                             and (published_on is not null or publication_due < today)) as publications_due,
            count(*) filter (where results_formed_on is not null and not withheld and publication_due between p_from and p_to
                             and published_on <= publication_due) as published_on_time,
            count(*) filter (where submitted_on is null and entry_due < today) as overdue_entries,
            count(*) filter (where results_formed_on is not null and published_on is null and not withheld and publication_due < today) as overdue_publications,
            count(*) filter (where published_on between p_from and p_to) as results_published
          from cs cross join prm group by scope),
        -- Entities count once: first one row per scope and target, then the rows.
        scope_targets as (
          select scope, target_id,
            bool_or(ended_on between p_from and p_to) as inspected,
            bool_or(ended_on between p_from and p_to and joint) as joint,
            bool_or(ended_on between p_from and p_to and problem_found) as problem,
            bool_or(ended_on between ytd_from and p_to) as covered
          from cs cross join prm group by scope, target_id),
        entity_counts as (
          select scope, count(*) filter (where inspected) as entities, count(*) filter (where joint) as joint_entities,
                 count(*) filter (where problem) as problem_entities, count(*) filter (where covered) as covered
          from scope_targets group by scope),
        -- A region's coverage counts every entity inside it, whoever inspected it: by the target's region code.
        covered_targets as (
          select distinct t.data ->> 'RegionCode' as region, c.target_id
          from c cross join prm join {targets} t on t.id = c.target_id
          where not c.withdrawn and c.ended_on between prm.ytd_from and prm.p_to and exists (select 1 from sr)),
        region_coverage as (
          select sr.scope, count(distinct ct.target_id) as covered
          from covered_targets ct cross join lateral (values (left(ct.region, 2)), (left(ct.region, 4)), (ct.region)) as v(prefix)
          join sr on sr.prefix = v.prefix group by sr.scope),
        measures as (
          select m ->> 'OwnerDepartmentId' as owner, (m ->> 'DueOn')::date as due_on, (m ->> 'BackFilledOn')::date as back_filled_on,
                 coalesce((m ->> 'Late')::boolean, false) as late
          from {followUps} f join c on c.id = f.case_id cross join lateral jsonb_array_elements(f.data -> 'Measures') as m),
        measure_counts as (
          select sd.scope,
            count(*) filter (where due_on between p_from and p_to and (back_filled_on is not null or due_on < today)) as measures_due,
            count(*) filter (where due_on between p_from and p_to and (back_filled_on is not null or due_on < today) and back_filled_on is not null and not late) as back_filled_on_time,
            count(*) filter (where back_filled_on is null and due_on < today) as overdue_measures
          from measures join sd on sd.dept = measures.owner cross join prm group by sd.scope),
        pl as (select p.id, p.data from {plans} p cross join prm where (p.data ->> 'Year')::int between prm.y0 and prm.y1),
        plan_counts as (
          select sd.scope,
            count(*) filter (where (pl.data ->> 'VoidedOn')::date between p_from and p_to) as voided_plans,
            count(*) filter (where exists (select 1 from jsonb_array_elements_text(pl.data -> 'AdjustedOn') a where a::date between p_from and p_to)) as adjusted_plans
          from pl join sd on sd.dept = pl.data ->> 'DepartmentId' cross join prm group by sd.scope),
        dr as (
          select d.id, d.data, d.data ->> 'DepartmentId' as dept, (d.data ->> 'PlanId')::uuid as plan_id, d.data ->> 'TaskNumber' as task_number,
                 coalesce((d.data ->> 'Voided')::boolean, false) as voided, (d.data ->> 'DrawnOn')::date as drawn_on, (d.data ->> 'ScheduledOn')::date as scheduled_on,
                 (d.data ->> 'VoidedAfterRandomnessOn')::date as voided_after_randomness_on, (d.data ->> 'ReplacesDrawId')::uuid as replaces
          from {draws} d cross join prm where (d.data ->> 'Year')::int between prm.y0 and prm.y1),
        draw_counts as (
          select sd.scope,
            count(*) filter (where not voided and drawn_on between p_from and p_to) as draws,
            count(*) filter (where not voided and drawn_on between p_from and p_to and coalesce((task ->> 'Joint')::boolean, false)) as joint_draws,
            count(*) filter (where not voided and drawn_on between p_from and p_to and coalesce((task ->> 'ByCreditClass')::boolean, false)) as credit_class_draws,
            coalesce(sum((select count(*) from jsonb_array_elements_text(dr.data -> 'RecusedOn') r where r::date between p_from and p_to)), 0) as recusals,
            coalesce(sum((select count(*) from jsonb_array_elements_text(dr.data -> 'ReplacedOn') r where r::date between p_from and p_to)), 0) as replacements,
            count(*) filter (where voided_after_randomness_on between p_from and p_to) as voids_after_randomness,
            count(*) filter (where replaces is not null and scheduled_on between p_from and p_to) as redraws
          from dr join sd on sd.dept = dr.dept cross join prm
          -- The task a draw is for: the first of its plan's tasks with that number, as PlanFact.Task finds it.
          left join lateral (select t from {plans} p2, jsonb_array_elements(p2.data -> 'Tasks') with ordinality as x(t, n)
                             where p2.id = dr.plan_id and (p2.data ->> 'Year')::int between prm.y0 and prm.y1 and t ->> 'Number' = dr.task_number
                             order by n limit 1) as pt(task) on true
          group by sd.scope),
        -- The longest chain of redos among the period's draws, following each redo to the draw it replaced (guarded against cycles
        -- as the in-memory walk is: no longer than the number of draws plus one).
        chain as (
          with recursive walk(scope, replaces, length) as (
            select sd.scope, dr.replaces, 1 from dr join sd on sd.dept = dr.dept cross join prm where dr.scheduled_on between prm.p_from and prm.p_to
            union all
            select w.scope, before.replaces, w.length + 1 from walk w join dr as before on before.id = w.replaces
            where w.length <= (select count(*) from dr))
          select scope, max(length) as longest_redo_chain from walk group by scope)
        select json_build_object(
          'scope', s.scope,
          'draws', coalesce(dc.draws, 0), 'joint_draws', coalesce(dc.joint_draws, 0), 'credit_class_draws', coalesce(dc.credit_class_draws, 0),
          'inspections', coalesce(cc.inspections, 0), 'entities', coalesce(ec.entities, 0), 'joint_entities', coalesce(ec.joint_entities, 0),
          'problem_entities', coalesce(ec.problem_entities, 0),
          'covered', coalesce(case when exists (select 1 from sr where sr.scope = s.scope) then rc.covered else ec.covered end, 0),
          'entries_due', coalesce(cc.entries_due, 0), 'entered_on_time', coalesce(cc.entered_on_time, 0),
          'publications_due', coalesce(cc.publications_due, 0), 'published_on_time', coalesce(cc.published_on_time, 0),
          'measures_due', coalesce(mc.measures_due, 0), 'back_filled_on_time', coalesce(mc.back_filled_on_time, 0),
          'overdue_entries', coalesce(cc.overdue_entries, 0), 'overdue_publications', coalesce(cc.overdue_publications, 0),
          'overdue_measures', coalesce(mc.overdue_measures, 0), 'results_published', coalesce(cc.results_published, 0),
          'voided_plans', coalesce(pc.voided_plans, 0), 'adjusted_plans', coalesce(pc.adjusted_plans, 0),
          'recusals', coalesce(dc.recusals, 0), 'replacements', coalesce(dc.replacements, 0),
          'voids_after_randomness', coalesce(dc.voids_after_randomness, 0), 'redraws', coalesce(dc.redraws, 0),
          'longest_redo_chain', coalesce(ch.longest_redo_chain, 0))::text
        from scopes s
        left join case_counts cc on cc.scope = s.scope
        left join entity_counts ec on ec.scope = s.scope
        left join region_coverage rc on rc.scope = s.scope
        left join measure_counts mc on mc.scope = s.scope
        left join plan_counts pc on pc.scope = s.scope
        left join draw_counts dc on dc.scope = s.scope
        left join chain ch on ch.scope = s.scope
        """;

    // Field names as the statement spells them.
#pragma warning disable IDE1006, CA1707
    private sealed record ScopeCounts(int scope, int draws, int joint_draws, int credit_class_draws, int inspections, int entities, int joint_entities,
        int problem_entities, int covered, int entries_due, int entered_on_time, int publications_due, int published_on_time, int measures_due,
        int back_filled_on_time, int overdue_entries, int overdue_publications, int overdue_measures, int results_published, int voided_plans,
        int adjusted_plans, int recusals, int replacements, int voids_after_randomness, int redraws, int longest_redo_chain)
    {
        public DashboardCounts ToCounts() => new(draws, joint_draws, credit_class_draws, inspections, entities, joint_entities, problem_entities, covered,
            entries_due, entered_on_time, publications_due, published_on_time, measures_due, back_filled_on_time, overdue_entries, overdue_publications,
            overdue_measures, results_published, voided_plans, adjusted_plans, recusals, replacements, voids_after_randomness, redraws, longest_redo_chain);
    }
#pragma warning restore IDE1006, CA1707
}
