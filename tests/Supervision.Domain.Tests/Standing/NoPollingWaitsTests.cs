using System.Text.RegularExpressions;

namespace Supervision.Domain.Tests.Standing;

/// <summary>
/// Tests wait on a signal (a tracked session, a product hook, a long-poll, a database notification or guarantee such as a
/// <c>remote_apply</c> commit or a lock), never on a clock: a sleep or a poll loop is slow on a quiet machine and flaky on a loaded
/// one (issue 18). This check reads every test source and fails on a sleep, a timer-driven loop or a loop that watches a deadline,
/// anywhere: there is no allow-list. What counts as a polling wait is data, <c>polling-waits.txt</c> beside this file.
/// </summary>
public sealed class NoPollingWaitsTests
{
    private const string Definitions = "tests/Supervision.Domain.Tests/Standing/polling-waits.txt";

    private static IReadOnlyList<string> Lines(string kind) =>
        RepositoryFiles.Read(Definitions).Split('\n')
            .Where(line => line.StartsWith(kind + ": ", StringComparison.Ordinal))
            .Select(line => line[(kind.Length + 2)..].TrimEnd('\r'))
            .ToList();

    private static readonly Regex PollingWait = new(string.Join('|', Lines("pattern").Select(p => $"(?:{p})")), RegexOptions.Compiled);

    private static IEnumerable<(string File, int Line, string Text)> Waits() =>
        from file in RepositoryFiles.Under("tests", ".cs")
        from line in RepositoryFiles.Read(file).Split('\n').Select((text, i) => (Text: text, Number: i + 1))
        where !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal)
        where PollingWait.IsMatch(line.Text)
        select (file, line.Number, line.Text.Trim());

    [Fact]
    public void No_test_sleeps_or_polls()
    {
        var found = Waits().Select(w => $"{w.File}:{w.Line}: {w.Text}").ToList();
        Assert.True(found.Count == 0,
            "Wait on a signal instead (tracked session, product hook, long-poll, LISTEN/NOTIFY, remote_apply):\n" + string.Join('\n', found));
    }

    [Fact]
    public void The_check_recognises_every_kind_of_polling_wait_and_lets_waits_on_a_signal_pass()
    {
        var examples = Lines("example");
        var signals = Lines("signal");
        Assert.Equal(6, Lines("pattern").Count);
        Assert.Equal(6, examples.Count);
        Assert.NotEmpty(signals);
        Assert.All(examples, line => Assert.Matches(PollingWait, line));
        Assert.All(signals, line => Assert.DoesNotMatch(PollingWait, line));
    }
}
