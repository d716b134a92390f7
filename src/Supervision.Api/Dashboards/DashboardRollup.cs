using System.Data.Common;
using System.Security.Cryptography;
using Supervision.Domain.Inspections;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Supervision.Api.Dashboards;

/// <summary>
/// The dashboards' rollups (issue 14: a province's year answers in a few milliseconds, not by reading its 200,000 cases). Every figure
/// is kept per <em>scope key</em> — a department (<c>d:{id}</c>), a region its departments lie in (<c>r:{code}</c>, the region and each
/// region above it) and, for a region's coverage, the region a target lies in (<c>l:{code}</c>) — so a region's dashboard reads its
/// own rows and a joint case counts once in a region whatever number of its departments lie there, as the reference counts it.
/// <list type="bullet">
/// <item><c>dashboard_rollup</c>: case and follow-up-measure counts per key, kind, month (and day, for the few "before today" figures)
/// and the year the case was opened (a dashboard of year Y counts cases opened from 1 January of Y−1, as the reference loads them).</item>
/// <item><c>dashboard_target_mask</c> / <c>dashboard_mask_count</c>: for the figures that count entities once (inspected, joint,
/// with a problem, covered), each target's months per key and year as three 12-bit masks, and how many targets have each mask:
/// the entities of any month, quarter or year are the targets whose mask meets the period's months.</item>
/// <item><c>dashboard_case_state</c> / <c>dashboard_followup_state</c>: what each case and follow-up last contributed, so a change
/// subtracts exactly that and adds the new contribution.</item>
/// <item><c>dashboard_publication_due</c>: the publication deadline (20 working days) of each day results can be formed on, written
/// from the C# calendar (<see cref="DashboardSql"/> compares it with the calendar on every request and corrects it, and the cases it
/// moves, when a holiday notice changed the calendar).</item>
/// </list>
/// Triggers on the fact tables (<c>mt_doc_casefact</c>, <c>mt_doc_publicationfact</c>, <c>mt_doc_followupfact</c>, the targets'
/// and departments' tables) keep them in the transaction that writes the facts, whoever writes them (inline projections, Marten's
/// bulk insert, a document stored directly). A write that bypasses triggers (COPY into a table swapped in by the one-pass rebuild,
/// <c>session_replication_role = replica</c>) is followed by <see cref="RebuildSql"/>, which recomputes everything from the facts
/// (the migration that creates them runs it too, so a database upgraded in place answers right).
/// </summary>
public static class DashboardRollup
{
    /// <summary>Recomputes every rollup from the fact tables (set-based; takes an exclusive lock on the rollup tables while it runs).</summary>
    public static string RebuildSql(string schema) => $"select {schema}.dashboard_rollup_rebuild();";

