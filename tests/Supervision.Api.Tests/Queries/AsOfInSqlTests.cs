using Supervision.Api.Directories.Inspectors;
using Supervision.Api.Infrastructure;

namespace Supervision.Api.Tests.Queries;

/// <summary>
/// The as-of listings of targets and inspectors (issue 14: unchanged streams through the live SQL, only streams changed since the moment
/// folded) answer exactly as folding every event did: same rows, same order, same totals, every page, at moments before anything, between
/// waves of registrations and changes, now, and by timestamp. The reference is the former endpoint body verbatim: <see cref="AsOf.FoldAsync{TState}"/>
/// over every event, the domain filter, ordinal order, the page.
/// </summary>
public sealed class AsOfInSqlTests(SupervisionApp app) : IClassFixture<SupervisionApp>, IAsyncLifetime
{
    private static readonly SemaphoreSlim Once = new(1, 1);
    private static readonly Guid[] Departments = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
    private static readonly string[] Regions = ["130500", "130523", "130522", "130600", "130607"];
    private static readonly string[] Tags = ["T1", "FOOD", "DRUG-2"];
    private static readonly Actor By = new("seed", "种子", Roles.DirectoryKeeper, null);
    private static readonly List<(long Sequence, DateTimeOffset At)> Moments = [];

    public async Task InitializeAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (Moments.Count == 0) await WriteHistoryAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Three waves, each registering new targets and inspectors and changing some of those before it, several sessions each.</summary>
    private async Task WriteHistoryAsync()
    {
        var random = new Random(2014);
        T One<T>(IReadOnlyList<T> from) => from[random.Next(from.Count)];
        DateOnly Day() => new DateOnly(2025, 1, 1).AddDays(random.Next(900));
        List<string> SomeTags() => Tags.Where(_ => random.Next(3) == 0).ToList();
        var targets = new List<Guid>();
        var inspectors = new List<(Guid Id, List<string> Certificates)>();
        string[] stems = ["A", "a", "B-", "b_", "Z", "0", "9x"];
        await RecordMomentAsync();
        for (var wave = 0; wave < 3; wave++)
        {
            for (var batch = 0; batch < 4; batch++)
            {
                await using var session = app.Store.LightweightSession();
                for (var n = 0; n < 20; n++)
                {
                    var id = Guid.NewGuid();
                    var number = targets.Count;
                    session.Events.StartStream<Target>(id, new TargetRegistered(id, $"9113{number:D5}{One(stems)}", null, $"企业{number}", TargetKind.Enterprise,
                        One(new[] { "C1311", "C1391", "F5211" }), One(Regions), null, Day(), TargetScale.Small, OperatingStatus.Operating, [One(Departments)],
                        SomeTags(), One(new[] { "A", "B", "C" }), new DateOnly(2026, 1, 1), "test", By));
                    targets.Add(id);
                    var inspector = Guid.NewGuid();
                    var staff = $"{One(stems)}{inspectors.Count:D3}";
                    session.Events.StartStream<Inspector>(inspector, new InspectorRegistered(inspector, staff, "张三", One(Departments), null, One(Regions),
                        random.Next(4) == 0, SomeTags(), Day(), By));
                    inspectors.Add((inspector, []));
                }
                // Changes to streams registered before (in this wave or earlier ones).
                for (var n = 0; n < 25; n++)
                {
                    var target = One(targets);
                    switch (random.Next(3))
                    {
                        case 0: session.Events.Append(target, new TargetStatusChanged(target, OperatingStatus.Operating, One(Enum.GetValues<OperatingStatus>()), Day(), "r", By)); break;
                        case 1: session.Events.Append(target, new TargetCreditClassSet(target, null, One(new[] { "A", "B", "C", "D" }), Day(), "r", By)); break;
                        default:
                            session.Events.Append(target, new TargetDetailsChanged(target, "改名", One(new[] { "C1311", "H6210" }), One(Regions), null, Day(),
                                TargetScale.Medium, [One(Departments)], SomeTags(), "r", By));
                            break;
                    }
                    var (inspectorId, certificates) = One(inspectors);
                    switch (random.Next(4))
                    {
                        case 0: session.Events.Append(inspectorId, new InspectorStatusChanged(inspectorId, One(Enum.GetValues<InspectorStatus>()), Day(), "r", By)); break;
                        case 1:
                            var issued = Day();
                            var number = $"C{inspectorId:N}-{certificates.Count}";
                            certificates.Add(number);
                            session.Events.Append(inspectorId, new CertificateAdded(inspectorId, number, issued, issued.AddDays(random.Next(500)), By));
                            break;
                        case 2 when certificates.Count > 0: session.Events.Append(inspectorId, new CertificateRevoked(inspectorId, certificates[0], "r", By)); break;
                        default: session.Events.Append(inspectorId, new InspectorTransferred(inspectorId, Guid.Empty, One(Departments), One(Regions), "r", By)); break;
                    }
                }
                await session.SaveChangesAsync();
                await RecordMomentAsync();
            }
        }
    }

    private async Task RecordMomentAsync()
    {
        await using var session = app.Store.QuerySession();
        var sequence = await AsOf.CurrentSequenceAsync(session, CancellationToken.None);
        var at = (await session.QueryAsync<DateTimeOffset>("select coalesce(max(timestamp), 'epoch') from " + app.Schema + ".mt_events")).Single();
        Moments.Add((sequence, at));
    }

