using Supervision.Api.Calendar;
using Supervision.Api.Dashboards;
using Supervision.Domain.Dashboards;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Revisits;

namespace Supervision.Api.Tests.Dashboards;

/// <summary>
/// The live dashboards count in SQL (<see cref="DashboardSql"/>) exactly what the pure in-memory reference
/// (<see cref="DashboardFigures.Count"/> over every fact loaded) counts, and the monthly report built from the month's facts selected
/// in SQL equals the one built from every fact: a generated province (cities, counties, departments with and without plans, joint
/// cases, repeated targets, withdrawn cases, withheld and late publications, handed-over measures, voided and redone draws, plans of
/// two years), every scope a region dashboard asks, every month, quarter and year, an empty month, and several "today"s.
/// </summary>
public sealed class DashboardSqlEquivalenceTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static readonly Department[] Departments =
    [
        new(Guid.NewGuid(), "HB-SCJG", "河北省市场监督管理局", DepartmentKind.MarketRegulation, "130000", null, true),
        new(Guid.NewGuid(), "XT-SCJG", "邢台市市场监督管理局", DepartmentKind.MarketRegulation, "130500", null, true),
        new(Guid.NewGuid(), "XT-SW", "邢台市商务局", DepartmentKind.Commerce, "130500", null, true),
        new(Guid.NewGuid(), "NQ-SCJG", "内丘县市场监督管理局", DepartmentKind.MarketRegulation, "130523", null, true),
        new(Guid.NewGuid(), "NQ-SW", "内丘县商务局", DepartmentKind.Commerce, "130523", null, true),
        new(Guid.NewGuid(), "LC-SCJG", "临城县市场监督管理局", DepartmentKind.MarketRegulation, "130522", null, true),
        new(Guid.NewGuid(), "BD-SCJG", "保定市市场监督管理局", DepartmentKind.MarketRegulation, "130600", null, true),
        new(Guid.NewGuid(), "MC-SW", "满城区商务局", DepartmentKind.Commerce, "130607", null, true),
        // No plan, no case, no measure: every figure zero.
        new(Guid.NewGuid(), "LC-SW", "临城县商务局", DepartmentKind.Commerce, "130522", null, true),
    ];

    private static readonly Region[] Regions =
    [
        new(Guid.NewGuid(), "130000", "河北省", RegionLevel.Province, null, true),
        new(Guid.NewGuid(), "130500", "邢台市", RegionLevel.City, "130000", true),
        new(Guid.NewGuid(), "130522", "临城县", RegionLevel.County, "130500", true),
        new(Guid.NewGuid(), "130523", "内丘县", RegionLevel.County, "130500", true),
        new(Guid.NewGuid(), "130600", "保定市", RegionLevel.City, "130000", true),
        new(Guid.NewGuid(), "130607", "满城区", RegionLevel.County, "130600", true),
    ];

    private static readonly string[] Outcomes = ["no-problem", "problem-pending", "problem-rectified", "uncooperative", "not-found", "minor-defect"];

    /// <summary>
    /// The catalogue versions results are recorded under: none (read as cn-2024.1), the national list, a province's own version in which
    /// "minor-defect" records a problem and "problem-rectified" does not, and a version unknown here (read as the national list).
    /// </summary>
    private static readonly string?[] Versions = [null, "cn-2026.1", "130000-1", "zz-9"];

    private static readonly ProvinceResultCatalogue Hebei = new(ProvinceResultCatalogue.IdFor("130000"), "130000",
    [
        new ResultCatalogue("130000-1", "130000", "冀市监〔2026〕1号",
        [
            new CatalogueEntry("no-problem", "未发现问题"), new CatalogueEntry("minor-defect", "发现轻微问题", ProblemFound: true),
            new CatalogueEntry("problem-pending", "发现问题待后续处理", ProblemFound: true), new CatalogueEntry("problem-rectified", "已整改（不计问题）"),
        ]),
    ]);

    [Fact]
    public async Task Sql_counts_and_month_selection_equal_the_in_memory_reference()
    {
        await WriteWorldAsync(new Random(1406));
        await using var session = app.Store.QuerySession();
        var calendar = await CalendarSource.LoadAsync(session, CancellationToken.None);
        var loaded = await DashboardSource.LoadAsync(session, null, null, 2026, CancellationToken.None);
        Assert.True(loaded.Facts.Cases.Count > 300, "the generated world is in reach of the year's dashboards");

        var scopes = Regions.Select(r => new DashboardScope("region", null, r.Code, r.Name,
                Departments.Where(d => RegionCodes.Within(d.RegionCode, r.Code)).Select(d => d.Id).ToHashSet()))
            .Concat(Departments.Select(d => new DashboardScope("department", d.Id, d.RegionCode, d.Name, new HashSet<Guid> { d.Id })))
            .Append(new DashboardScope("region", null, "140000", "山西省", new HashSet<Guid>()))
            .ToList();
        var periods = Enumerable.Range(1, 12).Select(m => Period.Month(2026, m)).Concat(Enumerable.Range(1, 4).Select(q => Period.Quarter(2026, q)))
            .Append(Period.WholeYear(2026)).ToList();
        DateOnly[] todays = [new(2026, 3, 15), new(2026, 7, 1), new(2026, 12, 31)];
        var compared = 0;
        foreach (var period in periods)
            foreach (var today in todays)
            {
                var sql = await DashboardSql.CountAsync(session, scopes, period, today, calendar, CancellationToken.None);
                for (var i = 0; i < scopes.Count; i++)
                {
                    var reference = DashboardFigures.Count(scopes[i], period, today, loaded.Facts, calendar);
                    Assert.True(reference == sql[i], $"{scopes[i].Name} {period.Label} today {today}:\n reference {reference}\n sql       {sql[i]}");
                    compared++;
                }
            }
        Assert.Equal(periods.Count * todays.Length * scopes.Count, compared);

        // The year before: its cases opened before the window of the reference (1 January of the year before) are left out by both.
        var previous = await DashboardSource.LoadAsync(session, null, null, 2025, CancellationToken.None);
        var sql2025 = await DashboardSql.CountAsync(session, scopes, Period.WholeYear(2025), new DateOnly(2026, 1, 10), calendar, CancellationToken.None);
        for (var i = 0; i < scopes.Count; i++)
            Assert.Equal(DashboardFigures.Count(scopes[i], Period.WholeYear(2025), new DateOnly(2026, 1, 10), previous.Facts, calendar), sql2025[i]);

        // The figures are not all zero: the comparison compared something.
        var year = await DashboardSql.CountAsync(session, scopes, Period.WholeYear(2026), new DateOnly(2026, 12, 31), calendar, CancellationToken.None);
        Assert.True(year[0] is
        {
            Inspections: > 0, Entities: > 0, JointEntities: > 0, ProblemEntities: > 0, Covered: > 0, PublishedOnTime: > 0, OverdueEntries: > 0,
            MeasuresDue: > 0, Draws: > 0, JointDraws: > 0, Recusals: > 0, VoidedPlans: > 0, AdjustedPlans: > 0, LongestRedoChain: > 1, Revisits: > 0,
            RevisitsProblemMissed: > 0
        }, year[0].ToString());
        // The catalogue decides: the reference itself counts differently when a province version's flags are ignored.
        var withoutProvince = loaded.Facts with { Catalogues = ResultCatalogues.ShippedOnly };
        Assert.NotEqual(DashboardFigures.Count(scopes[0], Period.WholeYear(2026), new DateOnly(2026, 12, 31), withoutProvince, calendar).ProblemEntities,
            year[0].ProblemEntities);
        Assert.Equal(new DashboardCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), year[scopes.FindIndex(s => s.Name == "临城县商务局")]);

        // A database upgraded in place: the rollups emptied, the migration's back-fill statement run, the same answers.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            await using var truncate = new NpgsqlCommand($"truncate {app.Schema}.dashboard_rollup, {app.Schema}.dashboard_mask_count, {app.Schema}.dashboard_target_mask, " +
                $"{app.Schema}.dashboard_case_state, {app.Schema}.dashboard_followup_state", connection);
            await truncate.ExecuteNonQueryAsync();
            var emptied = await DashboardSql.CountAsync(session, scopes, Period.WholeYear(2026), new DateOnly(2026, 12, 31), calendar, CancellationToken.None);
            Assert.Equal(0, emptied[0].Inspections);
            await using var backfill = new NpgsqlCommand(DashboardRollup.RebuildSql(app.Schema), connection);
            await backfill.ExecuteNonQueryAsync();
        }
        foreach (var period in new[] { Period.WholeYear(2026), Period.Quarter(2026, 2), Period.Month(2026, 11) })
        {
            var again = await DashboardSql.CountAsync(session, scopes, period, new DateOnly(2026, 7, 1), calendar, CancellationToken.None);
            for (var i = 0; i < scopes.Count; i++)
                Assert.Equal(DashboardFigures.Count(scopes[i], period, new DateOnly(2026, 7, 1), loaded.Facts, calendar), again[i]);
        }

        // The monthly report: the month's facts selected in SQL give the same report as every fact loaded.
        // Both in one order of cases: a joint line names the participants of its task's first case.
        static DashboardFacts Ordered(DashboardFacts f) => f with { Cases = f.Cases.OrderBy(c => c.Id).ToList() };
        var all = Ordered(loaded.Facts);
        foreach (var month in Enumerable.Range(1, 12).Select(m => Period.Month(2026, m)))
        {
            foreach (var county in Regions.Where(r => r.Level == RegionLevel.County))
            {
                var unit = Departments.Where(d => d.RegionCode == county.Code).OrderBy(d => d.Code, StringComparer.Ordinal)
                    .Select(d => new ReportDepartment(d.Id, d.Name, d.RegionCode, d.Kind.ToString())).ToList();
                var selected = Ordered(await DashboardSource.LoadMonthAsync(session, month, unit.Select(d => d.Id).ToHashSet(), CancellationToken.None));
                AssertSame(MonthlyReports.County(county.Name, county.Code, month, new DateOnly(2026, 12, 1), 20, unit, all),
                    MonthlyReports.County(county.Name, county.Code, month, new DateOnly(2026, 12, 1), 20, unit, selected));
            }
            foreach (var department in Departments.Where(d => d.RegionCode is "130500" or "130600"))
            {
                var city = department.RegionCode[..4] + "00";
                var system = Departments.Where(d => d.Kind == department.Kind && RegionCodes.Within(d.RegionCode, city)).OrderBy(d => d.Code, StringComparer.Ordinal)
                    .Select(d => new ReportDepartment(d.Id, d.Name, d.RegionCode, d.Kind.ToString())).ToList();
                var own = new ReportDepartment(department.Id, department.Name, department.RegionCode, department.Kind.ToString());
                var selected = Ordered(await DashboardSource.LoadMonthAsync(session, month, system.Append(own).Select(d => d.Id).ToHashSet(), CancellationToken.None));
                AssertSame(MonthlyReports.CityDepartment(own, month, new DateOnly(2026, 12, 1), 20, system, all),
                    MonthlyReports.CityDepartment(own, month, new DateOnly(2026, 12, 1), 20, system, selected));
            }
        }

        // The counters are delta rows (issue 14): writes append, the compaction folds them. Before it, some counter has several rows
        // (the world's cases changed after they were first counted); after it, one row each, and every figure is the same.
        await using (var connection = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await connection.OpenAsync();
            async Task<long> CountersWithSeveralRowsAsync()
            {
                await using var several = new NpgsqlCommand($"select (select count(*) from (select 1 from {app.Schema}.dashboard_rollup group by key, kind, grain, bucket, opened_year having count(*) > 1) r) " +
                    $"+ (select count(*) from (select 1 from {app.Schema}.dashboard_mask_count group by key, year, inspected, joint, problem having count(*) > 1) m)", connection);
                return (long)(await several.ExecuteScalarAsync())!;
            }
            // The back-fill above wrote one row per counter: through the triggers, take 40 cases' submissions back and give them again
            // (the facts end as they were; the counters gain delta rows).
            await using (var touch = new NpgsqlCommand($"create temp table touched as select id, submitted_on from {app.Schema}.mt_doc_casefact where submitted_on is not null order by id limit 40; " +
                $"update {app.Schema}.mt_doc_casefact c set submitted_on = null from touched t where c.id = t.id; " +
                $"update {app.Schema}.mt_doc_casefact c set submitted_on = t.submitted_on from touched t where c.id = t.id; drop table touched", connection))
                await touch.ExecuteNonQueryAsync();
            Assert.True(await CountersWithSeveralRowsAsync() > 0);
            var before = await DashboardSql.CountAsync(session, scopes, Period.WholeYear(2026), new DateOnly(2026, 7, 1), calendar, CancellationToken.None);
            Assert.True(await DashboardRollup.CompactAsync(connection, app.Schema, CancellationToken.None) > 0);
            Assert.Equal(0, await CountersWithSeveralRowsAsync());
            Assert.Equal(before, await DashboardSql.CountAsync(session, scopes, Period.WholeYear(2026), new DateOnly(2026, 7, 1), calendar, CancellationToken.None));
            foreach (var period in new[] { Period.WholeYear(2026), Period.Quarter(2026, 3), Period.Month(2026, 5) })
            {
                var compacted = await DashboardSql.CountAsync(session, scopes, period, new DateOnly(2026, 7, 1), calendar, CancellationToken.None);
                for (var i = 0; i < scopes.Count; i++)
                    Assert.Equal(DashboardFigures.Count(scopes[i], period, new DateOnly(2026, 7, 1), loaded.Facts, calendar), compacted[i]);
            }
        }

        // Attack: two case writes of one department at once, both moving their case into the same month (the same counters of the
        // department, its county, city and province). The second must not wait for the first to commit (it did, on the counter row
        // both upserted, and could deadlock): with a lock timeout it would fail here.
        await using (var first = new NpgsqlConnection(SupervisionApp.ConnectionString))
        await using (var second = new NpgsqlConnection(SupervisionApp.ConnectionString))
        {
            await first.OpenAsync();
            await second.OpenAsync();
            // Two cases of one department opened in the same year (so they share every counter row of March), on different targets.
            await using var pick = new NpgsqlCommand($"select c.id, c.data -> 'DepartmentIds' ->> 0, s.opened_year, c.target_id from {app.Schema}.mt_doc_casefact c " +
                $"join {app.Schema}.dashboard_case_state s on s.case_id = c.id where jsonb_array_length(c.data -> 'DepartmentIds') = 1 and not s.withdrawn order by c.id", first);
            var cases = new List<(Guid Id, string Department, int Year, Guid Target)>();
            await using (var reader = await pick.ExecuteReaderAsync())
                while (await reader.ReadAsync()) cases.Add((reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetGuid(3)));
            var pair = cases.GroupBy(c => (c.Department, c.Year)).Select(g => g.DistinctBy(c => c.Target).Take(2).ToList()).First(g => g.Count == 2);
            await using var one = await first.BeginTransactionAsync();
            await using var two = await second.BeginTransactionAsync();
            async Task MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id)
            {
                await using var move = new NpgsqlCommand($"set local lock_timeout = '3s'; update {app.Schema}.mt_doc_casefact set ended_on = date '2026-03-15' where id = @id", connection, transaction);
                move.Parameters.AddWithValue("id", id);
                await move.ExecuteNonQueryAsync();
            }
            await MoveAsync(first, one, pair[0].Id);
            await MoveAsync(second, two, pair[1].Id);   // before the change: 55P03 lock_not_available after 3 s
            await two.RollbackAsync();
            await one.RollbackAsync();
        }
    }

    private static void AssertSame(MonthlyReport expected, MonthlyReport actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));

    private async Task WriteWorldAsync(Random random)
    {
        DateOnly Day(int fromYear = 2024) => new DateOnly(fromYear, 10, 1).AddDays(random.Next((new DateOnly(2026, 12, 31).DayNumber - new DateOnly(fromYear, 10, 1).DayNumber) + 1));
        DateOnly? Maybe(Func<DateOnly> day, int percent = 70) => random.Next(100) < percent ? day() : null;
        var active = Departments[..^1];
        Guid AnyDepartment() => active[random.Next(active.Length)].Id;
        var counties = new[] { "130522", "130523", "130607", "130500", "130600", "130100" };

        var targets = Enumerable.Range(0, 160).Select(n => new Target(Guid.NewGuid(), $"EQ-{n:0000}", null, $"对象{n}", TargetKind.Enterprise, null,
            counties[random.Next(counties.Length)], null, new DateOnly(2020, 1, 1), null, OperatingStatus.Operating, null, [], [], null, null)).ToList();

        var plans = Enumerable.Range(0, 8).Select(n =>
        {
            var department = AnyDepartment();
            var tasks = Enumerable.Range(1, 1 + random.Next(3)).Select(t => new PlanTaskFact($"{2025 + n % 2}{n:000}-{t:00}", department, null,
                random.Next(3) == 0 ? [department, AnyDepartment()] : [department], random.Next(3) == 0, random.Next(2) == 0, 1 + random.Next(3), "范围")).ToList();
            // A task number given twice: the first one counts, as PlanFact.Task finds it.
            if (n == 3) tasks.Add(tasks[0] with { Joint = !tasks[0].Joint });
            return new PlanFact(Guid.NewGuid(), department, 2025 + n % 2, $"{2025 + n % 2}{n:000}", $"计划{n}", random.Next(2) == 0 ? $"实施方案{n}" : null, tasks,
                Maybe(() => Day(2025)), Enumerable.Range(0, random.Next(3)).Select(_ => Day(2025)).ToList(), Maybe(() => Day(2025), 25));
        }).ToList();

        var draws = new List<DrawFact>();
        foreach (var n in Enumerable.Range(0, 40))
        {
            var plan = plans[random.Next(plans.Count)];
            var task = random.Next(10) == 0 ? "missing-task" : plan.Tasks[random.Next(plan.Tasks.Count)].Number;
            var replaces = draws.Count > 0 && random.Next(3) == 0 ? draws[random.Next(draws.Count)].Id : (Guid?)null;
            draws.Add(new DrawFact(Guid.NewGuid(), plan.Id, plan.DepartmentId, plan.Number, task, plan.Year, Day(2025), Maybe(() => Day(2025)), 50 + random.Next(200),
                random.Next(6) == 0, Enumerable.Range(0, random.Next(3)).Select(_ => Day(2025)).ToList(), Enumerable.Range(0, random.Next(2)).Select(_ => Day(2025)).ToList(),
                Maybe(() => Day(2025), 10), replaces));
        }

        var cases = new List<CaseFact>();
        var publications = new List<PublicationFact>();
        foreach (var n in Enumerable.Range(0, 700))
        {
            var plan = plans[random.Next(plans.Count)];
            var task = plan.Tasks[random.Next(plan.Tasks.Count)];
            var departments = Enumerable.Range(0, 1 + (random.Next(4) == 0 ? 1 : 0)).Select(_ => random.Next(3) == 0 ? plan.DepartmentId : AnyDepartment()).Distinct().ToList();
            var opened = Day();
            DateOnly? After(DateOnly from, int percent) => random.Next(100) < percent ? from.AddDays(random.Next(60)) : null;
            var ended = After(opened, 80);
            var entryDue = ended is { } e ? e.AddDays(28) : (DateOnly?)null;
            var submitted = ended is { } e2 ? After(e2, 75) : null;
            var formed = submitted is { } s ? After(s, 85) : null;
            var outcomes = departments.SelectMany(d => Enumerable.Range(0, random.Next(3)).Select(_ => new MatterOutcome(d, Guid.NewGuid(), Outcomes[random.Next(Outcomes.Length)],
                Versions[random.Next(Versions.Length)]))).ToList();
            var fact = new CaseFact(Guid.NewGuid(), plan.Id, draws[random.Next(draws.Count)].Id, task.Number, targets[random.Next(targets.Count)].Id, departments,
                departments.Select(d => new CaseParticipant(d, Enumerable.Range(0, 1 + random.Next(2)).Select(_ => Guid.NewGuid()).ToList())).ToList(),
                opened, ended, entryDue, random.Next(5) == 0, departments, formed is null ? [] : departments, submitted, formed, outcomes, null, false, random.Next(20) == 0);
            cases.Add(fact);
            if (formed is { } f && random.Next(100) < 70)
                publications.Add(new PublicationFact(Guid.NewGuid(), fact.Id, random.Next(8) == 0 ? null : f.AddDays(random.Next(40)), random.Next(10) == 0));
        }

        var followUps = Enumerable.Range(0, 120).Select(n =>
        {
            var c = cases[random.Next(cases.Count)];
            return new FollowUpFact(Guid.NewGuid(), c.Id, c.DepartmentIds[0], Enumerable.Range(1, 1 + random.Next(3)).Select(m =>
            {
                var due = Day(2025);
                var backFilled = Maybe(() => due.AddDays(random.Next(-10, 20)), 60);
                return new MeasureFact(m, MeasureKind.RectificationOrder, random.Next(3) == 0 ? AnyDepartment() : c.DepartmentIds[0], due, backFilled,
                    backFilled > due, random.Next(4) == 0);
            }).ToList());
        }).ToList();

        var revisits = Enumerable.Range(0, 90).Select(n =>
        {
            var c = cases[random.Next(cases.Count)];
            var missed = random.Next(3) == 0;
            return new Revisit(Guid.NewGuid(), c.Id, c.TargetId, c.DepartmentIds[random.Next(c.DepartmentIds.Count)], Day(2025), "回访", missed ? RevisitVerdict.ProblemMissed : RevisitVerdict.ResultStands,
                missed ? "problem-pending" : null, missed ? "cn-2026.1" : null, "抽查质量", "revisitor", null, 0);
        }).ToList();

        // The directories first, as in life (a department and a target exist before their cases).
        await using (var directories = app.Store.LightweightSession())
        {
            directories.Store(Departments);
            directories.Store(Regions);
            directories.Store(targets.ToArray());
            directories.Store(Hebei);
            await directories.SaveChangesAsync();
        }
        await using var session = app.Store.LightweightSession();
        session.Store(revisits.ToArray());
        session.Store(plans.ToArray());
        session.Store(draws.ToArray());
        session.Store(cases.ToArray());
        session.Store(publications.ToArray());
        session.Store(followUps.ToArray());
        await session.SaveChangesAsync();
    }
}
