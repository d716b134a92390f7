namespace Supervision.Api.Dashboards;

public static partial class DashboardRollup
{
    /// <summary>The set-based recount of everything from the facts, and the sync of the publication deadlines with the C# calendar.</summary>
    private static string RebuildingSql(string s) => $$"""
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

        """;
}
