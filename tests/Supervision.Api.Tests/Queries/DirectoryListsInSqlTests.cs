using Supervision.Api.Directories.Inspectors;
using Supervision.Api.Directories.Matters;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The inspectors and matters lists answer in SQL exactly as the in-memory path did (issue 14): same rows, same order, same totals, every
/// page. The reference is the in-memory path itself, <see cref="InspectorQueries.Page"/> and <see cref="MatterPaging.Page"/>, which the
/// as-of listings still use: load every document, filter with the domain filter, order by code ordinally, cut the page. Generated
/// directories carry status histories with future entries, revoked and expired certificates, tags in subsets, claims by other departments,
/// withdrawn matters and several versions whose latest differs from the first.
/// </summary>
public sealed class DirectoryListsInSqlTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Guid[] DepartmentIds = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
    private static readonly string[] Regions = ["130000", "130500", "130523", "130522", "130600", "130607", "140100"];
    private static readonly string[] TagCodes = ["T1", "T2", "FOOD", "DRUG-2"];
    private static List<Inspector> inspectors = [];
    private static List<InspectionMatter> matters = [];

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            await using var session = app.Store.QuerySession();
            if (!await session.Query<Inspector>().AnyAsync()) await WriteDirectoriesAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task WriteDirectoriesAsync()
    {
        var random = new Random(1414);
        DateOnly Day() => new DateOnly(2025, 1, 1).AddDays(random.Next(900));
        T One<T>(IReadOnlyList<T> from) => from[random.Next(from.Count)];
        // Staff codes in several spellings so ordinal order matters (upper before lower, digits before letters, '-' and '_').
        string[] stems = ["A", "a", "B-", "b_", "Z", "0", "9x"];
        inspectors = Enumerable.Range(0, 260).Select(n =>
        {
            var history = Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Day()).Order()
                .Select(d => new InspectorStatusEntry(One(Enum.GetValues<InspectorStatus>()), d, "r")).ToList();
            var certificates = Enumerable.Range(0, random.Next(3)).Select(c =>
            {
                var issued = Day();
                return new EnforcementCertificate($"C{n}-{c}", issued, issued.AddDays(random.Next(400)), random.Next(5) == 0);
            }).ToList();
            var tags = TagCodes.Where(_ => random.Next(3) == 0).ToList();
            return new Inspector(Guid.NewGuid(), $"{One(stems)}{n:D3}", "张三", One(DepartmentIds), null, One(Regions), random.Next(4) == 0, tags,
                history[^1].Status, history, certificates, [])
            { Version = 1 };
        }).ToList();
        MatterVersion Version(int number) => new(number, "事项", "依据", "内容", One(Enum.GetValues<MatterCategory>()),
            Enum.GetValues<InspectionMethod>().Where(_ => random.Next(3) == 0).ToList(), 5m, null, null, []);
        matters = Enumerable.Range(0, 180).Select(n =>
        {
            var claims = DepartmentIds.Where(_ => random.Next(4) == 0).Select(d => new MatterClaim(d, 1)).ToList();
            var versions = Enumerable.Range(1, 1 + random.Next(3)).Select(Version).ToList();
            var withdrawn = random.Next(5) == 0;
            return new InspectionMatter(Guid.NewGuid(), $"{One(stems)}{n:D3}.m", One(DepartmentIds), versions, claims, withdrawn, withdrawn ? "废止" : null) { Version = 1 };
        }).ToList();
        await app.Store.BulkInsertDocumentsAsync(inspectors);
        await app.Store.BulkInsertDocumentsAsync(matters);
    }

    /// <summary>Every page of size 17 and the default first page, against the reference's page of the same numbers.</summary>
    private static async Task<int> SamePagesAsync<T>(HttpClient client, string url, Func<int, int, PagedResult<T>> reference, Func<T, Guid> id, int defaultSize)
    {
        var separator = url.Contains('?') ? "&" : "?";
        var total = reference(1, 17).Total;
        for (var page = 1; page <= total / 17 + 2; page++)
        {
            var expected = reference(page, 17);
            var actual = await (await client.GetAsync($"{url}{separator}page={page}&pageSize=17")).ReadAs<PagedResult<T>>();
            Assert.True(expected.Items.Select(id).SequenceEqual(actual.Items.Select(id)), $"{url} page {page}");
            Assert.True(expected.Total == actual.Total && actual.Page == page && actual.PageSize == 17, $"{url} page {page}: total {actual.Total}, expected {expected.Total}");
        }
        var first = await (await client.GetAsync(url)).ReadAs<PagedResult<T>>();
        Assert.True(reference(1, defaultSize).Items.Select(id).SequenceEqual(first.Items.Select(id)) && first.PageSize == defaultSize, $"{url} default page");
        return total;
    }

    [Fact]
    public async Task Every_inspector_filter_and_page_answers_as_the_in_memory_path_did()
    {
        var client = app.ClientFor("reader", Roles.Planner, DepartmentIds[0]);
        var seen = 0;
        var filters = new List<(string Query, InspectorFilter Filter)> { ("", new InspectorFilter()) };
        foreach (var department in DepartmentIds.Take(2)) filters.Add(($"departmentId={department}", new InspectorFilter(DepartmentId: department)));
        foreach (var region in new[] { "130000", "130500", "130523", "140000", "110000" }) filters.Add(($"regionCode={region}", new InspectorFilter(RegionCode: region)));
        foreach (var status in Enum.GetValues<InspectorStatus>()) filters.Add(($"status={status}", new InspectorFilter(Status: status)));
        filters.Add(("expert=true", new InspectorFilter(Expert: true)));
        filters.Add(("expert=false&regionCode=130500", new InspectorFilter(RegionCode: "130500", Expert: false)));
        foreach (var day in new[] { new DateOnly(2025, 6, 1), new DateOnly(2026, 1, 15), new DateOnly(2027, 3, 1) })
            filters.Add(($"eligibleOn={day:yyyy-MM-dd}", new InspectorFilter(EligibleOn: day)));
        // Tags are normalised before matching, so a padded spelling of a code matches as the plain one.
        filters.Add(("tag=T1", new InspectorFilter(Tags: ["T1"])));
        filters.Add(("tag=%20FOOD%20&tag=T2", new InspectorFilter(Tags: [" FOOD ", "T2"])));
        filters.Add(("tag=NONE", new InspectorFilter(Tags: ["NONE"])));
        filters.Add(($"departmentId={DepartmentIds[1]}&eligibleOn=2026-01-15&tag=T2&status=Active", new InspectorFilter(DepartmentIds[1], null, InspectorStatus.Active, ["T2"], new DateOnly(2026, 1, 15))));
        foreach (var (query, filter) in filters)
            seen += await SamePagesAsync<InspectorView>(client, "/api/inspectors?" + query,
                (page, size) => InspectorQueries.Page(inspectors, filter, page, size, 0), i => i.Id, InspectorQueries.DefaultPageSize);
        Assert.True(seen > 800, $"only {seen} rows compared");
    }

    [Fact]
    public async Task Every_matter_filter_and_page_answers_as_the_in_memory_path_did()
    {
        var client = app.ClientFor("reader", Roles.Planner, DepartmentIds[0]);
        var seen = 0;
        var filters = new List<(string Query, MatterFilter Filter)> { ("", new MatterFilter()), ("includeWithdrawn=true", new MatterFilter(IncludeWithdrawn: true)) };
        foreach (var department in DepartmentIds.Append(Guid.NewGuid())) filters.Add(($"departmentId={department}", new MatterFilter(department)));
        foreach (var category in Enum.GetValues<MatterCategory>()) filters.Add(($"category={category}&includeWithdrawn=true", new MatterFilter(Category: category, IncludeWithdrawn: true)));
        foreach (var method in Enum.GetValues<InspectionMethod>()) filters.Add(($"method={method}", new MatterFilter(Method: method)));
        filters.Add(($"departmentId={DepartmentIds[2]}&category=Key&method=OnSite", new MatterFilter(DepartmentIds[2], MatterCategory.Key, InspectionMethod.OnSite)));
        foreach (var (query, filter) in filters)
            seen += await SamePagesAsync<MatterView>(client, "/api/matters?" + query,
                (page, size) => MatterPaging.Page(matters, filter, page, size, 0), m => m.Id, MatterPaging.DefaultPageSize);
        Assert.True(seen > 500, $"only {seen} rows compared");
    }
}
