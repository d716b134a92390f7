using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace Supervision.Api.Tests.Access;

/// <summary>
/// The authorization matrix (issue 13): every operation of the OpenAPI document has a row in <c>authorization-matrix.txt</c> (who may call
/// it: anonymous, any authenticated caller, or named roles), and the running service answers every operation × every role × {own
/// department, sibling department, other region, superior level, a token without a department, no token} as the row says: 401 without a token, a bare 403 for a role the row does not name,
/// never 401 or a bare 403 for one it names, and never 500. A new endpoint without a row fails here.
/// </summary>
public sealed class AuthorizationMatrixTests(SupervisionApp app) : IClassFixture<SupervisionApp>
{
    private static string MatrixFile => Path.Combine(RepositoryPaths.Root, "tests", "Supervision.Api.Tests", "Access", "authorization-matrix.txt");

    private sealed record Row(string Method, string Route, string Who)
    {
        public bool Anonymous => Who == "anonymous";
        public bool AnyAuthenticated => Who == "authenticated";
        public bool Allows(string role) => Anonymous || AnyAuthenticated || Who.Split(',').Contains(role);
    }

    private static List<Row> Read() => File.ReadAllLines(MatrixFile).Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split(' ', 3)).Select(f => new Row(f[0], f[1], f[2])).ToList();

    /// <summary>What the endpoint attributes say; used to write the file once (DRAW_MATRIX=write) and to show a reviewer what changed.</summary>
    private static IEnumerable<Row> Declared()
    {
        foreach (var type in typeof(Program).Assembly.GetTypes())
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static))
                foreach (var route in method.GetCustomAttributes().Where(a => a.GetType().Namespace == "Wolverine.Http" && a.GetType().Name.StartsWith("Wolverine", StringComparison.Ordinal)))
                {
                    var verb = route.GetType().Name["Wolverine".Length..^"Attribute".Length].ToUpperInvariant();
                    var template = (string)route.GetType().GetProperty("Template")!.GetValue(route)!;
                    var anonymous = method.GetCustomAttribute<AllowAnonymousAttribute>() is not null;
                    var roles = method.GetCustomAttributes<AuthorizeAttribute>().Concat(type.GetCustomAttributes<AuthorizeAttribute>()).FirstOrDefault(a => a.Roles is not null)?.Roles;
                    yield return new Row(verb, "/" + template.TrimStart('/'), anonymous ? "anonymous" : roles is null ? "authenticated" : string.Join(',', roles.Split(',').Select(r => r.Trim()).Order(StringComparer.Ordinal)));
                }
    }

    [Fact]
    public async Task Every_operation_has_a_row_and_the_service_answers_every_role_as_the_row_says()
    {
        if (Environment.GetEnvironmentVariable("DRAW_MATRIX") == "write")
            File.WriteAllLines(MatrixFile, ["# METHOD route who: anonymous | authenticated | role,role (reviewed by hand; see docs/access.md)",
                .. Declared().OrderBy(r => r.Route, StringComparer.Ordinal).ThenBy(r => r.Method, StringComparer.Ordinal).Select(r => $"{r.Method} {r.Route} {r.Who}")]);
        var rows = Read();

        // 1. The OpenAPI document and the table list the same operations; the attributes agree with the table.
        var admin = app.ClientFor("matrix-admin", Roles.SystemAdmin);
        var openApi = JsonNode.Parse(await (await admin.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync())!;
        var operations = openApi["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}")).ToHashSet();
        var listed = rows.Select(r => $"{r.Method} {r.Route}").ToHashSet();
        Assert.True(operations.SetEquals(listed), $"without a row: {string.Join(", ", operations.Except(listed))}; rows without an operation: {string.Join(", ", listed.Except(operations))}");
        var declared = Declared().Select(r => $"{r.Method} {r.Route} {r.Who}").ToHashSet();
        Assert.True(declared.SetEquals(rows.Select(r => $"{r.Method} {r.Route} {r.Who}")),
            $"the attributes and the table differ: {string.Join("; ", declared.Except(rows.Select(r => $"{r.Method} {r.Route} {r.Who}")))}");

        // 2. The service, for every operation × role × context: the caller's department is the one the objects would belong to, a sibling
        //    in the same county, a department of another province, a department one level up, or none.
        foreach (var (code, name) in new[] { ("130000", "河北省"), ("130500", "邢台市"), ("130521", "邢台县"), ("440000", "广东省"), ("440100", "广州市") })
            Assert.True((int)(await admin.PostJson("/api/regions", new RegisterRegion(code, name))).StatusCode is 201 or 409);
        var contexts = new List<(string Name, Guid? Department)>();
        foreach (var (context, code, region) in new[] { ("own department", "MATRIX", "130521"), ("sibling department", "MATRIX-SIB", "130521"),
                     ("other region", "MATRIX-FAR", "440100"), ("superior level", "MATRIX-UP", "130500") })
        {
            Assert.True((int)(await admin.PostJson("/api/departments", new RegisterDepartment(code, "矩阵测试局" + code, DepartmentKind.MarketRegulation, region, null))).StatusCode is 201 or 409);
            contexts.Add((context, Department.IdFor(code)));
        }
        contexts.Add(("no department", null));
        var failures = new List<string>();
        foreach (var row in rows)
        {
            var url = Fill(row.Route);
            HttpRequestMessage Request() => new(new HttpMethod(row.Method), url)
            {
                Content = row.Method is "POST" or "PUT" ? new StringContent("{}", Encoding.UTF8, "application/json") : null,
            };
            async Task<(int Status, string Body)> Send(HttpClient client)
            {
                var response = await client.SendAsync(Request());
                return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
            }

            var (anonymousStatus, _) = await Send(app.Anonymous());
            if (anonymousStatus == 500) failures.Add($"{row.Method} {row.Route} without a token: 500");
            if (!row.Anonymous && anonymousStatus != 401) failures.Add($"{row.Method} {row.Route} without a token: {anonymousStatus}, not 401");
            if (row.Anonymous) continue;
            foreach (var role in Roles.All)
            {
                foreach (var (context, departmentId) in contexts)
                {
                    var client = app.ClientFor($"matrix-{context.Replace(' ', '-')}-{role}", role, departmentId);
                    var (status, body) = await Send(client);
                    var bareForbidden = status == 403 && !body.Contains("violations", StringComparison.Ordinal);
                    if (status == 500) failures.Add($"{row.Method} {row.Route} as {role} ({context}): 500");
                    else if (row.Allows(role) && (status == 401 || bareForbidden)) failures.Add($"{row.Method} {row.Route} as {role} ({context}): {status}, but the row allows {role}");
                    else if (!row.Allows(role) && status != 403) failures.Add($"{row.Method} {row.Route} as {role} ({context}): {status}, but the row does not allow {role}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} answers differ from the matrix:\n{string.Join("\n", failures.Take(60))}");
    }

    /// <summary>Route values that parse: ids are fresh (so nothing is found), codes and years are plausible.</summary>
    private static string Fill(string route) => System.Text.RegularExpressions.Regex.Replace(route, "{([^}:]+)[^}]*}", m => m.Groups[1].Value switch
    {
        "regionCode" => "130000",
        "year" => "2027",
        "version" => "1",
        "kind" => "plan",
        "script" => "draw-verify",
        var name when name.EndsWith("Id", StringComparison.Ordinal) || name == "id" => Guid.NewGuid().ToString(),
        var name => name,
    });
}
