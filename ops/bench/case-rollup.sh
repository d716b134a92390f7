#!/usr/bin/env bash
# What the dashboard rollup triggers (migration 0030) cost a case write, and whether concurrent case writes in one province
# serialise on the hot rollup rows. On a throwaway database built from the migration files alone, pgbench runs a transaction
# shaped like a case command (begin; the case fact changes; an event-sized insert; commit: four round trips, the locks the trigger
# takes are held until the commit as in the service) against:
#   hot        16 clients, every case of one county department (its rows d:, r:county, r:city, r:province are shared by all)
#   spread     16 clients, the cases spread over 16 departments in 16 provinces (no rollup row shared between provinces)
#   no-trigger 16 clients, the hot cases with the rollup trigger disabled (the raw limit of the same write, same run)
#   and each of hot / no-trigger with 1 client (the trigger's own cost per write, no contention)
# Each fact change moves the case's end month and toggles its submission, so each write changes its rollup and mask rows.
# Runs are interleaved, median of RUNS; deadlocks (pg_stat_database) and pgbench's retried / failed transactions are reported.
# Usage: bash ops/bench/case-rollup.sh
#   CASES (5000 per set), RUNS (3), SECONDS_PER_RUN (12), CONNECTIONS (16), BENCH_DB (supervision_case_rollup),
#   API_DLL (default: this checkout's Release build, built first; used only to apply the migration files)
#   MIGRATIONS_DIR (eventstore-migrations): e.g. a copy without the newest file, to measure the rollups as they were
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)"
cd "$REPO"
CASES="${CASES:-5000}"; RUNS="${RUNS:-3}"; SECONDS_PER_RUN="${SECONDS_PER_RUN:-12}"; CONNECTIONS="${CONNECTIONS:-16}"
command -v pgbench >/dev/null || { echo "pgbench (postgresql-contrib / postgresql-client) is needed" >&2; exit 1; }
base="$(bash ops/pg.sh start)"; base="${base##*$'\n'}"
host="$(sed -E 's/.*Host=([^;]+).*/\1/' <<<"$base")"; port="$(sed -E 's/.*Port=([^;]+).*/\1/' <<<"$base")"
db="${BENCH_DB:-${BENCH_DB_PREFIX:-supervision_}case_rollup}"
q() { psql -h "$host" -p "$port" -U postgres -d "$1" -v ON_ERROR_STOP=1 -qtAc "$2"; }
q postgres "drop database if exists $db with (force)" >/dev/null
q postgres "create database $db" >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"; [[ -n "${KEEP_BENCH_DB:-}" ]] || q postgres "drop database if exists $db with (force)" >/dev/null' EXIT
if [[ -z "${API_DLL:-}" ]]; then dotnet build src/Supervision.Api -c Release -v q -nologo >/dev/null; API_DLL="src/Supervision.Api/bin/Release/net10.0/Supervision.Api.dll"; fi
ConnectionStrings__Supervision="$(sed -E "s/Database=[^;]+/Database=$db/" <<<"$base")" dotnet "$API_DLL" schema-apply "${MIGRATIONS_DIR:-eventstore-migrations}" 2>&1 | tail -1 | cut -c1-60

# 17 departments: number 0 in county 130502 (the hot one), 1..16 each in a county of a different province.
q "$db" "
insert into supervision.mt_doc_department (id, data, mt_dotnet_type)
select md5('dept' || i)::uuid, jsonb_build_object('Id', md5('dept' || i)::uuid, 'Code', 'BENCH-' || i, 'RegionCode', r), 'Supervision.Domain.Organization.Department'
from (values (0, '130502'), (1, '110101'), (2, '120101'), (3, '130102'), (4, '140105'), (5, '150102'), (6, '210102'), (7, '220102'),
             (8, '230102'), (9, '310101'), (10, '320102'), (11, '330102'), (12, '340102'), (13, '350102'), (14, '360102'), (15, '370102'),
             (16, '410102')) d(i, r);
insert into supervision.mt_doc_target (id, data, mt_dotnet_type)
select md5('target' || n)::uuid, jsonb_build_object('Id', md5('target' || n)::uuid, 'Identifier', 'T' || n,
       'RegionCode', case when n <= $CASES then '130502' else (select data ->> 'RegionCode' from supervision.mt_doc_department where id = md5('dept' || (1 + n % 16))::uuid) end),
       'Supervision.Domain.Directories.Target'
from generate_series(1, 2 * $CASES) n;
insert into supervision.mt_doc_casefact (id, data, mt_dotnet_type, opened_on, target_id, ended_on, entry_due, submitted_on, results_formed_on)
select md5('case' || n)::uuid,
       jsonb_build_object('Id', md5('case' || n)::uuid, 'DepartmentIds', jsonb_build_array(md5('dept' || case when n <= $CASES then 0 else 1 + n % 16 end)::uuid),
                          'Withdrawn', false, 'Outcomes', '[]'::jsonb),
       'Supervision.Domain.Dashboards.CaseFact', date '2026-01-05', md5('target' || n)::uuid, date '2026-01-20', date '2026-02-10', null, null
