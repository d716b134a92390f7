using Supervision.Domain.Directories;

namespace Supervision.Domain.Draws;

/// <summary>One candidate as the directory query returns it: the few fields a freeze reads, never a whole Target document.</summary>
public sealed record CandidateRow(Guid Id, string Identifier, OperatingStatus Status, string? CreditClass, string? CreditCode);

/// <summary>
/// The targets file of a freeze as the bytes hashed into the commitment (<see cref="CanonicalTargetsWriter"/>), with what the rest
/// of the freeze needs from it: each stratum's pool size (by its escaped name), and, for the targets an eligible inspector declared
/// a conflict with (by id or by credit code), their identifiers and ids. Nothing is kept per other candidate.
/// </summary>
public sealed record FrozenTargets(byte[] Bytes, int Length, string Sha256, IReadOnlyDictionary<string, int> Pools,
    IReadOnlyDictionary<Guid, string> Watched, IReadOnlyDictionary<string, Guid> ByCreditCode)
{
    public ReadOnlyMemory<byte> Utf8 => Bytes.AsMemory(0, Length);

    public int Count => Pools.Values.Sum();
}

/// <summary>
/// Freezes the targets of a pool from rows as they stream out of the database (docs/draw-algorithm.md, section 1.1): each row is
/// excluded with its reason or written as its canonical line, by the same rules as <see cref="DrawPools.Build"/> (which
/// <c>StreamedFreezeTests</c> holds it to on random pools).
/// </summary>
public sealed class TargetPoolWriter(DrawSampling? sampling, IReadOnlySet<Guid> drawnThisYear, IReadOnlySet<Guid> watchedIds,
    IReadOnlySet<string> watchedCreditCodes, int expectedBytes = 1 << 20)
{
    private readonly CanonicalTargetsWriter writer = new(expectedBytes);
    private readonly Dictionary<string, int> pools = new(StringComparer.Ordinal);
    private readonly Dictionary<Guid, string> watched = [];
    private readonly Dictionary<string, Guid> byCreditCode = new(StringComparer.OrdinalIgnoreCase);
    private Guid? previous;

    public List<PoolExclusion> Exclusions { get; } = [];

    public void Add(CandidateRow row)
    {
        // A row seen twice (the reference's DistinctBy) is taken once: rows come ordered by id (a document's key), so only the
        // previous one can repeat, and nothing is kept per candidate to find out.
        if (row.Id == previous) return;
        previous = row.Id;
        var (stratum, reason) = DrawPools.Classify(sampling, drawnThisYear, row.Id, row.Status, row.CreditClass);
        if (reason is not null)
        {
            Exclusions.Add(new PoolExclusion("target", row.Id, row.Identifier, reason));
            return;
        }
        writer.Add(stratum, row.Id, row.Identifier);
        var key = Canonical.Field(stratum);
        pools[key] = pools.GetValueOrDefault(key) + 1;
        if (watchedIds.Contains(row.Id)) watched[row.Id] = row.Identifier;
        if (row.CreditCode is { } code && watchedCreditCodes.Contains(code)) byCreditCode.TryAdd(code, row.Id);
    }

    public FrozenTargets Complete()
    {
        var (bytes, length, sha) = writer.Complete();
        return new FrozenTargets(bytes, length, sha, pools, watched, byCreditCode);
    }
}
