using Supervision.Domain.Draws;

namespace Supervision.DrawVerifier.Tests;

/// <summary>
/// Ways to tamper with a valid /2 record, each with the failure a verifier must name first (docs/draw-algorithm.md, section 10).
/// <see cref="WithExpectations"/> says whether the verifiers get the published hashes (those of the untouched record).
/// </summary>
/// <param name="PublishedCommitment">The commitment hash the verifiers are told was published, when not the record's own.</param>
public sealed record Tampering(string Name, DrawRecordV2 Record, string Part, bool WithExpectations, string? PublishedCommitment = null);

public static class TamperingV2
{
    private static string File(IEnumerable<string> lines) => string.Concat(lines.Select(l => l + "\n"));

    /// <summary>Replaces acts and recomputes the chain, as a forger who controls the record (but not what was published) would.</summary>
    private static DrawRecordV2 Rechained(DrawRecordV2 r, IReadOnlyList<string> acts) => r with { Acts = acts, RecordSha256 = DrawV2.ChainHead(r.CommitmentSha256, acts) };

    private static string[] Act(DrawRecordV2 r, int index) => r.Acts[index].Split('|');

    private static int IndexOf(DrawRecordV2 r, string kind) => r.Acts.ToList().FindIndex(a => a.Split('|')[4] == kind);