from generate_series(1, 2 * $CASES) n;
create table bench_events (seq bigint generated always as identity primary key, stream uuid not null, data jsonb not null);
analyze;"
echo "rollup rows after seeding: $(q "$db" "select count(*) from supervision.dashboard_rollup") rollup, $(q "$db" "select count(*) from supervision.dashboard_mask_count") mask counts"

write() { # first, last case number
  printf '%s\n' "\\set n random($1, $2)" "\\set d random(0, 330)" 'begin;' \
    "update supervision.mt_doc_casefact set ended_on = date '2026-01-01' + :d, submitted_on = case when submitted_on is null then date '2026-02-01' end where id = md5('case' || :n)::uuid;" \
    "insert into bench_events (stream, data) values (md5('case' || :n)::uuid, jsonb_build_object('n', :n, 'endedOn', date '2026-01-01' + :d));" \
    'commit;'
}
write 1 "$CASES" > "$work/hot.sql"; write $((CASES + 1)) $((2 * CASES)) > "$work/spread.sql"
deadlocks() { q "$db" "select deadlocks from pg_stat_database where datname = current_database()"; }
trigger() { q "$db" "alter table supervision.mt_doc_casefact $1 trigger dashboard_case_changed" >/dev/null; }
run() { # name script clients → "tps latency_ms failed retried deadlocks"
  local before out; before="$(deadlocks)"
  out="$(pgbench -h "$host" -p "$port" -U postgres -n -c "$3" -j "$(( $3 < 2 ? 1 : 2 ))" -T "$SECONDS_PER_RUN" --max-tries=20 -f "$2" "$db" 2>&1)"
  echo "$(sed -nE 's/^tps = ([0-9.]+).*/\1/p' <<<"$out" | head -1) $(sed -nE 's/^latency average = ([0-9.]+) ms.*/\1/p' <<<"$out" | head -1) \
$(sed -nE 's/^number of failed transactions: ([0-9]+).*/\1/p' <<<"$out" | head -1) $(sed -nE 's/^number of transactions retried: ([0-9]+).*/\1/p' <<<"$out" | head -1) \
$(( $(deadlocks) - before ))" >> "$work/$1.txt"
}
for i in $(seq 1 "$RUNS"); do
  trigger enable;  run hot "$work/hot.sql" "$CONNECTIONS"; run spread "$work/spread.sql" "$CONNECTIONS"; run hot1 "$work/hot.sql" 1
  trigger disable; run none "$work/hot.sql" "$CONNECTIONS"; run none1 "$work/hot.sql" 1
  trigger enable
  echo "run $i done ($(date -u +%H:%M:%S), load $(cut -d' ' -f1 /proc/loadavg))" >&2
done
python3 - "$work" "$CONNECTIONS" <<'PY'
import sys, statistics, os
work, c = sys.argv[1], sys.argv[2]
def rows(name):
    out = []
    for l in open(os.path.join(work, name + ".txt")):
        f = (l.split() + ["0"] * 5)[:5]
        out.append([float(x) if x else 0.0 for x in f])
    return out
m = {n: rows(n) for n in ["hot", "spread", "none", "hot1", "none1"]}
med = lambda n, k: statistics.median(r[k] for r in m[n])
tot = lambda n, k: int(sum(r[k] for r in m[n]))
print(f"{'case-command-shaped write':58s} {'tx/s':>8s} {'latency ms':>11s} {'retried':>8s} {'failed':>7s} {'deadlocks':>9s}")
for n, label in [("none", f"no rollup trigger, one county department, {c} clients"), ("hot", f"rollup trigger, one county department, {c} clients"),
                 ("spread", f"rollup trigger, 16 provinces, {c} clients"), ("none1", "no rollup trigger, 1 client"), ("hot1", "rollup trigger, 1 client")]:
    print(f"{label:58s} {med(n, 0):8.0f} {med(n, 1):11.2f} {tot(n, 3):8d} {tot(n, 2):7d} {tot(n, 4):9d}")
print(f"trigger cost per write, 1 client: +{med('hot1', 1) - med('none1', 1):.2f} ms ({med('hot1', 1) / med('none1', 1):.2f} x the write without it)")
print(f"one province under {c} clients: {100 * med('hot', 0) / med('none', 0):.1f} % of the same writes without the trigger; "
      f"16 provinces: {100 * med('spread', 0) / med('none', 0):.1f} % (medians of the runs)")
print(f"ROW|case writes with the dashboard rollup triggers, one province, {c} clients|{med('hot', 0):.0f} tx/s ({tot('hot', 4)} deadlocks, {tot('hot', 3)} retried)|"
      f"the same writes without the trigger {med('none', 0):.0f} tx/s|{100 * med('hot', 0) / med('none', 0):.1f} %")
PY