    /// <summary>The former endpoint: fold every event, filter, order ordinally, page.</summary>
    private async Task<PagedResult<T>> ReferenceAsync<TState, T>(AsOfPoint point, Type[] types, Func<TState?, object, TState?> evolve, Func<TState, bool> matches,
        Func<TState, string> key, Func<TState, T> map, int page, int size) where TState : class
    {
        await using var session = app.Store.QuerySession();
        var states = await AsOf.FoldAsync(session, point, types, evolve, CancellationToken.None);
        var matching = states.Values.Where(matches).OrderBy(key, StringComparer.Ordinal).ToList();
        return new PagedResult<T>(matching.Skip((page - 1) * size).Take(size).Select(map).ToList(), matching.Count, page, size, point.Sequence ?? -1);
    }

    private static async Task<int> SamePagesAsync<T>(HttpClient client, string url, Func<int, int, Task<PagedResult<T>>> reference)
    {
        var total = (await reference(1, 17)).Total;
        for (var page = 1; page <= total / 17 + 2; page++)
        {
            var expected = await reference(page, 17);
            var actual = await (await client.GetAsync($"{url}&page={page}&pageSize=17")).ReadAs<PagedResult<T>>();
            Assert.True(expected.Total == actual.Total, $"{url} page {page}: total {actual.Total}, expected {expected.Total}");
            // Whole records, not only ids: the as-of state of each row (its version included) is the fold's.
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(expected.Items), System.Text.Json.JsonSerializer.Serialize(actual.Items));
        }
        return total;
    }

    [Fact]
    public async Task Every_target_filter_page_and_moment_answers_as_folding_every_event_did()
    {
        var client = app.ClientFor("reader", Roles.Planner, Departments[0]);
        var filters = new List<(string Query, TargetFilter Filter)>
        {
            ("", new TargetFilter()),
            ("regionCode=130500", new TargetFilter("130500")),
            ("creditClass=c", new TargetFilter(CreditClass: "c")),
            ("industryCode=C13&status=Operating", new TargetFilter(IndustryCode: "C13", Status: OperatingStatus.Operating)),
            ($"supervisingDepartmentId={Departments[1]}&tag=FOOD", new TargetFilter(SupervisingDepartmentId: Departments[1], Tags: ["FOOD"])),
            ("registeredFrom=2025-06-01&registeredTo=2026-06-01", new TargetFilter(RegisteredFrom: new DateOnly(2025, 6, 1), RegisteredTo: new DateOnly(2026, 6, 1))),
        };
        var seen = 0;
        foreach (var (sequence, at) in Moments.Where((_, i) => i % 3 == 0 || i == Moments.Count - 1 || i == 1))
            foreach (var (query, filter) in filters)
            {
                seen += await SamePagesAsync<Target>(client, $"/api/targets/as-of?sequence={sequence}&{query}",
                    (page, size) => ReferenceAsync<Target, Target>(new AsOfPoint(sequence, null), TargetRules.EventTypes, TargetRules.Evolve, filter.Matches, t => t.Identifier, t => t, page, size));
            }
        // By timestamp (the moment's last commit): the same answer as folding by timestamp.
        foreach (var (_, at) in Moments.Skip(2).Where((_, i) => i % 4 == 0))
            seen += await SamePagesAsync<Target>(client, $"/api/targets/as-of?at={Uri.EscapeDataString(at.ToString("O"))}&regionCode=130500",
                (page, size) => ReferenceAsync<Target, Target>(new AsOfPoint(null, at), TargetRules.EventTypes, TargetRules.Evolve, new TargetFilter("130500").Matches,
                    t => t.Identifier, t => t, page, size));
        Assert.True(seen > 1500, $"only {seen} rows compared");
    }

    [Fact]
    public async Task Every_inspector_filter_page_and_moment_answers_as_folding_every_event_did()
    {
        var client = app.ClientFor("reader", Roles.Planner, Departments[0]);
        var filters = new List<(string Query, InspectorFilter Filter)>
        {
            ("", new InspectorFilter()),
            ($"departmentId={Departments[2]}", new InspectorFilter(DepartmentId: Departments[2])),
            ("regionCode=130500&expert=false", new InspectorFilter(RegionCode: "130500", Expert: false)),
            ("status=Active", new InspectorFilter(Status: InspectorStatus.Active)),
            ("eligibleOn=2026-01-15", new InspectorFilter(EligibleOn: new DateOnly(2026, 1, 15))),
            ("tag=T1", new InspectorFilter(Tags: ["T1"])),
        };
        var seen = 0;
        foreach (var (sequence, _) in Moments.Where((_, i) => i % 3 == 0 || i == Moments.Count - 1 || i == 1))
            foreach (var (query, filter) in filters)
            {
                seen += await SamePagesAsync<InspectorView>(client, $"/api/inspectors/as-of?sequence={sequence}&{query}",
                    (page, size) => ReferenceAsync<Inspector, InspectorView>(new AsOfPoint(sequence, null), InspectorRules.EventTypes, InspectorRules.Evolve, filter.Matches,
                        i => i.StaffCode, InspectorView.From, page, size));
            }
        Assert.True(seen > 1000, $"only {seen} rows compared");
    }
}
