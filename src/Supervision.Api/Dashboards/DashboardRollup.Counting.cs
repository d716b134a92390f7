using Supervision.Domain.Inspections;

namespace Supervision.Api.Dashboards;

public static partial class DashboardRollup
{
    /// <summary>The rollup tables, the scope keys, what each case and follow-up contributes, and the refresh of one case, follow-up or target's rows.</summary>
    private static string CountingSql(string s) => $$"""
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

        """;

    /// <summary>The shipped catalogue versions' codes that record a problem, as the SQL function <c>dashboard_problem_found</c> reads them.</summary>
    private static string ShippedProblemPairs() => string.Join(", ",
        ResultCatalogue.Shipped.SelectMany(c => c.Entries.Where(e => e.ProblemFound).Select(e => $"'{c.Version}|{e.Code}'")));

    private static string ShippedVersions() => string.Join(", ", ResultCatalogue.Shipped.Select(c => $"'{c.Version}'"));
}
