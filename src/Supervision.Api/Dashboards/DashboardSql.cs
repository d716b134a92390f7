using System.Text.Json;
using Supervision.Domain.Calendar;
using Supervision.Domain.Dashboards;

namespace Supervision.Api.Dashboards;

/// <summary>
/// The live dashboard counts (issue 14: a province's year, 200,000 cases and more, in a few milliseconds): one statement sums the
/// rollups of each scope's key (<see cref="DashboardRollup"/>, kept by triggers in the facts' own transactions) and counts the few
/// plans, draws and revisits of its departments. Many scopes (a region, its child regions, its departments) are counted at once; only
/// the rows of the caller's scopes are read. Exactly equal to <see cref="DashboardFigures.Count"/> over the same facts
/// (DashboardSqlEquivalenceTests); "as of" a past moment still replays the events and counts in memory.
/// </summary>
public static class DashboardSql
{
    /// <summary>
    /// The counts for each scope, in the order given. A scope is a department (its own figures) or a region (every department in it and
    /// in the regions below, as <c>DashboardEndpoints.Region</c> builds it): each is one key of the rollups (<see cref="DashboardRollup"/>).
    /// </summary>
    public static async Task<IReadOnlyList<DashboardCounts>> CountAsync(IQuerySession session, IReadOnlyList<DashboardScope> scopes, Period period,
        DateOnly today, WorkingDayCalendar calendar, CancellationToken ct)
    {
        if (scopes.Count == 0) return [];
        var year = period.Year;
        var openedFrom = new DateOnly(year - 1, 1, 1);
        var keys = new string[scopes.Count];
        var locations = new string?[scopes.Count];
        var scopeOfDepartment = new List<int>();
        var departments = new List<string>();
        for (var i = 0; i < scopes.Count; i++)
        {
            var scope = scopes[i];
            if (scope.Kind == "region")
            {
                keys[i] = "r:" + scope.RegionCode;
                locations[i] = "l:" + scope.RegionCode;
            }
            else if (scope.DepartmentId is { } id && scope.DepartmentIds.Count == 1 && scope.DepartmentIds.Contains(id)) keys[i] = "d:" + id;
            else throw new ArgumentException($"A dashboard scope is a department or a region; '{scope.Name}' is neither.", nameof(scopes));
            foreach (var d in scope.DepartmentIds.Distinct())
            {
                scopeOfDepartment.Add(i);
                departments.Add(d.ToString());
            }
        }
        await SyncPublicationDueAsync(session, calendar, openedFrom, today, period.To, ct);

        // "Before today" figures sum whole months where they can and days at the edges.
        var beforeToday = today.AddDays(-1);
        var dueInPeriod = new DayRange(period.From, period.To < beforeToday ? period.To : beforeToday);
        var overdue = new DayRange(DateOnly.MinValue, beforeToday);
        var periodMonths = MonthMask(period.From, period.To);
        var yearToDate = MonthMask(new DateOnly(year, 1, 1), period.To);

        var options = session.DocumentStore.Options.Schema;
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var sql = Statement(schema, options.For<PlanFact>(), options.For<DrawFact>(), options.For<Domain.Revisits.Revisit>());
        var rows = await session.QueryAsync<string>(sql, ct,
            year - 1, year, period.From, period.To, periodMonths, yearToDate,
            Enumerable.Range(0, scopes.Count).ToArray(), keys, locations, scopeOfDepartment.ToArray(), departments.ToArray(),
            dueInPeriod.From, dueInPeriod.To, dueInPeriod.FullFrom, dueInPeriod.FullTo,
            overdue.From, overdue.To, overdue.FullFrom, overdue.FullTo);
        var counts = rows.Select(r => JsonSerializer.Deserialize<ScopeCounts>(r)!).ToDictionary(r => r.scope);
        return Enumerable.Range(0, scopes.Count).Select(i => counts[i].ToCounts()).ToList();
    }

    /// <summary>A range of days, and the whole months inside it (<c>FullFrom</c> ≤ month start &lt; <c>FullTo</c>).</summary>
    private sealed record DayRange(DateOnly From, DateOnly To, DateOnly FullFrom, DateOnly FullTo)
    {
        public DayRange(DateOnly from, DateOnly to) : this(from, to, CeilingMonth(from), FloorMonth(to == DateOnly.MaxValue ? to : to.AddDays(1))) { }

        private static DateOnly FloorMonth(DateOnly d) => new(d.Year, d.Month, 1);

        private static DateOnly CeilingMonth(DateOnly d) => d.Day == 1 ? d : FloorMonth(d).AddMonths(1);
    }