    public static IEnumerable<Tampering> For(DrawRecordV2 r)
    {
        var targets = Canonical.Lines(r.Files.Targets);
        if (targets.Length > 1)
            yield return new("unsorted targets", r with { Files = r.Files with { Targets = File(targets.Reverse()) } }, "canonical.targets", false);
        yield return new("duplicated line", r with { Files = r.Files with { Targets = r.Files.Targets + targets[^1] + "\n" } }, "canonical.targets", false);
        yield return new("CR in a file", r with { Files = r.Files with { Parameters = r.Files.Parameters.Replace("\n", "\r\n") } }, "canonical.parameters", false);
        yield return new("BOM", r with { Files = r.Files with { Sources = "\uFEFF" + r.Files.Sources } }, "canonical.sources", false);
        yield return new("no final LF", r with { Files = r.Files with { Sources = r.Files.Sources![..^1] } }, "canonical.sources", false);
        yield return new("lower-case escape", r with { Files = r.Files with { Sources = r.Files.Sources!.Replace("\n", "%7c\n") } }, "canonical.sources", false);
        yield return new("stray percent", r with { Files = r.Files with { Sources = r.Files.Sources!.Replace("\n", "%\n") } }, "canonical.sources", false);
        yield return new("non-NFC", r with { Files = r.Files with { Sources = r.Files.Sources!.Replace("\n", "e\u0301\n") } }, "canonical.sources", false);
        yield return new("another commitment was published", r, "expect.commitment", true, new string('1', 64));
        yield return new("commitment edited", r with { Commitment = r.Commitment.Replace("supervision-draw/2\n", "supervision-draw/2\n\n") }, "commitment", false);
        yield return new("commitment hash edited", r with { CommitmentSha256 = new string('0', 64) }, "commitmentSha256", false);
        yield return new("record hash edited", r with { RecordSha256 = new string('0', 64) }, "recordSha256", false);

        var randomness = IndexOf(r, "randomness");
        var f = Act(r, randomness);
        f[6] = f[6] + "1";
        var changedValue = r.Acts.ToList();
        changedValue[randomness] = string.Join('|', f);
        yield return new("a value changed and the chain recomputed", Rechained(r, changedValue), "expect.record", true);
        if (IndexOf(r, "draw") >= 0)
            yield return new("a value changed and the chain recomputed, nothing published to compare", Rechained(r, changedValue), "outputs.targets", false);

        var second = r.Acts.ToList();
        second.Insert(randomness + 1, Renumber(r.Acts[randomness], randomness + 2));
        yield return new("a second value for one source", Rechained(r, Renumbered(second)), "acts", false);

        var early = r.Acts.ToList();
        var e = Act(r, randomness);
        e[2] = "2027-03-01T01:00:02Z";
        early[randomness] = string.Join('|', e);
        yield return new("a value before its moment", Rechained(r, early), "acts", false);

        var undeclared = r.Acts.ToList();
        var u = Act(r, randomness);
        u[5] = "witness";
        undeclared[randomness] = string.Join('|', u);
        yield return new("a value of an undeclared source", Rechained(r, undeclared), "acts", false);

        // The second entry by the same person under another department's token: still one person (the digest), refused.
        var samePerson = r.Acts.ToList();
        var sp = Act(r, randomness);
        sp[3] = "discipline-inspector:00000000-0000-4000-8000-0000000000ff:" + sp[7][(sp[7].LastIndexOf(':') + 1)..];
        samePerson[randomness] = string.Join('|', sp);
        yield return new("both entries of a value by one person under two departments", Rechained(r, samePerson), "acts", false);
        // A planner entering a value, and a planner committing: not their act.
        var byPlanner = r.Acts.ToList();
        var bp = Act(r, randomness);
        bp[3] = "planner" + bp[3][bp[3].IndexOf(':')..];
        byPlanner[randomness] = string.Join('|', bp);
        yield return new("a value entered under the planner role", Rechained(r, byPlanner), "acts", false);
        var commitByPlanner = r.Acts.ToList();
        var cp = Act(r, 0);
        cp[3] = "planner" + cp[3][cp[3].IndexOf(':')..];
        commitByPlanner[0] = string.Join('|', cp);
        yield return new("a commitment by a planner", Rechained(r, commitByPlanner), "acts", false);

        var discipline = r.Acts.ToList().FindIndex(a => a.Contains("|contribution|discipline|", StringComparison.Ordinal));
        var wrong = r.Acts.ToList();
        wrong[discipline] = wrong[discipline][..^64] + new string('a', 64);
        yield return new("a wrong discipline contribution", Rechained(r, wrong), "contribution.discipline", false);

        var drawIndex = IndexOf(r, "draw");
        var changedOutputs = r with { Outputs = r.Outputs with { Batches = r.Outputs.Batches + "" } };
        if (Canonical.Lines(r.Outputs.Targets).Length > 0)
        {
            var drawAct = r.Acts.ToList();
            drawAct[drawIndex] = string.Join('|', Act(r, drawIndex)[..^1]) + "|" + new string('b', 64);
            yield return new("the draw act's hashes changed", Rechained(r, drawAct), "acts.draw", false);
        }

        var later = r.Acts.Select((a, i) => (a, i)).Where(x => x.a.Split('|')[4] is "inspector" or "target").Select(x => x.i).ToList();
        if (later.Count > 0)
        {
            var dropped = r.Acts.Where((_, i) => i != later[^1]).ToList();
            yield return new("the last recusal or replacement dropped", Rechained(r, Renumbered(dropped)), "expect.record", true);
            var reason = r.Acts.ToList();
            reason[later[0]] = reason[later[0]][..reason[later[0]].LastIndexOf('|')] + "|工作安排";
            yield return new("a reason reworded", Rechained(r, reason), "expect.record", true);
        }

        if (IndexOf(r, "void") < 0 && changedOutputs.Acts.Count > 0)
        {
            var voided = r.Acts.Append($"A|{r.Acts.Count + 1}|2027-12-31T00:00:00Z|{Act(r, 0)[3]}|void|-|作废").ToList();
            yield return new("a void without countersignature after randomness", Rechained(r, voided), "acts", false);
        }
    }

    private static string Renumber(string act, int number)
    {
        var f = act.Split('|');
        f[1] = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join('|', f);
    }

    private static List<string> Renumbered(IReadOnlyList<string> acts) => acts.Select((a, i) => Renumber(a, i + 1)).ToList();
}
