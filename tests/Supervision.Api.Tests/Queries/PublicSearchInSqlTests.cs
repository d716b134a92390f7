using Supervision.Api.Disclosure;
using Supervision.Domain.Disclosure;
using Supervision.Domain.Plans;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The public search answers in SQL exactly as filtering every loaded publication did: over 900 generated publications (credit codes
/// shared, missing and redacted, names and authorities with common parts, many ties in the publication date, corrections, withheld
/// results), every filter alone and combined, every page.
/// </summary>
public sealed class PublicSearchInSqlTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static readonly string[] Codes = ["91130500MA0000001X", "91130500MA0000002Y", "91130500MA0000003A", "92130500MA0000004B", "91130500ma0000005c"];
    private static readonly string[] Names = ["邢台甲乙有限公司", "邢台乙丙商贸有限公司", "内丘丙丁食品厂", "100%_纯净水厂", "Alpha Trading Co"];
    private static readonly string[] Authorities = ["邢台市市场监督管理局", "内丘县市场监督管理局", "邢台市卫生健康委员会"];
    private static readonly string[] Plans = ["2026001", "2026002", "2025007"];

    private static List<ResultPublication> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var list = new List<ResultPublication>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            if (random.Next(12) == 0)
            {
                list.Add(new ResultPublication(id, Guid.NewGuid(), Guid.NewGuid(), [], true, WithholdingGround.CommercialSecret, "《反不正当竞争法》第九条"));
                continue;
            }
            var code = random.Next(10) switch { 0 => null, 1 => RedactableFields.Redacted, _ => Codes[random.Next(Codes.Length)] };
            var revisions = Enumerable.Range(1, random.Next(4) == 0 ? 2 : 1).Select(revision => new PublicResult(id, revision, Guid.NewGuid(),
                Plans[random.Next(Plans.Length)], "T1", "双随机抽查", TaskType.Undirected, Authorities[random.Next(Authorities.Length)],
                new DateOnly(2026, 1 + random.Next(3), 1 + random.Next(28)), random.Next(15) == 0 ? RedactableFields.Redacted : Names[random.Next(Names.Length)] + i,
                code, [], [InspectionMethod.OnSite], null, new DateOnly(2026, 3, 1 + random.Next(5)), revision == 1 ? null : 1, null, [])).ToList();
            list.Add(new ResultPublication(id, revisions[0].CaseId, Guid.NewGuid(), revisions, false, null, null) { Version = revisions.Count });
        }
        return list;
    }

    private static IEnumerable<PublicResultFilter> Filters()
    {
        string?[] codes = [null, Codes[0], Codes[0].ToLowerInvariant(), Codes[4], Codes[4].ToUpperInvariant(), RedactableFields.Redacted, "91130500MA00000", "nothing"];
        string?[] names = [null, "邢台", "有限公司", "%", "_", "1", "", "alpha", RedactableFields.Redacted];
        string?[] authorities = [null, "邢台市", "县", "监督管理局"];
        string?[] plans = [null, "2026001", "2025007", "2026"];
        (DateOnly?, DateOnly?)[] ranges = [(null, null), (new DateOnly(2026, 2, 1), null), (null, new DateOnly(2026, 1, 15)), (new DateOnly(2026, 2, 10), new DateOnly(2026, 2, 10))];
        foreach (var code in codes) yield return new PublicResultFilter(code, null, null, null, null, null);
        foreach (var name in names) yield return new PublicResultFilter(null, name, null, null, null, null);
        foreach (var authority in authorities) yield return new PublicResultFilter(null, null, null, authority, null, null);
        foreach (var plan in plans) yield return new PublicResultFilter(null, null, plan, null, null, null);
        foreach (var (from, to) in ranges) yield return new PublicResultFilter(null, null, null, null, from, to);
        var random = new Random(14);
        for (var i = 0; i < 40; i++)
        {
            var (from, to) = ranges[random.Next(ranges.Length)];
            yield return new PublicResultFilter(codes[random.Next(codes.Length)], names[random.Next(names.Length)], plans[random.Next(plans.Length)],
                authorities[random.Next(authorities.Length)], from, to);
        }
    }

    private static string Query(PublicResultFilter f, int? page, int? pageSize)
    {
        var parts = new List<string>();
        void Add(string key, string? value) { if (value is not null) parts.Add($"{key}={Uri.EscapeDataString(value)}"); }
        Add("creditCode", f.CreditCode);
        Add("name", f.Name);
        Add("planNumber", f.PlanNumber);
        Add("authority", f.Authority);
        Add("from", f.From?.ToString("yyyy-MM-dd"));
        Add("to", f.To?.ToString("yyyy-MM-dd"));
        Add("page", page?.ToString());
        Add("pageSize", pageSize?.ToString());
        return "/api/public/results?" + string.Join("&", parts);
    }

    private static IEnumerable<string> Shape(IEnumerable<PublicResultEntry> entries) =>
        entries.Select(e => $"{e.PublicationId:N} r{e.Current.Revision} {e.Current.PublishedOn:yyyy-MM-dd} [{string.Join(",", e.History.Select(h => h.Revision))}]");

    [Fact]
    public async Task Every_filter_and_page_answers_as_filtering_every_loaded_publication_did()
    {
        var publications = Generate(900, 20261201);
        await app.Store.BulkInsertDocumentsAsync(publications);
        var anonymous = app.Anonymous();
        var compared = 0;
        foreach (var filter in Filters())
        {
            var expected = InMemoryReference.PublicResults(publications, filter);
            foreach (var pageSize in new int?[] { 7, null })
            {
                var size = pageSize ?? Api.Infrastructure.Paging.DefaultPageSize;
                var pages = Math.Max(1, (expected.Count + size - 1) / size);
                // Every page, the one just past the end, and (for the small pages) a far one.
                foreach (var page in Enumerable.Range(1, pages + 1).Append(1000).Cast<int?>().Prepend(null))
                {
                    var response = await (await anonymous.GetAsync(Query(filter, page, pageSize))).ShouldHaveStatus(200);
                    var actual = await response.Read<List<PublicResultEntry>>();
                    Assert.Equal(Shape(InMemoryReference.Page(expected, page ?? 1, size)), Shape(actual));
                    Assert.Equal(expected.Count.ToString(), Assert.Single(response.Headers.GetValues(PublicResultQueries.TotalCountHeader)));
                    compared++;
                }
            }
        }
        Assert.True(compared > 300, $"{compared} pages compared");
    }

    [Fact]
    public async Task Page_size_is_bounded_and_the_first_page_is_the_default()
    {
        var anonymous = app.Anonymous();
        await (await anonymous.GetAsync("/api/public/results?name=x&page=0&pageSize=100000")).ShouldHaveStatus(200);
        await (await anonymous.GetAsync("/api/public/results?name=x&page=-3&pageSize=0")).ShouldHaveStatus(200);
    }
}
