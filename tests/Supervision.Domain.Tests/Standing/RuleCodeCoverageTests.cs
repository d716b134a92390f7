using System.Text.RegularExpressions;

namespace Supervision.Domain.Tests.Standing;

/// <summary>
/// Every rule code a refusal can carry (the <c>Rule</c> of a <c>DomainError</c>, in the domain and the API) is named by at least one
/// test, as the quoted string a test asserts (issue 18). Codes built at run time (<c>$"{field}.required"</c>) are not listed here: the
/// <c>Text</c> helpers that build them have tests of their own.
/// <para>
/// <c>untested-rule-codes.txt</c> lists the codes still waiting for their test when this check was introduced. It may only shrink: a
/// code missing from the tests and not in it fails (a new rule needs its test), and so does a listed code that a test now names or
/// that no longer exists (take it off the list).
/// </para>
/// </summary>
public sealed partial class RuleCodeCoverageTests
{
    private const string WaitingList = "tests/Supervision.Domain.Tests/Standing/untested-rule-codes.txt";

    // DomainError.Invalid(field, "rule", …), also Conflict/NotFound/Forbidden, and new DomainError(ErrorKind.X, field, "rule", …).
    [GeneratedRegex(@"DomainError\.(?:Invalid|NotFound|Conflict|Forbidden)\(\s*(?:""[^""]*""|[^,""]+?)\s*,\s*""(?<rule>[a-z0-9][a-z0-9.\-]*)""|new DomainError\(\s*ErrorKind\.\w+\s*,\s*(?:""[^""]*""|[^,""]+?)\s*,\s*""(?<rule>[a-z0-9][a-z0-9.\-]*)""|\b[Rr]ule\s*=\s*""(?<rule>[a-z0-9][a-z0-9.\-]*)""")]
    private static partial Regex RuleDeclaration();

    /// <summary>Rule code → the first file that declares it.</summary>
    public static IReadOnlyDictionary<string, string> DeclaredRuleCodes()
    {
        var codes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in RepositoryFiles.Under("src", ".cs"))
            foreach (Match match in RuleDeclaration().Matches(RepositoryFiles.Read(file)))
                codes.TryAdd(match.Groups["rule"].Value, file);
        return codes;
    }

    private static string TestSources() => string.Join('\n',
        RepositoryFiles.Under("tests", ".cs", ".txt", ".snap")
            .Where(f => f != WaitingList && !f.EndsWith("/Standing/RuleCodeCoverageTests.cs", StringComparison.Ordinal))
            .Select(RepositoryFiles.Read));

    private static IReadOnlySet<string> Waiting() => RepositoryFiles.Read(WaitingList).Split('\n')
        .Select(l => l.Split('#')[0].Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void The_scan_finds_the_rule_codes_of_the_domain_and_the_api()
    {
        var codes = DeclaredRuleCodes();
        // A broken pattern would make the check below pass vacuously.
        Assert.True(codes.Count > 200, $"only {codes.Count} rule codes found");
        Assert.Contains("draw.pool.empty", codes.Keys);
        Assert.Contains("publication.department", codes.Keys);
        Assert.Contains("version.stale", codes.Keys);
    }

    [Fact]
    public void Every_rule_code_is_named_by_a_test()
    {
        var tests = TestSources();
        var waiting = Waiting();
        var untested = DeclaredRuleCodes().Where(c => !tests.Contains('"' + c.Key + '"', StringComparison.Ordinal)).ToList();

        var newlyUntested = untested.Where(c => !waiting.Contains(c.Key)).Select(c => $"{c.Key} ({c.Value})").ToList();
        Assert.True(newlyUntested.Count == 0,
            "Rule codes no test names (write a test that triggers the rule and asserts its code):\n" + string.Join('\n', newlyUntested));

        var declared = DeclaredRuleCodes();
        var stale = waiting.Where(w => !declared.ContainsKey(w) || untested.All(u => u.Key != w)).Order(StringComparer.Ordinal).ToList();
        Assert.True(stale.Count == 0, $"Take these off {WaitingList} (now tested, or no longer declared):\n" + string.Join('\n', stale));
    }
}
