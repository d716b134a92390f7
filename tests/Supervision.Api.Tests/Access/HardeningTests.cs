namespace Supervision.Api.Tests.Access;

/// <summary>Issue 13's low findings, performed against the real service: bad input is a 400 or 413 naming the rule, never a 500; HTML carries security headers.</summary>
public sealed class HardeningTests(KestrelApp app) : IClassFixture<KestrelApp>
{
    [Theory]
    [InlineData("/api/targets?name=a%00b")]
    [InlineData("/api/departments?name=%00")]
    [InlineData("/api/history?creditCode=%00")]
    [InlineData("/api/targets?page=2147483647")]
    [InlineData("/api/inspectors?page=2147483647&pageSize=500")]
    public async Task Hostile_query_values_are_refused_as_400(string url)
    {
        var client = app.ClientFor("auditor-hard", Roles.Auditor, Department.IdFor("HARD-AUDIT"), Roles.DirectoryKeeper);
        var response = await client.GetAsync(url);
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("violations", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Names_with_NUL_or_a_bidirectional_override_and_oversized_idempotency_keys_are_refused()
    {
        var admin = app.ClientFor("admin-hard", Roles.SystemAdmin);
        Assert.Equal(201, (int)(await admin.PostJson("/api/regions", new RegisterRegion("440000", "广东省"))).StatusCode);
        foreach (var name in new[] { "市场监管局\u202Egpj.exe", "市场\u2066监管局", "市场\u0007监管局" })
            Assert.Contains("name.control-character", await (await admin.PostJson("/api/departments",
                new RegisterDepartment("HARD-" + name.Length, name, DepartmentKind.Other, "440000", null))).Content.ReadAsStringAsync());
        // NUL is refused while the body is read, before any rule runs.
        Assert.Equal(400, (int)(await admin.PostJson("/api/departments", new RegisterDepartment("HARD-NUL", "市场\u0000监管局", DepartmentKind.Other, "440000", null))).StatusCode);
        var key = await admin.PostJson("/api/departments", new RegisterDepartment("HARD-KEY", "某局", DepartmentKind.Other, "440000", null), new string('k', 5000));
        Assert.Equal(400, (int)key.StatusCode);
        Assert.Contains("idempotency-key.too-long", await key.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_NUL_inside_any_json_text_is_a_400_not_a_500()
    {
        var admin = app.ClientFor("admin-nul", Roles.SystemAdmin);
        var response = await admin.PostAsync("/api/regions", new StringContent("{\"code\":\"460000\",\"name\":\"海南\\u0000省\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.DoesNotContain("System.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_null_body_is_a_400_not_a_500()
    {
        var jijian = app.ClientFor("jj-null", Roles.DisciplineInspector, Department.IdFor("HARD-NULL"));
        var response = await jijian.PostAsync($"/api/draws/{Guid.NewGuid()}/commitment", new StringContent("null", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("body.null", await response.Content.ReadAsStringAsync());
        // A version for a draw that does not exist: missing (404), not a lost race (409).
        var missing = await jijian.PostJson($"/api/draws/{Guid.NewGuid()}/commitment", new Supervision.Domain.Draws.CommitDraw(new string('a', 64), 1));
        Assert.Equal(404, (int)missing.StatusCode);
    }

    [Fact]
    public async Task Every_html_page_carries_the_security_headers_and_every_response_nosniff()
    {
        foreach (var url in new[] { "/public", "/public/draws/verify" })
        {
            var response = await app.Anonymous().GetAsync(url);
            Assert.Equal(200, (int)response.StatusCode);
            Assert.Equal(Supervision.Api.Infrastructure.Http.RequestHardening.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
        var json = await app.Anonymous().GetAsync("/api/public/results?creditCode=X");
        Assert.Equal("nosniff", json.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Headers_over_the_limit_are_431_a_chunked_body_over_the_limit_413_and_malformed_json_names_no_internal_type()
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Supervision.Api.Infrastructure.Auth.TokenIssuer.Issue(app.Auth, "keeper-hard", [Roles.DirectoryKeeper], Department.IdFor("HARD-KEEP"), "keeper"));
        // Headers over Kestrel's 32 KiB: 431.
        using (var huge = new HttpRequestMessage(HttpMethod.Get, "/api/regions"))
        {
            huge.Headers.Add("X-Padding", new string('x', 40 * 1024));
            Assert.Equal(431, (int)(await http.SendAsync(huge)).StatusCode);
        }
        // A JSON command keeps Kestrel's 30 MB limit (the targets' import raises its own: ImportBodyLimitTests): one string that never ends.
        var big = new PushContent(31 * 1024 * 1024, "{\"code\": \""u8.ToArray(), (byte)'a') { Headers = { ContentType = new("application/json") } };
        var response = await http.PostAsync("/api/tags", big);
        Assert.Equal(413, (int)response.StatusCode);

        var malformed = await http.PostAsync("/api/tags", new StringContent("{\"code\": 12, \"ownerDepartmentId\": \"not-a-guid\"", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)malformed.StatusCode);
        Assert.DoesNotContain("System.", await malformed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_bad_import_answers_with_a_bounded_error_list_and_every_rule_counted()
    {
        var admin = app.ClientFor("admin-imp", Roles.SystemAdmin);
        Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion("450000", "广西壮族自治区"))).StatusCode is 201 or 409);
        Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment("HARD-IMP", "某局", DepartmentKind.Other, "450000", null))).StatusCode is 201 or 409);
        var keeper = app.ClientFor("keeper-imp", Roles.DirectoryKeeper, Department.IdFor("HARD-IMP"));
        var csv = new StringBuilder("credit_code,name,kind,region_code,status\n");
        for (var n = 0; n < 20_000; n++) csv.Append("91450000MA00000000,,Enterprise,450000,Operating\n");
        var response = await keeper.PostAsync("/api/targets/import", new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString())) { Headers = { ContentType = new("text/csv") } });
        Assert.Equal(400, (int)response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(body.Length < 100_000, $"the answer is {body.Length} characters");
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        Assert.Equal(Supervision.Domain.Kernel.ImportErrors.MaxListed, node["rows"]!.AsArray().Count);
        Assert.True(node["errorCount"]!.GetValue<int>() >= 20_000);
    }

    [Theory]
    [InlineData("/api/plans")]
    [InlineData("/api/draws")]
    [InlineData("/api/cases")]
    [InlineData("/api/cases/mine")]
    [InlineData("/api/follow-ups")]
    [InlineData("/api/tags")]
    public async Task Every_list_is_paged_with_a_maximum_page_size(string url)
    {
        var client = app.ClientFor("planner-page", Roles.Planner, Department.IdFor("HARD-PAGE"), Roles.Inspector);
        var node = await (await client.GetAsync(url + "?pageSize=100000&page=3")).ReadNodeAs(200);
        Assert.Equal((3, Supervision.Api.Infrastructure.Paging.MaxPageSize), (node["page"]!.GetValue<int>(), node["pageSize"]!.GetValue<int>()));
        Assert.NotNull(node["items"]!.AsArray());
    }

    /// <summary>A body sent chunked (no Content-Length), so only reading it finds it too large.</summary>
    private sealed class PushContent(int bytes, byte[] prefix, byte fill) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(prefix);
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, fill);
            for (var sent = 0; sent < bytes; sent += chunk.Length) await stream.WriteAsync(chunk);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