    /// <summary>The hook for the one-pass rebuild: after fact tables were swapped in (their triggers re-created), refill the rollups.</summary>
    public static async Task RebuildAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(InstallSql(schema) + RebuildSql(schema), connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Folds the rollups' delta rows (see <c>dashboard_rollup_compact</c>); returns the rows written.</summary>
    public static async Task<int> CompactAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select {schema}.dashboard_rollup_compact()", connection) { CommandTimeout = 0 };
        return Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The shipped catalogue versions' codes that record a problem, as the SQL function <c>dashboard_problem_found</c> reads them.</summary>
    private static string ShippedProblemPairs() => string.Join(", ",
        ResultCatalogue.Shipped.SelectMany(c => c.Entries.Where(e => e.ProblemFound).Select(e => $"'{c.Version}|{e.Code}'")));

    private static string ShippedVersions() => string.Join(", ", ResultCatalogue.Shipped.Select(c => $"'{c.Version}'"));

    /// <summary>Tables, functions and triggers; idempotent (tables kept, functions replaced, triggers re-created).</summary>
    public static string InstallSql(string s) => $$"""
        create table if not exists {{s}}.dashboard_case_state (
          case_id uuid primary key, target_id uuid not null, opened_year int not null, keys text[] not null, withdrawn boolean not null,
          ended_on date, entry_due date, submitted_on date, formed_on date, publication_due date, published_on date,
          withheld boolean not null, joint boolean not null, problem boolean not null);
        create index if not exists dashboard_case_state_target on {{s}}.dashboard_case_state (target_id);
        create table if not exists {{s}}.dashboard_followup_state (
          followup_id uuid primary key, case_id uuid not null, opened_year int not null, measures jsonb not null);
        create index if not exists dashboard_followup_state_case on {{s}}.dashboard_followup_state (case_id);
        -- Counts are kept as delta rows (any number per key, kind, grain, bucket and year; the figure is their sum), appended by
        -- the triggers and folded by dashboard_rollup_compact: an upsert of one counter row per key made every case write of a
        -- province wait for the one before it to commit, and deadlock (issue 14, ops/bench/case-rollup.sh).
        create table if not exists {{s}}.dashboard_rollup (
          key text not null, kind text not null, grain "char" not null, bucket date not null, opened_year int not null, n int not null);
        alter table {{s}}.dashboard_rollup drop constraint if exists dashboard_rollup_pkey;
        create index if not exists dashboard_rollup_key on {{s}}.dashboard_rollup (key, opened_year);
        create table if not exists {{s}}.dashboard_target_mask (
          target_id uuid not null, key text not null, year int not null, inspected int not null, joint int not null, problem int not null,
          primary key (target_id, key, year));
        create table if not exists {{s}}.dashboard_mask_count (
          key text not null, year int not null, inspected int not null, joint int not null, problem int not null, n int not null);
        alter table {{s}}.dashboard_mask_count drop constraint if exists dashboard_mask_count_pkey;
        create index if not exists dashboard_mask_count_key on {{s}}.dashboard_mask_count (key, year);
        create table if not exists {{s}}.dashboard_publication_due (formed date primary key, due date not null);

        -- The keys of a region code: the region and every region above it (RegionCodes.Within), tagged r: (departments) or l: (targets).
        create or replace function {{s}}.dashboard_region_keys(code text, tag text) returns text[] language sql immutable as $f$
          select case
            when code is null or code !~ '^[0-9]{6}$' or left(code, 2) = '00' then array[]::text[]
            when substr(code, 3) = '0000' then array[tag || code]
            when substr(code, 5) = '00' then array[tag || code, tag || left(code, 2) || '0000']
            else array[tag || code, tag || left(code, 4) || '00', tag || left(code, 2) || '0000'] end
        $f$;

        -- A set of departments' keys: each department, and the regions its region lies in (from the department's document).
        create or replace function {{s}}.dashboard_department_keys(departments text[]) returns text[] language plpgsql stable as $f$
        begin
          return (select coalesce(array_agg(distinct k order by k), array[]::text[]) from (
            select 'd:' || d as k from unnest(departments) d
            union all
            select unnest({{s}}.dashboard_region_keys(dep.data ->> 'RegionCode', 'r:')) from {{s}}.mt_doc_department dep
            where dep.id = any(departments::uuid[])) x);
        end $f$;

        -- Whether a case's results record a problem: the problemFound flag of each result's code in the catalogue version it was
        -- recorded under (a result without a version: cn-2024.1; a version unknown here: the shipped national list), as
        -- CaseFact.ProblemFoundIn(ResultCatalogues) decides. Shipped versions are written in here; a province's come from its document.
        create or replace function {{s}}.dashboard_problem_found(outcomes jsonb) returns boolean language plpgsql stable as $f$
        declare
          o jsonb;
          v text;
        begin
          if outcomes is null or jsonb_typeof(outcomes) <> 'array' then return false; end if;
          for o in select * from jsonb_array_elements(outcomes) loop
            v := coalesce(nullif(o ->> 'CatalogueVersion', ''), 'cn-2024.1');
            if v = any(array[{{ShippedVersions()}}]) then
              if (v || '|' || (o ->> 'Code')) = any(array[{{ShippedProblemPairs()}}]) then return true; end if;
            elsif exists (select 1 from {{s}}.mt_doc_provinceresultcatalogue p, jsonb_array_elements(p.data -> 'Versions') x where x ->> 'Version' = v) then
              if exists (select 1 from {{s}}.mt_doc_provinceresultcatalogue p, jsonb_array_elements(p.data -> 'Versions') x, jsonb_array_elements(x -> 'Entries') e
                         where x ->> 'Version' = v and e ->> 'Code' = o ->> 'Code' and coalesce((e ->> 'ProblemFound')::boolean, false)) then return true; end if;
            elsif ('cn-2026.1|' || (o ->> 'Code')) = any(array[{{ShippedProblemPairs()}}]) then return true;
            end if;
          end loop;
          return false;
        end $f$;

        -- What one case contributes to the counts of each of its keys (withdrawn cases count nowhere).
        create or replace function {{s}}.dashboard_case_contributions(st {{s}}.dashboard_case_state)
          returns table (kind text, grain "char", bucket date) language sql immutable as $f$
          select v.kind, v.grain, v.bucket from (values
            ('ended', 'm'::"char", date_trunc('month', st.ended_on)::date, st.ended_on is not null),
            ('entry_done', 'm', date_trunc('month', st.entry_due)::date, st.entry_due is not null and st.submitted_on is not null),
            ('entry_ontime', 'm', date_trunc('month', st.entry_due)::date, st.entry_due is not null and st.submitted_on <= st.entry_due),
            ('entry_open', 'm', date_trunc('month', st.entry_due)::date, st.entry_due is not null and st.submitted_on is null),
            ('entry_open', 'd', st.entry_due, st.entry_due is not null and st.submitted_on is null),
            ('pub_done', 'm', date_trunc('month', st.publication_due)::date,
              st.formed_on is not null and not st.withheld and st.publication_due is not null and st.published_on is not null),
            ('pub_ontime', 'm', date_trunc('month', st.publication_due)::date,
              st.formed_on is not null and not st.withheld and st.publication_due is not null and st.published_on <= st.publication_due),
            ('pub_open', 'm', date_trunc('month', st.publication_due)::date,
              st.formed_on is not null and not st.withheld and st.publication_due is not null and st.published_on is null),
            ('pub_open', 'd', st.publication_due,
              st.formed_on is not null and not st.withheld and st.publication_due is not null and st.published_on is null),
            ('published', 'm', date_trunc('month', st.published_on)::date, st.published_on is not null)
          ) as v(kind, grain, bucket, yes)
          where v.yes and not st.withdrawn
        $f$;

        -- What one follow-up contributes: each measure under its owner's keys.
        create or replace function {{s}}.dashboard_followup_contributions(st {{s}}.dashboard_followup_state)
          returns table (key text, kind text, grain "char", bucket date) language sql immutable as $f$
          select k.key, v.kind, v.grain, v.bucket
          from jsonb_array_elements(st.measures) m
          cross join lateral jsonb_array_elements_text(m -> 'keys') k(key)
          cross join lateral (select (m ->> 'due')::date as due, (m ->> 'backFilled')::date as back_filled, (m ->> 'late')::boolean as late) x
          cross join lateral (values
            ('m_done', 'm'::"char", date_trunc('month', x.due)::date, x.back_filled is not null),
            ('m_ontime', 'm', date_trunc('month', x.due)::date, x.back_filled is not null and not x.late),
            ('m_open', 'm', date_trunc('month', x.due)::date, x.back_filled is null),
            ('m_open', 'd', x.due, x.back_filled is null)) as v(kind, grain, bucket, yes)
          where v.yes and x.due is not null
        $f$;

        -- A case's state from its fact and its publications, as PublicationFact.Join adds them; null when the case fact is gone.
        create or replace function {{s}}.dashboard_case_state_of(p_case uuid) returns {{s}}.dashboard_case_state language plpgsql stable as $f$
        declare
          st {{s}}.dashboard_case_state;
        begin
          select c.id, c.target_id, extract(year from c.opened_on)::int,
                 {{s}}.dashboard_department_keys(array(select jsonb_array_elements_text(c.data -> 'DepartmentIds'))),
                 coalesce((c.data ->> 'Withdrawn')::boolean, false), c.ended_on, c.entry_due, c.submitted_on, c.results_formed_on,
                 (select d.due from {{s}}.dashboard_publication_due d where d.formed = c.results_formed_on),
                 coalesce((c.data ->> 'PublishedOn')::date, p.published_on),
                 coalesce((c.data ->> 'Withheld')::boolean, false) or coalesce(p.withheld, false),
                 jsonb_array_length(coalesce(c.data -> 'DepartmentIds', '[]')) > 1,
                 {{s}}.dashboard_problem_found(c.data -> 'Outcomes')
            into st
          from {{s}}.mt_doc_casefact c
          left join lateral (select min(x.published_on) as published_on, bool_or(coalesce((x.data ->> 'Withheld')::boolean, false)) as withheld
                             from {{s}}.mt_doc_publicationfact x where x.case_id = c.id) p on true
          where c.id = p_case and c.opened_on is not null and c.target_id is not null;
          if not found then return null; end if;
          return st;
        end $f$;

        create or replace function {{s}}.dashboard_add_case(st {{s}}.dashboard_case_state, sign int) returns void language sql as $f$
          insert into {{s}}.dashboard_rollup as r (key, kind, grain, bucket, opened_year, n)
          select k.key, x.kind, x.grain, x.bucket, st.opened_year, count(*) * sign
          from unnest(st.keys) k(key) cross join {{s}}.dashboard_case_contributions(st) x
          group by 1, 2, 3, 4, 5
        $f$;

        create or replace function {{s}}.dashboard_add_followup(st {{s}}.dashboard_followup_state, sign int) returns void language sql as $f$
          insert into {{s}}.dashboard_rollup as r (key, kind, grain, bucket, opened_year, n)
          select x.key, x.kind, x.grain, x.bucket, st.opened_year, count(*) * sign
          from {{s}}.dashboard_followup_contributions(st) x
          group by 1, 2, 3, 4, 5
        $f$;

        -- Each target's months (of the given targets; null: every target) per key and year (cases opened from 1 January of the year before, not withdrawn): inspected, joint,
        -- with a problem; and, under the keys of the region the target lies in, inspected only (a region's coverage).
        create or replace function {{s}}.dashboard_masks_of(targets uuid[])
          returns table (target_id uuid, key text, year int, inspected int, joint int, problem int) language plpgsql stable as $f$
        begin
          -- Two statements, so each is planned for its case: one target (by the index) or every target (one scan).
          if targets is null then
            return query {{MasksQuery(s, "true")}};
          else
            return query {{MasksQuery(s, "s.target_id = any(targets)")}};
          end if;
        end $f$;

        create or replace function {{s}}.dashboard_refresh_target(p_target uuid) returns void language plpgsql as $f$
        begin
          if p_target is null then return; end if;
          perform pg_advisory_xact_lock(hashtextextended('{{s}}.dashboard-target:' || p_target, 0));
          with gone as (delete from {{s}}.dashboard_target_mask m where m.target_id = p_target returning m.key, m.year, m.inspected, m.joint, m.problem)
          insert into {{s}}.dashboard_mask_count as c (key, year, inspected, joint, problem, n)
          select g.key, g.year, g.inspected, g.joint, g.problem, -count(*) from gone g group by 1, 2, 3, 4, 5;
          with fresh as (insert into {{s}}.dashboard_target_mask select * from {{s}}.dashboard_masks_of(array[p_target]) returning *)
          insert into {{s}}.dashboard_mask_count as c (key, year, inspected, joint, problem, n)
          select f.key, f.year, f.inspected, f.joint, f.problem, count(*) from fresh f group by 1, 2, 3, 4, 5;
        end $f$;

        create or replace function {{s}}.dashboard_refresh_followup(p_followup uuid) returns void language plpgsql as $f$
        declare
          old_state {{s}}.dashboard_followup_state;
          new_state {{s}}.dashboard_followup_state;
        begin
          perform pg_advisory_xact_lock(hashtextextended('{{s}}.dashboard-followup:' || p_followup, 0));
          select * into old_state from {{s}}.dashboard_followup_state where followup_id = p_followup;
          select f.id, c.id, extract(year from c.opened_on)::int,
                 coalesce((select jsonb_agg(jsonb_build_object(
                    'keys', to_jsonb({{s}}.dashboard_department_keys(array[m ->> 'OwnerDepartmentId'])),
                    'due', m ->> 'DueOn', 'backFilled', m ->> 'BackFilledOn', 'late', coalesce((m ->> 'Late')::boolean, false)))
                  from jsonb_array_elements(coalesce(f.data -> 'Measures', '[]')) m), '[]')
            into new_state
          from {{s}}.mt_doc_followupfact f join {{s}}.mt_doc_casefact c on c.id = f.case_id
          where f.id = p_followup and c.opened_on is not null;
          if old_state.followup_id is not distinct from new_state.followup_id and old_state.opened_year is not distinct from new_state.opened_year
             and old_state.measures is not distinct from new_state.measures then return; end if;
          if old_state.followup_id is not null then perform {{s}}.dashboard_add_followup(old_state, -1); end if;
          if new_state.followup_id is not null then
            perform {{s}}.dashboard_add_followup(new_state, 1);
            insert into {{s}}.dashboard_followup_state values (new_state.*)
              on conflict (followup_id) do update set case_id = excluded.case_id, opened_year = excluded.opened_year, measures = excluded.measures;
          else
            delete from {{s}}.dashboard_followup_state where followup_id = p_followup;
          end if;
        end $f$;

        create or replace function {{s}}.dashboard_refresh_case(p_case uuid) returns void language plpgsql as $f$
        declare
          old_state {{s}}.dashboard_case_state;
          new_state {{s}}.dashboard_case_state;
          f uuid;
        begin
          if p_case is null then return; end if;
          perform pg_advisory_xact_lock(hashtextextended('{{s}}.dashboard-case:' || p_case, 0));
          select * into old_state from {{s}}.dashboard_case_state where case_id = p_case;
          new_state := {{s}}.dashboard_case_state_of(p_case);
          if row(old_state.*) is not distinct from row(new_state.*) then return; end if;
          if old_state.case_id is not null then perform {{s}}.dashboard_add_case(old_state, -1); end if;
          if new_state.case_id is not null then
            perform {{s}}.dashboard_add_case(new_state, 1);
            insert into {{s}}.dashboard_case_state values (new_state.*) on conflict (case_id) do update set
              target_id = excluded.target_id, opened_year = excluded.opened_year, keys = excluded.keys, withdrawn = excluded.withdrawn,
              ended_on = excluded.ended_on, entry_due = excluded.entry_due, submitted_on = excluded.submitted_on, formed_on = excluded.formed_on,
              publication_due = excluded.publication_due, published_on = excluded.published_on, withheld = excluded.withheld,
              joint = excluded.joint, problem = excluded.problem;
          else
            delete from {{s}}.dashboard_case_state where case_id = p_case;
          end if;
          perform {{s}}.dashboard_refresh_target(old_state.target_id);
          if new_state.target_id is distinct from old_state.target_id then perform {{s}}.dashboard_refresh_target(new_state.target_id); end if;
          -- A follow-up counts under its case's opening year: it waits for its case, and moves with it.
          if old_state.opened_year is distinct from new_state.opened_year then
            for f in select x.id from {{s}}.mt_doc_followupfact x where x.case_id = p_case loop
              perform {{s}}.dashboard_refresh_followup(f);
            end loop;
          end if;
        end $f$;

        -- Everything recomputed from the facts, set-based (the migration's back-fill, and after a write that bypassed the triggers).
        create or replace function {{s}}.dashboard_rollup_rebuild() returns void language plpgsql as $f$
        begin
          -- Before Marten has created the fact tables (a new development schema) there is nothing to count.
          if to_regclass('{{s}}.mt_doc_casefact') is null or to_regclass('{{s}}.mt_doc_publicationfact') is null
             or to_regclass('{{s}}.mt_doc_followupfact') is null or to_regclass('{{s}}.mt_doc_department') is null
             or to_regclass('{{s}}.mt_doc_target') is null or to_regclass('{{s}}.mt_doc_provinceresultcatalogue') is null then
            return;
          end if;
          lock table {{s}}.dashboard_case_state, {{s}}.dashboard_followup_state, {{s}}.dashboard_rollup, {{s}}.dashboard_target_mask,
            {{s}}.dashboard_mask_count in exclusive mode;
          truncate {{s}}.dashboard_case_state, {{s}}.dashboard_followup_state, {{s}}.dashboard_rollup, {{s}}.dashboard_target_mask, {{s}}.dashboard_mask_count;
          create temp table dashboard_department_keys on commit drop as
            select dep.id::text as dept, array['d:' || dep.id::text] || {{s}}.dashboard_region_keys(dep.data ->> 'RegionCode', 'r:') as keys
            from {{s}}.mt_doc_department dep;
          insert into {{s}}.dashboard_case_state
          select c.id, c.target_id, extract(year from c.opened_on)::int,
                 (select coalesce(array_agg(distinct k order by k), array[]::text[])
                  from jsonb_array_elements_text(coalesce(c.data -> 'DepartmentIds', '[]')) d(dept)
                  left join dashboard_department_keys dk on dk.dept = d.dept
                  cross join lateral unnest(coalesce(dk.keys, array['d:' || d.dept])) k),
                 coalesce((c.data ->> 'Withdrawn')::boolean, false), c.ended_on, c.entry_due, c.submitted_on, c.results_formed_on, pd.due,
                 coalesce((c.data ->> 'PublishedOn')::date, p.published_on),
                 coalesce((c.data ->> 'Withheld')::boolean, false) or coalesce(p.withheld, false),
                 jsonb_array_length(coalesce(c.data -> 'DepartmentIds', '[]')) > 1,
                 {{s}}.dashboard_problem_found(c.data -> 'Outcomes')
          from {{s}}.mt_doc_casefact c
          left join (select x.case_id, min(x.published_on) as published_on, bool_or(coalesce((x.data ->> 'Withheld')::boolean, false)) as withheld
                     from {{s}}.mt_doc_publicationfact x group by x.case_id) p on p.case_id = c.id
          left join {{s}}.dashboard_publication_due pd on pd.formed = c.results_formed_on
          where c.opened_on is not null and c.target_id is not null;
          insert into {{s}}.dashboard_rollup (key, kind, grain, bucket, opened_year, n)
          select k.key, x.kind, x.grain, x.bucket, st.opened_year, count(*)
          from {{s}}.dashboard_case_state st cross join unnest(st.keys) k(key) cross join lateral {{s}}.dashboard_case_contributions(st) x
          group by 1, 2, 3, 4, 5;
          insert into {{s}}.dashboard_followup_state
          select f.id, c.id, extract(year from c.opened_on)::int,
                 coalesce((select jsonb_agg(jsonb_build_object(
                    'keys', to_jsonb(coalesce(dk.keys, array['d:' || (m ->> 'OwnerDepartmentId')])),
                    'due', m ->> 'DueOn', 'backFilled', m ->> 'BackFilledOn', 'late', coalesce((m ->> 'Late')::boolean, false)))
                  from jsonb_array_elements(coalesce(f.data -> 'Measures', '[]')) m
                  left join dashboard_department_keys dk on dk.dept = m ->> 'OwnerDepartmentId'), '[]')
          from {{s}}.mt_doc_followupfact f join {{s}}.mt_doc_casefact c on c.id = f.case_id
          where c.opened_on is not null;
          insert into {{s}}.dashboard_rollup as r (key, kind, grain, bucket, opened_year, n)
          select x.key, x.kind, x.grain, x.bucket, st.opened_year, count(*)
          from {{s}}.dashboard_followup_state st cross join lateral {{s}}.dashboard_followup_contributions(st) x
          group by 1, 2, 3, 4, 5;
          insert into {{s}}.dashboard_target_mask
          select * from {{s}}.dashboard_masks_of(null); -- every target
          insert into {{s}}.dashboard_mask_count (key, year, inspected, joint, problem, n)
          select key, year, inspected, joint, problem, count(*) from {{s}}.dashboard_target_mask group by 1, 2, 3, 4, 5;
          drop table dashboard_department_keys;
        end $f$;

        -- The publication deadline of each day results can be formed on, from the C# calendar: rows that differ are corrected and the
        -- cases formed on those days recounted (all of them, set-based, when many days changed: a first fill, a new holiday notice).
        create or replace function {{s}}.dashboard_sync_publication_due(p_formed date[], p_due date[]) returns int language plpgsql as $f$
        declare
          changed date[];
          c uuid;
        begin
          perform pg_advisory_xact_lock(hashtextextended('{{s}}.dashboard-publication-due', 0));
          select array_agg(w.formed) into changed
          from unnest(p_formed, p_due) w(formed, due) left join {{s}}.dashboard_publication_due d on d.formed = w.formed
          where d.due is distinct from w.due;
          if changed is null then return 0; end if;
          insert into {{s}}.dashboard_publication_due as d (formed, due) select * from unnest(p_formed, p_due)
            on conflict (formed) do update set due = excluded.due where d.due is distinct from excluded.due;
          if cardinality(changed) > 62 then
            perform {{s}}.dashboard_rollup_rebuild();
          else
            for c in select x.id from {{s}}.mt_doc_casefact x where x.results_formed_on = any(changed) loop
              perform {{s}}.dashboard_refresh_case(c);
            end loop;
          end if;
          return cardinality(changed);
        end $f$;

        create or replace function {{s}}.dashboard_case_changed() returns trigger language plpgsql as $f$
        begin
          if tg_op in ('UPDATE', 'DELETE') then perform {{s}}.dashboard_refresh_case(old.id); end if;
          if tg_op in ('INSERT', 'UPDATE') and (tg_op = 'INSERT' or new.id <> old.id) then perform {{s}}.dashboard_refresh_case(new.id); end if;
          return null;
        end $f$;

        create or replace function {{s}}.dashboard_publication_changed() returns trigger language plpgsql as $f$
        begin
          if tg_op in ('UPDATE', 'DELETE') then perform {{s}}.dashboard_refresh_case(old.case_id); end if;
          if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.case_id is distinct from old.case_id) then perform {{s}}.dashboard_refresh_case(new.case_id); end if;
          return null;
        end $f$;

        create or replace function {{s}}.dashboard_followup_changed() returns trigger language plpgsql as $f$
        begin
          if tg_op in ('UPDATE', 'DELETE') then perform {{s}}.dashboard_refresh_followup(old.id); end if;
          if tg_op = 'INSERT' or (tg_op = 'UPDATE' and new.id <> old.id) then perform {{s}}.dashboard_refresh_followup(new.id); end if;
          return null;
        end $f$;

        -- A target that moves region moves its coverage (only a change of region fires this: imports and other updates cost nothing).
        create or replace function {{s}}.dashboard_target_moved() returns trigger language plpgsql as $f$
        begin
          perform {{s}}.dashboard_refresh_target(new.id);
          return null;
        end $f$;

        -- A department stored after its cases (or whose region changed): the cases and measures under it get its region keys.
        create or replace function {{s}}.dashboard_department_changed() returns trigger language plpgsql as $f$
        declare
          x uuid;
        begin
          if tg_op = 'UPDATE' and (old.data ->> 'RegionCode') is not distinct from (new.data ->> 'RegionCode') then return null; end if;
          for x in select s.case_id from {{s}}.dashboard_case_state s where s.keys @> array['d:' || new.id::text] loop
            perform {{s}}.dashboard_refresh_case(x);
          end loop;
          for x in select s.followup_id from {{s}}.dashboard_followup_state s where s.measures::text like '%"d:' || new.id::text || '"%' loop
            perform {{s}}.dashboard_refresh_followup(x);
          end loop;
          return null;
        end $f$;

        -- Folds the delta rows of each rollup and mask count into one row (dropping those that sum to zero); figures are unchanged.
        -- Rows appended meanwhile are not in the statement's snapshot and stay as they are; one compaction at a time.
        create or replace function {{s}}.dashboard_rollup_compact() returns int language plpgsql as $f$
        declare
          folded int;
          masks int;
        begin
          if not pg_try_advisory_xact_lock(hashtextextended('{{s}}.dashboard-compact', 0)) then return 0; end if;
          with several as (select key, kind, grain, bucket, opened_year from {{s}}.dashboard_rollup group by 1, 2, 3, 4, 5 having count(*) > 1),
          gone as (delete from {{s}}.dashboard_rollup r using several x
                   where r.key = x.key and r.kind = x.kind and r.grain = x.grain and r.bucket = x.bucket and r.opened_year = x.opened_year
                   returning r.key, r.kind, r.grain, r.bucket, r.opened_year, r.n)
          insert into {{s}}.dashboard_rollup (key, kind, grain, bucket, opened_year, n)
          select key, kind, grain, bucket, opened_year, sum(n) from gone group by 1, 2, 3, 4, 5 having sum(n) <> 0;
          get diagnostics folded = row_count;
          with several as (select key, year, inspected, joint, problem from {{s}}.dashboard_mask_count group by 1, 2, 3, 4, 5 having count(*) > 1),
          gone as (delete from {{s}}.dashboard_mask_count m using several x
                   where m.key = x.key and m.year = x.year and m.inspected = x.inspected and m.joint = x.joint and m.problem = x.problem
                   returning m.key, m.year, m.inspected, m.joint, m.problem, m.n)
          insert into {{s}}.dashboard_mask_count (key, year, inspected, joint, problem, n)
          select key, year, inspected, joint, problem, sum(n) from gone group by 1, 2, 3, 4, 5 having sum(n) <> 0;
          get diagnostics masks = row_count;
          return folded + masks;
        end $f$;

        create or replace function {{s}}.dashboard_facts_truncated() returns trigger language plpgsql as $f$
        begin
          perform {{s}}.dashboard_rollup_rebuild();
          return null;
        end $f$;

        do $do$
        begin
          if to_regclass('{{s}}.mt_doc_casefact') is not null then
            drop trigger if exists dashboard_case_changed on {{s}}.mt_doc_casefact;
            create trigger dashboard_case_changed after insert or update or delete on {{s}}.mt_doc_casefact
              for each row execute function {{s}}.dashboard_case_changed();
            drop trigger if exists dashboard_facts_truncated on {{s}}.mt_doc_casefact;
            create trigger dashboard_facts_truncated after truncate on {{s}}.mt_doc_casefact for each statement execute function {{s}}.dashboard_facts_truncated();
          end if;
          if to_regclass('{{s}}.mt_doc_publicationfact') is not null then
            drop trigger if exists dashboard_publication_changed on {{s}}.mt_doc_publicationfact;
            create trigger dashboard_publication_changed after insert or update or delete on {{s}}.mt_doc_publicationfact
              for each row execute function {{s}}.dashboard_publication_changed();
            drop trigger if exists dashboard_facts_truncated on {{s}}.mt_doc_publicationfact;
            create trigger dashboard_facts_truncated after truncate on {{s}}.mt_doc_publicationfact for each statement execute function {{s}}.dashboard_facts_truncated();
          end if;
          if to_regclass('{{s}}.mt_doc_followupfact') is not null then
            drop trigger if exists dashboard_followup_changed on {{s}}.mt_doc_followupfact;
            create trigger dashboard_followup_changed after insert or update or delete on {{s}}.mt_doc_followupfact
              for each row execute function {{s}}.dashboard_followup_changed();
            drop trigger if exists dashboard_facts_truncated on {{s}}.mt_doc_followupfact;
            create trigger dashboard_facts_truncated after truncate on {{s}}.mt_doc_followupfact for each statement execute function {{s}}.dashboard_facts_truncated();
          end if;
          if to_regclass('{{s}}.mt_doc_target') is not null then
            drop trigger if exists dashboard_target_moved on {{s}}.mt_doc_target;
            create trigger dashboard_target_moved after update on {{s}}.mt_doc_target for each row
              when ((old.data ->> 'RegionCode') is distinct from (new.data ->> 'RegionCode')) execute function {{s}}.dashboard_target_moved();
          end if;
          if to_regclass('{{s}}.mt_doc_department') is not null then
            drop trigger if exists dashboard_department_changed on {{s}}.mt_doc_department;
            create trigger dashboard_department_changed after insert or update on {{s}}.mt_doc_department
              for each row execute function {{s}}.dashboard_department_changed();
          end if;
        end $do$;

        """;

    private static string MasksQuery(string s, string which) => $"""
        select s.target_id, k.key, extract(year from s.ended_on)::int,
                 bit_or(1 << (extract(month from s.ended_on)::int - 1)),
                 coalesce(bit_or(1 << (extract(month from s.ended_on)::int - 1)) filter (where s.joint and k.key not like 'l:%'), 0),
                 coalesce(bit_or(1 << (extract(month from s.ended_on)::int - 1)) filter (where s.problem and k.key not like 'l:%'), 0)
          from {s}.dashboard_case_state s
          left join {s}.mt_doc_target t on t.id = s.target_id
          cross join lateral unnest(s.keys || {s}.dashboard_region_keys(t.data ->> 'RegionCode', 'l:')) k(key)
          where {which} and not s.withdrawn and s.ended_on is not null and s.opened_year >= extract(year from s.ended_on)::int - 1
          group by 1, 2, 3
        """;

    /// <summary>The fingerprint of <see cref="InstallSql"/>: kept as the rollup table's comment, so the schema check sees a changed definition.</summary>
    public static string Fingerprint(string schema) =>
        "dashboard rollup " + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(InstallSql("{schema}"))))[..16];

    /// <summary>What the migration (and a development start) runs: install, mark, and fill from the facts already stored.</summary>
    public static string CreateSql(string schema) =>
        InstallSql(schema) + $"comment on table {schema}.dashboard_rollup is '{Fingerprint(schema)}';\n" + RebuildSql(schema) + "\n";

    public static string DropSql(string s) => $"""
        drop table if exists {s}.dashboard_case_state, {s}.dashboard_followup_state, {s}.dashboard_rollup, {s}.dashboard_target_mask,
          {s}.dashboard_mask_count, {s}.dashboard_publication_due cascade;
        drop function if exists {s}.dashboard_rollup_compact cascade;
        drop function if exists {s}.dashboard_case_changed, {s}.dashboard_publication_changed, {s}.dashboard_followup_changed,
          {s}.dashboard_target_moved, {s}.dashboard_department_changed, {s}.dashboard_facts_truncated cascade;

        """;
}

