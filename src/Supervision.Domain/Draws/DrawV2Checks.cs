using System.Text.RegularExpressions;

namespace Supervision.Domain.Draws;

/// <summary>The checks of a /2 record's contents: the parameters file (section 2.1), the targets' strata, the act lines and the rules between acts (section 9).</summary>
public static partial class DrawV2
{
    private sealed record Parameters(DrawSampling Sampling, bool PartialTeams);

    private static (Parameters? Parameters, string? Problem) ParseParameters(string file, string drawId)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int? ratio = null, fixedCount = null;
        var classes = new List<ClassBasisPoints>();
        var partial = false;
        var teamDepartments = new HashSet<string>(StringComparer.Ordinal);
        var positions = new List<int>();
        static bool Int(string s, int min, int max, out int value)
        {
            value = 0;
            return Number().IsMatch(s) && int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;
        }
        foreach (var f in Canonical.Lines(file).Select(l => l.Split('|')))
        {
            var key = f[1];
            seen[key] = seen.GetValueOrDefault(key) + 1;
            var ok = key switch
            {
                "algorithm" => f.Length == 3 && f[2] == Algorithm,
                "draw" => f.Length == 3 && f[2] == drawId,
                "batches" => f.Length == 3 && Int(f[2], 1, 100, out _),
                "inspectors-per-target" => f.Length == 3 && Int(f[2], 1, 50, out _),
                "load-cap" => f.Length == 3 && Int(f[2], 0, int.MaxValue, out _),
                "partial-teams" => f.Length == 3 && f[2] is "0" or "1" && ((partial = f[2] == "1") || true),
                "plan" or "task" => f.Length == 3,
                "pool-as-of-sequence" => f.Length == 3 && Number().IsMatch(f[2]),
                "record-public" => f.Length == 3 && f[2] is RecordPublicImmediately or RecordPublicAtInspectionsStart,
                "replaces" => f.Length == 3 && Uuid().IsMatch(f[2]),
                "sampling" => f switch
                {
                    [_, _, "ratio", var bp] when Int(bp, 1, 10000, out var v) => (ratio = v) > 0,
                    [_, _, "fixed", var n] when Int(n, 1, int.MaxValue, out var v) => (fixedCount = v) > 0,
                    [_, _, "class", var c, var bp] when Int(bp, 1, 10000, out var v) && classes.All(x => x.CreditClass != Canonical.UnescapeStrict(c)) =>
                        Add(classes, new ClassBasisPoints(Canonical.UnescapeStrict(c), v)),
                    _ => false,
                },
                "team" => f is [_, _, var position, var department, var count] && position.Length == 2 && Int(position.TrimStart('0'), 1, 50, out var p)
                    && Uuid().IsMatch(department) && teamDepartments.Add(department) && Int(count, 1, 50, out _) && Add(positions, p),
                "window" => f.Length == 4 && DateOnly.TryParseExact(f[2], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                    && DateOnly.TryParseExact(f[3], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                _ => false,
            };
            if (!ok) return (null, $"'{string.Join('|', f)}' is not a valid parameter line.");
        }
        foreach (var key in new[] { "algorithm", "batches", "draw", "inspectors-per-target", "load-cap", "partial-teams", "plan", "pool-as-of-sequence", "record-public", "task", "window" })
            if (seen.GetValueOrDefault(key) != 1) return (null, $"the key '{key}' must appear exactly once.");
        if (seen.GetValueOrDefault("replaces") > 1) return (null, "the key 'replaces' appears more than once.");
        var forms = (ratio is null ? 0 : 1) + (fixedCount is null ? 0 : 1) + (classes.Count > 0 ? 1 : 0);
        if (forms != 1 || (ratio is not null && seen["sampling"] != 1) || (fixedCount is not null && seen["sampling"] != 1))
            return (null, "exactly one sampling form is required.");
        if (!positions.SequenceEqual(Enumerable.Range(1, positions.Count))) return (null, "team positions are consecutive from 01.");
        var teamTotal = Canonical.Lines(file).Select(l => l.Split('|')).Where(f => f[1] == "team").Sum(f => long.Parse(f[4], CultureInfo.InvariantCulture));
        if (teamTotal > 50) return (null, "a team has at most 50 members.");
        return (new Parameters(new DrawSampling(ratio, fixedCount, classes.Count > 0 ? classes : null), partial), null);
    }

    private static bool Add<T>(List<T> list, T item)
    {
        list.Add(item);
        return true;
    }

    /// <summary>Every stratum has a sampling line, and every target is there once (strata from <see cref="CanonicalUtf8.Strata"/>).</summary>
    private static string? TargetsProblem(IReadOnlyDictionary<string, int> pools, string? duplicateId, Parameters parameters)
    {
        var strata = parameters.Sampling.ByCreditClass
            ? parameters.Sampling.ClassBasisPoints!.Select(c => Canonical.Field(c.CreditClass)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal) { "*" };
        if (pools.Keys.Order(StringComparer.Ordinal).FirstOrDefault(s => !strata.Contains(s)) is { } hole)
            return $"stratum '{hole}' has no sampling line (a silent hole: its targets could never be drawn).";
        return duplicateId is not null ? $"target {duplicateId} appears twice." : null;
    }

    private static ParsedAct? ParseAct(string? line, int expectedNumber)
    {
        if (line is null || line.Contains('\n') || !line.IsNormalized(NormalizationForm.FormC)) return null;
        var f = line.Split('|');
        if (f.Length < 5 || f[0] != "A" || f[1] != expectedNumber.ToString(CultureInfo.InvariantCulture) || !f.All(Canonical.IsWellEscaped)) return null;
        if (!InstantForm().IsMatch(f[2]) || !IsInstant(f[2]) || !(f[3] == "system" || ActorForm().IsMatch(f[3]))) return null;
        var rest = f[5..];
        var ok = (f[4], rest) switch
        {
            ("commit", []) => true,
            ("randomness", [var name, var value, var first]) => SourceName().IsMatch(name) && value.Length > 0 && (first == "system" || ActorForm().IsMatch(first)),
            ("contribution", [DepartmentParty or DisciplineParty, _]) => true,
            ("draw", [var a, var b, var c]) => Hex64().IsMatch(a) && Hex64().IsMatch(b) && Hex64().IsMatch(c),
            ("inspector", [var t, var i, var reason]) => Uuid().IsMatch(t) && Uuid().IsMatch(i) && IsReason(reason),
            ("target", [var t, var reason]) => Uuid().IsMatch(t) && IsReason(reason),
            ("void", [var countersigner, var reason]) => (countersigner == "-" || ActorForm().IsMatch(countersigner)) && IsReason(reason),
            _ => false,
        };
        return ok ? new ParsedAct(expectedNumber, f[2], f[3], f[4], rest, line) : null;
    }

    /// <summary>1 to 1000 code points, no white space at either end (NFC is checked on the whole act line).</summary>
    private static bool IsReason(string escaped)
    {
        var reason = Canonical.UnescapeStrict(escaped);
        var length = reason.EnumerateRunes().Count();
        return length is > 0 and <= 1000 && reason.Trim() == reason;
    }

    private static string Role(string actor) => actor == "system" ? actor : actor[..actor.IndexOf(':')];

    /// <summary>Section 9, who acts: each kind of act by the role the protocol gives it.</summary>
    private static string? RoleProblem(ParsedAct act)
    {
        const string discipline = "discipline-inspector", planner = "planner", approver = "approver";
        var role = Role(act.Actor);
        var allowed = act.Kind switch
        {
            "commit" => role == discipline,
            "randomness" => role == discipline && Role(act.Fields[2]) == discipline,
            "contribution" => act.Fields[0] == DisciplineParty ? role == discipline : role is planner or discipline,
            "draw" => role == planner,
            "inspector" or "target" => role == approver,
            "void" => role == approver && (act.Fields[0] == "-" || Role(act.Fields[0]) == discipline),
            _ => true,
        };
        return allowed ? null : $"the actor's role '{role}' may not do this (section 9, who acts).";
    }

    /// <summary>The person behind an actor field: its keyed digest (the same person under another role or department is still the same person).</summary>
    private static string Person(string actor) => actor == "system" ? actor : actor[(actor.LastIndexOf(':') + 1)..];

    private static string? ActsProblem(IReadOnlyList<ParsedAct> acts, IReadOnlyDictionary<string, string> sources)
    {
        if (acts.Count == 0) return "a record has at least the commit act.";
        foreach (var act in acts)
        {
            if (RoleProblem(act) is { } role) return $"act {act.Number} ({act.Kind}): {role}";
        }
        if (acts[0].Kind != "commit") return "the first act is the commit.";
        if (acts.Skip(1).Any(a => a.Kind == "commit")) return "there is one commit act.";
        for (var i = 1; i < acts.Count; i++)
            if (string.CompareOrdinal(acts[i].At, acts[i - 1].At) < 0) return $"act {i + 1} is dated before act {i}.";
        var committedAt = acts[0].At;
        foreach (var (name, notBefore) in sources)
            if (string.CompareOrdinal(notBefore, committedAt) <= 0) return $"source '{name}' was declared available at {notBefore}, not after the commitment at {committedAt}.";
        int IndexOf(string kind, string? first = null) => acts.ToList().FindIndex(a => a.Kind == kind && (first is null || a.Fields[0] == first));
        var recorded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var act in acts.Where(a => a.Kind == "randomness"))
        {
            var name = act.Fields[0];
            if (!sources.TryGetValue(name, out var notBefore)) return $"act {act.Number} records a value for '{name}', which is not a declared source.";
            if (!recorded.Add(name)) return $"act {act.Number} records a second value for '{name}'.";
            if (string.CompareOrdinal(act.At, notBefore) < 0) return $"act {act.Number} records '{name}' at {act.At}, before its declared moment {notBefore}.";
            if (Person(act.Fields[2]) == Person(act.Actor)) return $"act {act.Number}: the value of '{name}' was entered twice by the same person.";
        }
        if (acts.Count(a => a.Kind == "contribution" && a.Fields[0] == DisciplineParty) > 1 || acts.Count(a => a.Kind == "contribution" && a.Fields[0] == DepartmentParty) > 1)
            return "each party reveals its contribution once.";
        var lastRandomness = acts.ToList().FindLastIndex(a => a.Kind == "randomness");
        var discipline = IndexOf("contribution", DisciplineParty);
        var department = IndexOf("contribution", DepartmentParty);
        var draw = IndexOf("draw");
        if (discipline >= 0 && (recorded.Count < sources.Count || discipline < lastRandomness)) return "the discipline contribution is revealed only after every declared value is recorded.";
        if (department >= 0 && (discipline < 0 || department < discipline)) return "the department contribution is revealed after the discipline one.";
        if (acts.Count(a => a.Kind == "draw") > 1) return "there is one draw act.";
        if (draw >= 0 && (discipline < 0 || department < 0 || draw < department || recorded.Count < sources.Count)) return "the draw follows every value and both contributions.";
        if (department >= 0 && !(department + 1 < acts.Count && acts[department + 1].Kind is "draw" or "void"))
            return "the department contribution is revealed by the draw (or by a void), in the act just before it.";
        foreach (var act in acts.Where(a => a.Kind is "inspector" or "target"))
            if (draw < 0 || act.Number - 1 < draw) return $"act {act.Number}: a recusal or replacement follows the draw.";
        var voids = acts.Where(a => a.Kind == "void").ToList();
        if (voids.Count > 1 || (voids.Count == 1 && voids[0].Number != acts.Count)) return "a void is the last act, and there is one.";
        if (voids.Count == 1)
        {
            var v = voids[0];
            var needsCountersign = recorded.Count > 0 || draw >= 0 || sources.Values.Any(notBefore => string.CompareOrdinal(v.At, notBefore) >= 0);
            if (needsCountersign && v.Fields[0] == "-") return "a void after randomness exists, or after a source's moment, needs a countersignature.";
            if (v.Fields[0] != "-" && Person(v.Fields[0]) == Person(v.Actor)) return "the countersigner of a void is another person.";
        }
        return null;
    }
}
