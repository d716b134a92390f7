using System.Buffers.Binary;

namespace Supervision.Domain.Draws;

/// <summary>
/// The string implementation of section 5 that every draw used up to 2026-12 (kept unchanged as the reference the byte path,
/// <see cref="TargetRanking"/>, is tested against: same ranks, same keys, same selection on random pools).
/// Section 5 at scale: every target line keyed by HKDF-Expand(PRK, "T|stratum|id") and ranked within its stratum.
/// Works on offsets into the targets file rather than per-line strings, and spreads the keyed hashes over all cores:
/// a million candidates cost a million HMACs and little else.
/// </summary>
internal sealed class TargetRankingReference : ITargetRanking
{
    private readonly string file;
    private readonly int[] idStart;
    private readonly byte[] keys;

    private TargetRankingReference(string file, int[] idStart, byte[] keys, Dictionary<string, int[]> byStratum)
    {
        this.file = file;
        this.idStart = idStart;
        this.keys = keys;
        ByStratum = byStratum;
    }

    /// <summary>Candidate indices of each stratum in ranking order.</summary>
    public Dictionary<string, int[]> ByStratum { get; }

    /// <summary>Target ids are canonical UUIDs: always 36 characters.</summary>
    public string Id(int index) => file.Substring(idStart[index], 36);

    public string KeyHex(int index) => Convert.ToHexStringLower(keys.AsSpan(index * 32, 32));

    public static TargetRankingReference Build(string file, byte[] prk)
    {
        var count = 0;
        foreach (var c in file) if (c == '\n') count++;
        var lineStart = new int[count];
        var infoLength = new int[count];
        var idStart = new int[count];
        var stratumOf = new int[count];
        var strata = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = strata.GetAlternateLookup<ReadOnlySpan<char>>();
        var names = new List<string>();

        var position = 0;
        for (var i = 0; i < count; i++)
        {
            var end = file.IndexOf('\n', position);
            var afterStratum = file.IndexOf('|', position + 2);
            var afterId = file.IndexOf('|', afterStratum + 1);
            if (afterId < 0 || afterId > end) afterId = end;
            lineStart[i] = position;
            infoLength[i] = afterId - position;
            idStart[i] = afterStratum + 1;
            var stratum = file.AsSpan(position + 2, afterStratum - position - 2);
            if (!lookup.TryGetValue(stratum, out var index))
            {
                index = names.Count;
                names.Add(stratum.ToString());
                strata[names[index]] = index;
            }
            stratumOf[i] = index;
            position = end + 1;
        }

        var keys = new byte[count * 32];
        var workers = Math.Max(1, Environment.ProcessorCount);
        Parallel.For(0, workers, worker =>
        {
            var from = (int)((long)count * worker / workers);
            var to = (int)((long)count * (worker + 1) / workers);
            using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, prk);
            var buffer = new byte[4096];
            for (var i = from; i < to; i++)
            {
                var length = Canonical.Utf8.GetBytes(file.AsSpan(lineStart[i], infoLength[i]), buffer);
                buffer[length] = 0x01;
                hmac.AppendData(buffer, 0, length + 1);
                hmac.GetHashAndReset(keys.AsSpan(i * 32, 32));
            }
        });

        var byStratum = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var s = 0; s < names.Count; s++)
        {
            var members = new List<int>();
            for (var i = 0; i < count; i++) if (stratumOf[i] == s) members.Add(i);
            var indices = members.ToArray();
            var prefixes = new ulong[indices.Length];
            for (var j = 0; j < indices.Length; j++) prefixes[j] = BinaryPrimitives.ReadUInt64BigEndian(keys.AsSpan(indices[j] * 32, 8));
            Array.Sort(prefixes, indices);
            // Equal 64-bit prefixes are practically impossible; when they occur, the full key (then the id) decides.
            for (var start = 0; start < indices.Length;)
            {
                var stop = start + 1;
                while (stop < indices.Length && prefixes[stop] == prefixes[start]) stop++;
                if (stop - start > 1)
                {
                    Array.Sort(indices, start, stop - start, Comparer<int>.Create((a, b) =>
                        keys.AsSpan(a * 32, 32).SequenceCompareTo(keys.AsSpan(b * 32, 32)) is var c and not 0
                            ? c
                            : string.CompareOrdinal(file, idStart[a], file, idStart[b], 36)));
                }
                start = stop;
            }
            byStratum[names[s]] = indices;
        }
        return new TargetRankingReference(file, idStart, keys, byStratum);
    }
}
