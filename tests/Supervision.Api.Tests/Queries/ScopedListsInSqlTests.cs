using Supervision.Api.FollowUps;
using Supervision.Api.Infrastructure;
using Supervision.Api.Inspections;
using Supervision.Api.Plans;
using Supervision.Domain.Access;
using Supervision.Domain.FollowUps;
using Supervision.Domain.Inspections;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The scoped lists (cases, my cases, plans, follow-ups) answer in SQL exactly as loading everything and asking <see cref="ReadAccess"/>
/// of each record did: generated records spread over departments of a province, two cities and their counties (joint cases, handed-over
/// measures, task participants, team members in other departments, staff codes in other spellings, ties in every sort key), read by
/// every role of every department and by tokens without one, every filter, every page. A department of another province reads
/// nothing through any filter or page.
/// </summary>
public sealed class ScopedListsInSqlTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    /// <summary>One world for the class, written once into the fixture's schema (xUnit makes an instance per test).</summary>
    private static readonly SemaphoreSlim Once = new(1, 1);

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
    ];

    /// <summary>Another province's department: nothing generated belongs to it.</summary>
    private static readonly Department Outsider = new(Guid.NewGuid(), "SX-SCJG", "山西省市场监督管理局", DepartmentKind.MarketRegulation, "140000", null, true);

    private static readonly string[] Roles_ = [Roles.Planner, Roles.Approver, Roles.Inspector, Roles.Reviewer, Roles.FollowUpHandler, Roles.DirectoryKeeper,
        Roles.DisciplineInspector, Roles.Auditor, Roles.SystemAdmin];

    private static readonly string[] StaffCodes = ["I1", "I2", "i2", " I3 ", "I4"];
    private static readonly Guid[] plansIds = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
    private static List<InspectionCase> cases = [];
    private static List<AnnualPlan> plans = [];
    private static List<FollowUpCase> followUps = [];

    private static IReadOnlyDictionary<Guid, DepartmentPlace> Places =>
        Departments.Append(Outsider).ToDictionary(d => d.Id, d => new DepartmentPlace(d.Id, d.RegionCode));

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            await using var session = app.Store.QuerySession();
            if (!await session.Query<Department>().AnyAsync()) await WriteWorldAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task WriteWorldAsync()
    {
        var random = new Random(1402);
        Guid AnyDepartment() => random.Next(25) == 0 ? Guid.NewGuid() : Departments[random.Next(Departments.Length)].Id;
        DateOnly? Due() => random.Next(5) == 0 ? null : new DateOnly(2026, 4, 1 + random.Next(6));
        cases = Enumerable.Range(0, 360).Select(n =>
        {
            var departments = Enumerable.Range(0, 1 + random.Next(2)).Select(_ => AnyDepartment()).Distinct()
                .Select(d => new DepartmentRecord(d, [], [], ReviewStatus.NotSubmitted, [], [])).ToList();
            var team = Enumerable.Range(0, 1 + random.Next(3))
                .Select(_ => new TeamMember(Guid.NewGuid(), StaffCodes[random.Next(StaffCodes.Length)], random.Next(4) == 0 ? AnyDepartment() : departments[0].DepartmentId)).ToList();
            var due = Due();
            return new InspectionCase(Guid.NewGuid(), Guid.NewGuid(), plansIds[random.Next(plansIds.Length)], "01", Guid.NewGuid(), (CaseStatus)random.Next(5), team, departments,
                [], null, null, [], DeadlineTrigger.InspectionEnded, due is { } d ? new ResultDeadline(DeadlineTrigger.InspectionEnded, d.AddDays(-28), d, false, ["2026r1"], d.AddDays(-3)) : null,
                random.Next(3) == 0, false)
            { Version = 1 };
        }).ToList();
        plans = Enumerable.Range(0, 200).Select(n =>
        {
            var owner = AnyDepartment();
            var tasks = Enumerable.Range(1, random.Next(3)).Select(t => new SamplingTask($"20260{n % 3}-0{t}", new TaskDefinition("任务", TaskType.Undirected, owner, null,
                Enumerable.Range(0, 1 + random.Next(2)).Select(_ => new Participant(AnyDepartment(), [])).ToList(), new TargetFilter(), "全部", new SamplingRule(1m, null, null), 2,
                new DateOnly(2026, 3, 1), new DateOnly(2026, 11, 30)), false, null)).ToList();
            return new AnnualPlan(Guid.NewGuid(), owner, 2026 + random.Next(2), $"20260{n % 3}", "计划", null, (PlanStatus)random.Next(8), 1, tasks, "p", "p", null, null, [], [], null, null, 3)
            { Version = 1 };
        }).ToList();
        followUps = Enumerable.Range(0, 300).Select(n =>
        {
            var department = AnyDepartment();
            var measures = Enumerable.Range(1, random.Next(4)).Select(m => new Measure(m, MeasureKind.RectificationOrder, random.Next(2) == 0 ? department : AnyDepartment(),
                new DateOnly(2026, 5, 1), null, true, random.Next(2) == 0 ? null : "已整改", [], null, random.Next(3) == 0)).ToList();
            return new FollowUpCase(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), department, "problem-pending", measures, FollowUpStatus.Open, null) { Version = 1 };
        }).ToList();
        await app.Store.BulkInsertDocumentsAsync(Departments.Append(Outsider).ToList());
        await app.Store.BulkInsertDocumentsAsync(cases);
        await app.Store.BulkInsertDocumentsAsync(plans);
        await app.Store.BulkInsertDocumentsAsync(followUps);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static Reader ReaderOf(string userId, string role, Department? department) =>
        new(userId, new HashSet<string> { role }, department?.Id, department?.RegionCode, department?.Kind);

    /// <summary>Every page of a list (size 17, then the default size once), checked against the reference's pages and total.</summary>
    private static async Task<int> SamePagesAsync<T>(HttpClient client, string url, IReadOnlyList<Guid> expected, Func<T, Guid> id, string who)
    {
        var separator = url.Contains('?') ? "&" : "?";
        var pages = expected.Count / 17 + 2;
        for (var page = 1; page <= pages; page++)
        {
            var result = await (await client.GetAsync($"{url}{separator}page={page}&pageSize=17")).ReadAs<PagedResult<T>>();
            Assert.True(expected.Skip((page - 1) * 17).Take(17).SequenceEqual(result.Items.Select(id)), $"{who}: {url} page {page}");
            Assert.True(expected.Count == result.Total, $"{who}: {url} total {result.Total}, expected {expected.Count}");
        }
        var first = await (await client.GetAsync(url)).ReadAs<PagedResult<T>>();
        Assert.True(expected.Take(Paging.DefaultPageSize).SequenceEqual(first.Items.Select(id)), $"{who}: {url}");
        return expected.Count;
    }

    [Fact]
    public async Task Every_reader_filter_and_page_answers_as_the_in_memory_scope_did()
    {
        var places = Places;
        var seen = 0;
        var readers = Departments.SelectMany(d => Roles_.Select(r => (Department: (Department?)d, Role: r))).Concat(Roles_.Select(r => (Department: (Department?)null, Role: r)));
        foreach (var (department, role) in readers)
        {
            var userId = role == Roles.Inspector ? "i2" : "u-" + role;
            var reader = ReaderOf(userId, role, department);
            var client = app.ClientFor(userId, role, department?.Id);
            var who = $"{role} of {department?.Code ?? "no department"}";
            foreach (var (dept, plan, overdue, status) in new (Guid?, Guid?, bool?, CaseStatus?)[]
                     { (null, null, null, null), (department?.Id ?? Departments[1].Id, null, null, null), (null, plansIds[0], true, null), (null, null, false, CaseStatus.InProgress) })
            {
                var query = string.Join("&", new[] { dept is { } d ? $"departmentId={d}" : null, plan is { } p ? $"planId={p}" : null,
                    overdue is { } o ? $"overdue={o.ToString().ToLowerInvariant()}" : null, status is { } s ? $"status={s}" : null }.Where(x => x is not null));
                seen += await SamePagesAsync<CaseSummary>(client, "/api/cases?" + query,
                    InMemoryScopedLists.Cases(cases, reader, places, dept, plan, overdue, status).Select(c => c.Id).ToList(), c => c.Id, who);
            }
            seen += await SamePagesAsync<CaseSummary>(client, "/api/cases/mine", InMemoryScopedLists.MyCases(cases, userId, department?.Id).Select(c => c.Id).ToList(), c => c.Id, who);
            foreach (var (dept, year, status) in new (Guid?, int?, PlanStatus?)[] { (null, null, null), (Departments[3].Id, 2026, null), (null, 2027, PlanStatus.Approved) })
            {
                var query = string.Join("&", new[] { dept is { } d ? $"departmentId={d}" : null, year is { } y ? $"year={y}" : null, status is { } s ? $"status={s}" : null }.Where(x => x is not null));
                seen += await SamePagesAsync<PlanSummary>(client, "/api/plans?" + query,
                    InMemoryScopedLists.Plans(plans, reader, places, dept, year, status).Select(p => p.Id).ToList(), p => p.Id, who);
            }
            foreach (var (dept, waiting, overdue) in new (Guid?, Guid?, bool?)[] { (null, null, null), (Departments[3].Id, null, null), (null, department?.Id ?? Departments[4].Id, null), (null, null, true) })
            {
                var query = string.Join("&", new[] { dept is { } d ? $"departmentId={d}" : null, waiting is { } w ? $"waitingFor={w}" : null, overdue is { } o ? "overdue=true" : null }.Where(x => x is not null));
                seen += await SamePagesAsync<FollowUpSummary>(client, "/api/follow-ups?" + query,
                    InMemoryScopedLists.FollowUps(followUps, reader, places, dept, waiting, overdue).Select(f => f.Id).ToList(), f => f.Id, who);
            }
        }
        Assert.True(seen > 2_000, $"only {seen} rows compared");
    }

    [Fact]
    public async Task A_department_of_another_province_reads_nothing_through_any_filter_or_page()
    {
        var urls = new List<string> { "/api/cases/mine", "/api/draws" };
        foreach (var d in Departments.Select(d => (Guid?)d.Id).Append(Outsider.Id).Append(Guid.Empty).Append(null))
        {
            var department = d is { } id ? $"departmentId={id}" : "";
            urls.AddRange([$"/api/cases?{department}", $"/api/cases?{department}&overdue=true", $"/api/cases?{department}&status=Open", $"/api/plans?{department}",
                $"/api/plans?{department}&year=2026", $"/api/follow-ups?{department}", $"/api/follow-ups?{department}&overdue=true", $"/api/follow-ups?waitingFor={d}"]);
        }
        urls.AddRange(plansIds.Select(p => $"/api/cases?planId={p}"));
        foreach (var role in Roles_)
            foreach (var userId in StaffCodes.Select(c => c.Trim()).Append("u-" + role))
            {
                var client = app.ClientFor(userId, role, Outsider.Id);
                foreach (var url in urls)
                    foreach (var paging in new[] { "", "page=1&pageSize=500", "page=2&pageSize=1", "page=0&pageSize=0", "page=-1&pageSize=-5", "page=99999&pageSize=500" })
                    {
                        var response = await client.GetAsync(url + (url.Contains('?') ? "&" : "?") + paging);
                        Assert.True(response.IsSuccessStatusCode, $"{role} {userId}: {url} {paging} answered {(int)response.StatusCode}");
                        var page = await response.ReadAs<PagedResult<System.Text.Json.Nodes.JsonNode>>();
                        Assert.True(page.Total == 0 && page.Items.Count == 0, $"{role} {userId} of another province: {url} {paging} gave {page.Total}");
                    }
            }
    }
}