/// <summary>
/// The rollups as part of the schema model: the migration that creates them (and the drift test) sees them; the fingerprint comment
/// and the presence of the case trigger tell whether the database holds the current definition.
/// </summary>
public sealed class DashboardRollupSchema(string schema) : ISchemaObject
{
    public DbObjectName Identifier { get; } = new PostgresqlObjectName(schema, "dashboard_rollup", Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(DashboardRollup.CreateSql(schema));

    public void WriteDropStatement(Migrator rules, TextWriter writer) => writer.WriteLine(DashboardRollup.DropSql(schema));

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
    {
        builder.Append($"""
            select coalesce(obj_description(to_regclass('{schema}.dashboard_rollup'), 'pg_class'), '')
              || case when exists (select 1 from pg_trigger where tgname = 'dashboard_case_changed' and tgrelid = to_regclass('{schema}.mt_doc_casefact'))
                 then '' else ' without triggers' end;
            """);
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct)
    {
        var found = await reader.ReadAsync(ct) ? reader.GetString(0) : "";
        var difference = found == DashboardRollup.Fingerprint(schema) ? SchemaPatchDifference.None
            : found.StartsWith("dashboard rollup", StringComparison.Ordinal) ? SchemaPatchDifference.Update : SchemaPatchDifference.Create;
        return new SchemaObjectDelta(this, difference);
    }

    public IEnumerable<DbObjectName> AllNames()
    {
        yield return Identifier;
    }
}

/// <summary>
/// Folds the rollups' delta rows every <c>Supervision:DashboardCompactionIntervalMinutes</c> (1 by default; 0 turns it off), on one
/// node, so a dashboard sums few rows per key however many case writes came since (the figures are the same before and after).
/// </summary>
public sealed class DashboardRollupCompaction(SupervisionSettings settings, ILogger<DashboardRollupCompaction> logger,
    Infrastructure.Cluster.PeriodicJobLeadership leadership)
    : PeriodicJob(settings.PeriodicJobs.DashboardCompaction, logger, leadership)
{
    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(settings.ConnectionString);
        await connection.OpenAsync(ct);
        // A database whose rollups are not installed yet (a new development schema) has nothing to fold.
        await using (var exists = new NpgsqlCommand($"select to_regprocedure('{settings.Schema}.dashboard_rollup_compact()') is not null", connection))
            if (await exists.ExecuteScalarAsync(ct) is not true) return;
        await DashboardRollup.CompactAsync(connection, settings.Schema, ct);
    }
}
