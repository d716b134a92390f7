namespace Supervision.Api.Tests.Directories;

/// <summary>A Kestrel host whose imports accept at most 1 MiB, so the refusal is cheap to provoke.</summary>
public sealed class SmallImportLimitApp : KestrelApp
{
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Supervision:Imports:MaxBytes", "1048576")];
}

/// <summary>
/// The target import takes files larger than Kestrel's 30 MB default (a county's directory of 1,000,000 targets is about 160 MB), up
/// to <c>Supervision:Imports:MaxBytes</c>; a body over that is a 413 naming the rule and the setting, whether it declares its length
/// or is sent chunked, on the synchronous import and on the job.
/// </summary>
public sealed class ImportBodyLimitTests(SmallImportLimitApp small, KestrelApp standard)
    : IClassFixture<SmallImportLimitApp>, IClassFixture<KestrelApp>
{
    [Theory]
    [InlineData("/api/targets/import", true)]
    [InlineData("/api/targets/import", false)]
    [InlineData("/api/targets/import-jobs", true)]
    [InlineData("/api/targets/import-jobs", false)]
    public async Task A_file_over_the_configured_limit_is_413_naming_the_rule(string route, bool declaresLength)
    {
        using var http = KeeperOf(small, "LIMIT-SMALL");
        HttpContent body = declaresLength ? new ByteArrayContent(new byte[2 * 1024 * 1024]) : new ChunkedZeros(2 * 1024 * 1024);
        body.Headers.ContentType = new("text/csv");
        var response = await http.PostAsync(route, body);
        Assert.Equal(413, (int)response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("request.too-large", problem["violations"]![0]!["rule"]!.GetValue<string>());
        if (declaresLength) Assert.Contains("Supervision:Imports:MaxBytes", problem["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_file_over_Kestrels_30_MB_default_is_read_and_decided_not_refused_for_its_size()
    {
        using var http = KeeperOf(standard, "LIMIT-STD");
        var row = "91450000MA00000000,,Enterprise,450000,Operating\n"u8.ToArray();
        var csv = new MemoryStream();
        csv.Write("credit_code,name,kind,region_code,status\n"u8);
        while (csv.Length < 31 * 1024 * 1024) csv.Write(row);
        var response = await http.PostAsync("/api/targets/import", new ByteArrayContent(csv.ToArray()) { Headers = { ContentType = new("text/csv") } });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(400 == (int)response.StatusCode, body[..Math.Min(400, body.Length)]);
        Assert.True(JsonNode.Parse(body)!["errorCount"]!.GetValue<int>() >= 600_000);
    }

    private static HttpClient KeeperOf(KestrelApp app, string department)
    {
        var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer",
            Supervision.Api.Infrastructure.Auth.TokenIssuer.Issue(app.Auth, "keeper-" + department, [Roles.DirectoryKeeper], Department.IdFor(department), "keeper"));
        return http;
    }

    /// <summary>A body sent chunked (no Content-Length), so only reading it finds it too large.</summary>
    private sealed class ChunkedZeros(int bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            for (var sent = 0; sent < bytes; sent += chunk.Length) await stream.WriteAsync(chunk);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
