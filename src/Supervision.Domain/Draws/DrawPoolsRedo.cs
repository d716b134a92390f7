namespace Supervision.Domain.Draws;

public static partial class DrawPools
{
    /// <summary>
    /// A redo draws from the voided draw's pools (docs/draw-algorithm.md, section 11): its targets, exclusions, inspectors and conflicts
    /// as frozen, with its parameters, except the corrections the void named, which move to the exclusions with the void's reason.
    /// </summary>
    public static Pools FromVoided(Guid drawId, Guid voidedDrawId, DrawFiles voided, IReadOnlyList<PoolCorrection> corrections, string voidReason, long poolAsOfSequence)
    {
        static string[] Fields(string line) => line.Split('|').Select(Canonical.UnescapeStrict).ToArray();
        var removedTargets = corrections.Where(c => c.Kind == "target").Select(c => c.Id).ToHashSet();
        var removedInspectors = corrections.Where(c => c.Kind == "inspector").Select(c => c.Id).ToHashSet();
        var reason = "corrected:" + voidReason;
        var targets = new List<PoolTarget>();
        var exclusions = Canonical.Lines(voided.Exclusions).Select(Fields).Select(f => new PoolExclusion(f[1], Guid.Parse(f[2]), f[3], f[4])).ToList();
        foreach (var f in Canonical.Lines(voided.Targets).Select(Fields))
        {
            var target = new PoolTarget(Guid.Parse(f[2]), f[3], f[1]);
            if (removedTargets.Contains(target.Id)) exclusions.Add(new PoolExclusion("target", target.Id, target.Identifier, reason));
            else targets.Add(target);
        }
        var inspectors = new List<PoolInspector>();
        foreach (var f in Canonical.Lines(voided.Inspectors).Select(Fields))
        {
            var id = Guid.Parse(f[1]);
            if (removedInspectors.Contains(id)) exclusions.Add(new PoolExclusion("inspector", id, Canonical.Id(id), reason));
            else inspectors.Add(new PoolInspector(id, Guid.Parse(f[2]), f[3] == "1", ""));
        }
        var conflicts = Canonical.Lines(voided.Conflicts).Select(Fields).Select(f => new PoolConflict(Guid.Parse(f[1]), Guid.Parse(f[2])))
            .Where(c => !removedTargets.Contains(c.TargetId) && !removedInspectors.Contains(c.InspectorId)).ToList();

        var p = Canonical.Lines(voided.Parameters).Select(Fields).ToList();
        string One(string key) => p.Single(f => f[1] == key)[2];
        int Int(string key) => int.Parse(One(key), System.Globalization.CultureInfo.InvariantCulture);
        var sampling = p.Where(f => f[1] == "sampling").ToList() switch
        {
            [[_, _, "ratio", var bp]] => new DrawSampling(int.Parse(bp, System.Globalization.CultureInfo.InvariantCulture), null, null),
            [[_, _, "fixed", var n]] => new DrawSampling(null, int.Parse(n, System.Globalization.CultureInfo.InvariantCulture), null),
            var classes => new DrawSampling(null, null, classes.Select(f => new ClassBasisPoints(f[3], int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture))).ToList()),
        };
        var team = p.Where(f => f[1] == "team").OrderBy(f => f[2], StringComparer.Ordinal)
            .Select(f => new TeamSlot(Guid.Parse(f[3]), int.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var window = p.Single(f => f[1] == "window");
        var setup = new DrawSetup(drawId, One("plan"), One("task"), poolAsOfSequence, sampling, Int("inspectors-per-target"), team, Int("load-cap"), Int("batches"),
            DateOnly.ParseExact(window[2], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.ParseExact(window[3], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            One("partial-teams") == "1", One("record-public"), voidedDrawId);
        return new Pools(setup, targets, exclusions, inspectors, conflicts);
    }
}
