using Supervision.Api.Organization.Departments;
using Supervision.Api.Organization.Regions;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The departments and regions lists page in SQL (issue 14) and stay bare arrays: without paging they answer what they answered before
/// (every row, in the order of the former in-memory sort, up to 500), and every page of a smaller size is the matching slice of that
/// order, with the total in <c>X-Total-Count</c> and the next page in <c>Link</c>.
/// </summary>
public sealed class ArrayListsInSqlTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private readonly HttpClient admin = app.ClientFor("admin-1", Roles.SystemAdmin);

    private async Task SeedAsync()
    {
        await using (var probe = app.Store.QuerySession())
            if (await probe.Query<Department>().AnyAsync()) return;
        string[] cities = ["130500", "130600", "130100"];
        foreach (var (code, name) in new[] { ("130000", "河北省") }.Concat(cities.Select(c => (c, "市" + c)))
                     .Concat(cities.SelectMany(c => new[] { 21, 22, 3 }.Select(n => (c[..4] + n.ToString("D2"), "县" + c[..4] + n)))))
            await (await admin.PostJson("/api/regions", new RegisterRegion(code, name))).ShouldHaveStatus(201);
        var n = 0;
        // Codes in mixed case and punctuation so the ordinal order matters.
        foreach (var region in cities.Concat(["130000", "130521", "130622"]))
            foreach (var code in new[] { "b-SCJG", "A-SWJ", "a-ZRZY", "Z9", "AZ" })
                await (await admin.PostJson("/api/departments", new RegisterDepartment($"{code}{n++}", "部门" + n,
                    code == "b-SCJG" ? DepartmentKind.MarketRegulation : DepartmentKind.Commerce, region, null))).ShouldHaveStatus(201);
    }

    private async Task SamePagesAsync<T>(string url, IReadOnlyList<Guid> expected, Func<T, Guid> id)
    {
        var all = await admin.GetAsync(url);
        Assert.Equal(expected, (await all.ReadAs<List<T>>()).Select(id).ToList());
        Assert.Equal(expected.Count.ToString(), Assert.Single(all.Headers.GetValues("X-Total-Count")));
        Assert.False(all.Headers.Contains("Link"));
        var separator = url.Contains('?') ? "&" : "?";
        var next = $"{url}{separator}pageSize=4";
        var seen = new List<Guid>();
        for (var page = 1; page <= expected.Count / 4 + 1; page++)
        {
            var response = await admin.GetAsync($"{url}{separator}page={page}&pageSize=4");
            var items = (await response.ReadAs<List<T>>()).Select(id).ToList();
            Assert.Equal(expected.Skip((page - 1) * 4).Take(4), items);
            Assert.Equal(expected.Count.ToString(), Assert.Single(response.Headers.GetValues("X-Total-Count")));
            Assert.Equal(page * 4 < expected.Count, response.Headers.Contains("Link"));
            if (response.Headers.Contains("Link")) Assert.Contains($"page={page + 1}", Assert.Single(response.Headers.GetValues("Link")));
            seen.AddRange(items);
        }
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Departments_page_in_sql_in_the_former_order()
    {
        await SeedAsync();
        await using var session = app.Store.QuerySession();
        var departments = await session.Query<Department>().ToListAsync();
        // The former path: the filter in SQL, the order region code then code (no tie: codes are unique).
        IReadOnlyList<Guid> Expected(Func<Department, bool> where) =>
            departments.Where(where).OrderBy(d => d.RegionCode, StringComparer.Ordinal).ThenBy(d => d.Code, StringComparer.Ordinal).Select(d => d.Id).ToList();
        await SamePagesAsync<DepartmentView>("/api/departments", Expected(_ => true), d => d.Id);
        await SamePagesAsync<DepartmentView>("/api/departments?regionCode=130500", Expected(d => d.RegionCode == "130500"), d => d.Id);
        await SamePagesAsync<DepartmentView>("/api/departments?active=true", Expected(d => d.Active), d => d.Id);
    }

    [Fact]
    public async Task Regions_page_in_sql_in_the_former_order()
    {
        await SeedAsync();
        await using var session = app.Store.QuerySession();
        var regions = await session.Query<Region>().ToListAsync();
        IReadOnlyList<Guid> Expected(Func<Region, bool> where) => regions.Where(where).OrderBy(r => r.Code, StringComparer.Ordinal).Select(r => r.Id).ToList();
        await SamePagesAsync<RegionView>("/api/regions", Expected(_ => true), r => r.Id);
        await SamePagesAsync<RegionView>("/api/regions?parentCode=130600", Expected(r => r.ParentCode == "130600"), r => r.Id);
    }

    [Fact]
    public async Task A_page_past_the_end_is_empty_and_still_names_the_total()
    {
        await SeedAsync();
        var response = await admin.GetAsync("/api/departments?page=99&pageSize=10");
        Assert.Empty(await response.ReadAs<List<DepartmentView>>());
        Assert.NotEqual("0", Assert.Single(response.Headers.GetValues("X-Total-Count")));
    }
}
