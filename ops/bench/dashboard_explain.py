# Writes the province dashboard statement of DashboardSql.cs (13 scopes of the dashboard.sh data set) as plain SQL for EXPLAIN (issue 14):
#   python3 ops/bench/dashboard_explain.py > q.sql; (echo "explain (analyze, buffers)"; cat q.sql) | psql -d <kept bench db>
# (keep the data set with BENCH_DB=dshp_bench KEEP_DB=1 bash ops/bench/dashboard.sh 20000 1). Arrays are given as subqueries.
import re,sys
src=open('src/Supervision.Api/Dashboards/DashboardSql.cs').read()
m=re.search(r'\$"""\n(.*?)"""', src, re.S)
s=m.group(1)
for k,v in dict(cases='casefact',publications='publicationfact',followUps='followupfact',plans='planfact',draws='drawfact',targets='target').items():
    s=s.replace('{'+k+'}','supervision.mt_doc_'+v)
scopes = "(select array_agg(i) from generate_series(0,12) i)"
sdq = "(select %s from (select 0 as scope, id::text as dept from supervision.mt_doc_department union all select (substr(data->>'RegionCode',3,2))::int, id::text from supervision.mt_doc_department where data->>'RegionCode' <> '130000' union all select 12, id::text from supervision.mt_doc_department where data->>'Code'='130000-MarketRegulation') q)"
params=["'2025-01-01'","2025","2026","'2026-01-01'","'2026-12-31'","'2026-01-01'","'2026-12-01'",
 scopes, sdq%"array_agg(scope)", sdq%"array_agg(dept)",
 "(select array_agg(i) from generate_series(0,11) i)", "(select array['13'] || array_agg('13'||lpad(i::text,2,'0')) from generate_series(1,11) i)",
 "(select array_agg(d::date) from generate_series('2025-01-01'::date,'2026-12-03'::date,'1 day') d)",
 "(select array_agg((d::date + 28)) from generate_series('2025-01-01'::date,'2026-12-03'::date,'1 day') d)"]
parts=s.split('?')
assert len(parts)==len(params)+1, len(parts)
out=parts[0]
for p,rest in zip(params,parts[1:]): out+=p+rest
print(out+";")