    /// <summary>The months of a period within its year as bits (January = bit 0), as the target masks keep them.</summary>
    private static int MonthMask(DateOnly from, DateOnly to)
    {
        var mask = 0;
        for (var m = from.Month; m <= to.Month; m++) mask |= 1 << (m - 1);
        return mask;
    }

    /// <summary>A region's code as the prefix every code inside it shares (GB/T 2260: province 13, city 1305, county 130528).</summary>
    public static string PrefixOf(string regionCode) =>
        regionCode[2..] == "0000" ? regionCode[..2] : regionCode[4..] == "00" ? regionCode[..4] : regionCode;

    /// <summary>
    /// Makes the stored publication deadlines (20 working days after the results exist) agree with the calendar for every day results
    /// can have been formed on: from the first day a counted case can open to the later of today, the period's end and the real clock.
    /// The calendar is a pure function in C#; a holiday notice loaded later changes deadlines, and the cases they move are recounted here,
    /// on the primary, before the answer is read.
    /// </summary>
    private static async Task SyncPublicationDueAsync(IQuerySession session, WorkingDayCalendar calendar, DateOnly from, DateOnly today, DateOnly periodEnd,
        CancellationToken ct)
    {
        var last = new[] { today, periodEnd, ChinaTime.DateOf(DateTimeOffset.UtcNow) }.Max().AddDays(1);
        var formed = new List<DateOnly>();
        var due = new List<DateOnly>();
        for (var day = from; day <= last; day = day.AddDays(1))
        {
            formed.Add(day);
            due.Add(calendar.AddWorkingDays(day, DashboardFigures.PublicationWorkingDays).Date);
        }
        var schema = session.DocumentStore.Options.DatabaseSchemaName;
        var state = await session.QueryAsync<string>(
            $"select (select count(*) from unnest(?::date[], ?::date[]) w(formed, due) left join {schema}.dashboard_publication_due d on d.formed = w.formed " +
            $"where d.due is distinct from w.due)::text || '|' || (select count(*) from pg_trigger where tgname in ('dashboard_case_changed', " +
            $"'dashboard_publication_changed', 'dashboard_followup_changed') and tgrelid in (to_regclass('{schema}.mt_doc_casefact'), " +
            $"to_regclass('{schema}.mt_doc_publicationfact'), to_regclass('{schema}.mt_doc_followupfact')))::text", ct, formed.ToArray(), due.ToArray());
        var parts = state[0].Split('|');
        // Fact tables swapped in by the one-pass rebuild (or created after the rollups in development) come without the triggers: install
        // them and recount everything from the facts, which is exact whatever was written in between.
        var installed = parts[1] == "3";
        if (parts[0] == "0" && installed) return;
        // On the primary (the request may read a replica), in its own transaction; a first fill recounts every case, so no time limit.
        await using var connection = session.DocumentStore.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (!installed)
        {
            await using var install = new Npgsql.NpgsqlCommand(DashboardRollup.InstallSql(schema), connection, transaction) { CommandTimeout = 0 };
            await install.ExecuteNonQueryAsync(ct);
        }
        await using var command = new Npgsql.NpgsqlCommand($"select {schema}.dashboard_sync_publication_due($1, $2)", connection, transaction) { CommandTimeout = 0 };
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = formed.ToArray() });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = due.ToArray() });
        await command.ExecuteNonQueryAsync(ct);
        if (!installed)
        {
            await using var rebuild = new Npgsql.NpgsqlCommand(DashboardRollup.RebuildSql(schema), connection, transaction) { CommandTimeout = 0 };
            await rebuild.ExecuteNonQueryAsync(ct);
        }
        await transaction.CommitAsync(ct);
    }

    // Scope keys (DashboardRollup): case and measure counts from dashboard_rollup, entities from dashboard_mask_count; plans, draws and
    // revisits (a few rows a department) straight from their documents by the scope's departments.
    private static string Statement(string s, string plans, string draws, string revisits) => $"""
        with prm as materialized (
          select ?::int as y0, ?::int as y1, ?::date as p_from, ?::date as p_to, ?::int as p_months, ?::int as ytd_months),
        scopes as (select * from unnest((select ?::int[]), (select ?::text[]), (select ?::text[])) as t(scope, key, loc)),
        sd as (select * from unnest((select ?::int[]), (select ?::text[])) as t(scope, dept)),
        rng as materialized (
          select ?::date as due_from, ?::date as due_to, ?::date as due_full_from, ?::date as due_full_to,
                 ?::date as late_from, ?::date as late_to, ?::date as late_full_from, ?::date as late_full_to),
        r as (
          select sc.scope, r.kind, r.n,
                 r.grain = 'm' and r.bucket between prm.p_from and prm.p_to as in_period,
                 (r.grain = 'm' and r.bucket >= rng.due_full_from and r.bucket < rng.due_full_to)
                   or (r.grain = 'd' and r.bucket between rng.due_from and rng.due_to and (r.bucket < rng.due_full_from or r.bucket >= rng.due_full_to)) as due_before_today,
                 (r.grain = 'm' and r.bucket >= rng.late_full_from and r.bucket < rng.late_full_to)
                   or (r.grain = 'd' and r.bucket between rng.late_from and rng.late_to and (r.bucket < rng.late_full_from or r.bucket >= rng.late_full_to)) as before_today
          from scopes sc cross join prm cross join rng
          join {s}.dashboard_rollup r on r.key = sc.key and r.opened_year >= prm.y0),
        case_counts as (
          select scope,
            coalesce(sum(n) filter (where kind = 'ended' and in_period), 0) as inspections,
            coalesce(sum(n) filter (where (kind = 'entry_done' and in_period) or (kind = 'entry_open' and due_before_today)), 0) as entries_due,
            coalesce(sum(n) filter (where kind = 'entry_ontime' and in_period), 0) as entered_on_time,
            coalesce(sum(n) filter (where (kind = 'pub_done' and in_period) or (kind = 'pub_open' and due_before_today)), 0) as publications_due,
            coalesce(sum(n) filter (where kind = 'pub_ontime' and in_period), 0) as published_on_time,
            coalesce(sum(n) filter (where kind = 'entry_open' and before_today), 0) as overdue_entries,
            coalesce(sum(n) filter (where kind = 'pub_open' and before_today), 0) as overdue_publications,
            coalesce(sum(n) filter (where kind = 'published' and in_period), 0) as results_published,
            coalesce(sum(n) filter (where (kind = 'm_done' and in_period) or (kind = 'm_open' and due_before_today)), 0) as measures_due,
            coalesce(sum(n) filter (where kind = 'm_ontime' and in_period), 0) as back_filled_on_time,
            coalesce(sum(n) filter (where kind = 'm_open' and before_today), 0) as overdue_measures
          from r group by scope),
        -- Entities count once: the targets whose months (per key and year) meet the period's.
        entity_counts as (
          select sc.scope,
            coalesce(sum(m.n) filter (where m.inspected & prm.p_months <> 0), 0) as entities,
            coalesce(sum(m.n) filter (where m.joint & prm.p_months <> 0), 0) as joint_entities,
            coalesce(sum(m.n) filter (where m.problem & prm.p_months <> 0), 0) as problem_entities,
            coalesce(sum(m.n) filter (where m.inspected & prm.ytd_months <> 0), 0) as covered
          from scopes sc cross join prm join {s}.dashboard_mask_count m on m.key = sc.key and m.year = prm.y1 group by sc.scope),
        -- A region's coverage counts every entity inside it, whoever inspected it: by the region the target lies in.
        region_coverage as (
          select sc.scope, coalesce(sum(m.n) filter (where m.inspected & prm.ytd_months <> 0), 0) as covered
          from scopes sc cross join prm join {s}.dashboard_mask_count m on m.key = sc.loc and m.year = prm.y1 group by sc.scope),
        revisit_counts as (
          select sd.scope, count(*) as revisits, count(*) filter (where coalesce((v.data ->> 'ProblemMissed')::boolean, false)) as revisits_problem_missed
          from {revisits} v join sd on sd.dept = v.department_id::text cross join prm
          where v.visited_on between prm.p_from and prm.p_to group by sd.scope),
        pl as (select p.id, p.data from {plans} p cross join prm where (p.data ->> 'Year')::int between prm.y0 and prm.y1),
        plan_counts as (
          select sd.scope,
            count(*) filter (where (pl.data ->> 'VoidedOn')::date between p_from and p_to) as voided_plans,
            count(*) filter (where exists (select 1 from jsonb_array_elements_text(pl.data -> 'AdjustedOn') a where a::date between p_from and p_to)) as adjusted_plans
          from pl join sd on sd.dept = pl.data ->> 'DepartmentId' cross join prm group by sd.scope),
        -- The task a draw is for: the first of its plan's tasks with that number, as PlanFact.Task finds it (one join for every draw,
        -- not a lookup per draw and scope: a province's 500 scope-department pairs made that the statement's largest cost).
        task as (
          select distinct on (p.id, t ->> 'Number') p.id as plan_id, t ->> 'Number' as number,
                 coalesce((t ->> 'Joint')::boolean, false) as joint, coalesce((t ->> 'ByCreditClass')::boolean, false) as by_credit_class
          from pl p cross join lateral jsonb_array_elements(p.data -> 'Tasks') with ordinality as x(t, n)
          order by p.id, t ->> 'Number', x.n),
        dr as materialized (
          select d.id, d.data ->> 'DepartmentId' as dept, coalesce((d.data ->> 'Voided')::boolean, false) as voided,
                 (d.data ->> 'DrawnOn')::date as drawn_on, (d.data ->> 'ScheduledOn')::date as scheduled_on,
                 (d.data ->> 'VoidedAfterRandomnessOn')::date as voided_after_randomness_on, (d.data ->> 'ReplacesDrawId')::uuid as replaces,
                 coalesce(task.joint, false) as joint, coalesce(task.by_credit_class, false) as by_credit_class,
                 (select count(*) from jsonb_array_elements_text(d.data -> 'RecusedOn') r where r::date between prm.p_from and prm.p_to) as recusals,
                 (select count(*) from jsonb_array_elements_text(d.data -> 'ReplacedOn') r where r::date between prm.p_from and prm.p_to) as replacements
          from {draws} d cross join prm
          left join task on task.plan_id = (d.data ->> 'PlanId')::uuid and task.number = d.data ->> 'TaskNumber'
          where (d.data ->> 'Year')::int between prm.y0 and prm.y1),
        draw_counts as (
          select sd.scope,
            count(*) filter (where not voided and drawn_on between p_from and p_to) as draws,
            count(*) filter (where not voided and drawn_on between p_from and p_to and joint) as joint_draws,
            count(*) filter (where not voided and drawn_on between p_from and p_to and by_credit_class) as credit_class_draws,
            coalesce(sum(recusals), 0) as recusals, coalesce(sum(replacements), 0) as replacements,
            count(*) filter (where voided_after_randomness_on between p_from and p_to) as voids_after_randomness,
            count(*) filter (where replaces is not null and scheduled_on between p_from and p_to) as redraws
          from dr join sd on sd.dept = dr.dept cross join prm
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
          'covered', coalesce(case when s.loc is not null then rc.covered else ec.covered end, 0),
          'entries_due', coalesce(cc.entries_due, 0), 'entered_on_time', coalesce(cc.entered_on_time, 0),
          'publications_due', coalesce(cc.publications_due, 0), 'published_on_time', coalesce(cc.published_on_time, 0),
          'measures_due', coalesce(cc.measures_due, 0), 'back_filled_on_time', coalesce(cc.back_filled_on_time, 0),
          'overdue_entries', coalesce(cc.overdue_entries, 0), 'overdue_publications', coalesce(cc.overdue_publications, 0),
          'overdue_measures', coalesce(cc.overdue_measures, 0), 'results_published', coalesce(cc.results_published, 0),
          'voided_plans', coalesce(pc.voided_plans, 0), 'adjusted_plans', coalesce(pc.adjusted_plans, 0),
          'recusals', coalesce(dc.recusals, 0), 'replacements', coalesce(dc.replacements, 0),
          'voids_after_randomness', coalesce(dc.voids_after_randomness, 0), 'redraws', coalesce(dc.redraws, 0),
          'longest_redo_chain', coalesce(ch.longest_redo_chain, 0),
          'revisits', coalesce(rv.revisits, 0), 'revisits_problem_missed', coalesce(rv.revisits_problem_missed, 0))::text
        from scopes s
        left join case_counts cc on cc.scope = s.scope
        left join entity_counts ec on ec.scope = s.scope
        left join region_coverage rc on rc.scope = s.scope
        left join plan_counts pc on pc.scope = s.scope
        left join draw_counts dc on dc.scope = s.scope
        left join chain ch on ch.scope = s.scope
        left join revisit_counts rv on rv.scope = s.scope
        """;

    // Field names as the statement spells them.
#pragma warning disable IDE1006, CA1707
    private sealed record ScopeCounts(int scope, int draws, int joint_draws, int credit_class_draws, int inspections, int entities, int joint_entities,
        int problem_entities, int covered, int entries_due, int entered_on_time, int publications_due, int published_on_time, int measures_due,
        int back_filled_on_time, int overdue_entries, int overdue_publications, int overdue_measures, int results_published, int voided_plans,
        int adjusted_plans, int recusals, int replacements, int voids_after_randomness, int redraws, int longest_redo_chain, int revisits,
        int revisits_problem_missed)
    {
        public DashboardCounts ToCounts() => new(draws, joint_draws, credit_class_draws, inspections, entities, joint_entities, problem_entities, covered,
            entries_due, entered_on_time, publications_due, published_on_time, measures_due, back_filled_on_time, overdue_entries, overdue_publications,
            overdue_measures, results_published, voided_plans, adjusted_plans, recusals, replacements, voids_after_randomness, redraws, longest_redo_chain,
            revisits, revisits_problem_missed);
    }
#pragma warning restore IDE1006, CA1707
}
