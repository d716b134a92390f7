namespace Supervision.Api.Dashboards;

public static partial class DashboardRollup
{
    /// <summary>The trigger functions and triggers on the fact tables, the truncate hook, and the compaction of delta rows.</summary>
    private static string TriggersSql(string s) => $$"""
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
        {{FoldDeltaRows(s, "dashboard_rollup", "r", "key", "kind", "grain", "bucket", "opened_year")}}
          get diagnostics folded = row_count;
        {{FoldDeltaRows(s, "dashboard_mask_count", "m", "key", "year", "inspected", "joint", "problem")}}
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
        {{FactTableTriggers(s, "mt_doc_casefact", "dashboard_case_changed")}}
        {{FactTableTriggers(s, "mt_doc_publicationfact", "dashboard_publication_changed")}}
        {{FactTableTriggers(s, "mt_doc_followupfact", "dashboard_followup_changed")}}
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

    /// <summary>The triggers that keep the rollups in step with one fact table: its rows changed, or the whole table truncated.</summary>
    private static string FactTableTriggers(string s, string table, string function) => $$"""
          if to_regclass('{{s}}.{{table}}') is not null then
            drop trigger if exists {{function}} on {{s}}.{{table}};
            create trigger {{function}} after insert or update or delete on {{s}}.{{table}}
              for each row execute function {{s}}.{{function}}();
            drop trigger if exists dashboard_facts_truncated on {{s}}.{{table}};
            create trigger dashboard_facts_truncated after truncate on {{s}}.{{table}} for each statement execute function {{s}}.dashboard_facts_truncated();
          end if;
        """;

    /// <summary>
    /// Folds a delta table's rows that share their <paramref name="columns"/> into one row of their summed <c>n</c> (dropping a sum of
    /// zero): the same statement for the rollup and the mask counts.
    /// </summary>
    private static string FoldDeltaRows(string s, string table, string alias, params string[] columns)
    {
        var list = string.Join(", ", columns);
        var positions = string.Join(", ", Enumerable.Range(1, columns.Length));
        return $$"""
                  with several as (select {{list}} from {{s}}.{{table}} group by {{positions}} having count(*) > 1),
                  gone as (delete from {{s}}.{{table}} {{alias}} using several x
                           where {{string.Join(" and ", columns.Select(c => $"{alias}.{c} = x.{c}"))}}
                           returning {{string.Join(", ", columns.Select(c => $"{alias}.{c}"))}}, {{alias}}.n)
                  insert into {{s}}.{{table}} ({{list}}, n)
                  select {{list}}, sum(n) from gone group by {{positions}} having sum(n) <> 0;
                """;
    }
}
