using System.Buffers.Binary;

namespace Supervision.Domain.Draws;

/// <summary>
/// Section 5 at province size: every target line of the canonical targets file (UTF-8 bytes, as hashed into the commitment)
/// is keyed by HKDF-Expand(PRK, "T|stratum|id") over its own byte slice, on all cores, and only the best
/// <c>depth</c> of each stratum are kept (a bounded max-heap per worker and stratum), so ten million candidates cost ten
/// million HMACs and memory for the selection only, never an object or a string per candidate.
/// The order is the specification's (docs/draw-algorithm.md, section 5): the 32-byte key ascending, then the id bytewise;
/// <see cref="TargetRankingReference"/> is the former string implementation it is tested against.
/// </summary>
internal sealed class TargetRanking : ITargetRanking
{
    /// <summary>One kept candidate: its key as four big-endian words (compared in that order) and where its id starts in the file.</summary>
    private readonly struct Ranked(ulong k0, ulong k1, ulong k2, ulong k3, int idStart)
    {
        public readonly ulong K0 = k0, K1 = k1, K2 = k2, K3 = k3;
        public readonly int IdStart = idStart;
    }

    private readonly ReadOnlyMemory<byte> file;
    private readonly Ranked[] entries;

    private TargetRanking(ReadOnlyMemory<byte> file, Ranked[] entries, Dictionary<string, int[]> byStratum, Dictionary<string, int> poolSizes)
    {
        this.file = file;
        this.entries = entries;
        ByStratum = byStratum;
        PoolSizes = poolSizes;
    }

    /// <summary>The best candidates of each stratum in ranking order (indices for <see cref="Id"/> and <see cref="KeyHex"/>), at most the depth asked.</summary>
    public Dictionary<string, int[]> ByStratum { get; }

    /// <summary>Every stratum's pool size (lines in the file), by its escaped name.</summary>
    public Dictionary<string, int> PoolSizes { get; }

    /// <summary>Target ids are canonical UUIDs: always 36 ASCII bytes.</summary>
    public string Id(int index) => Encoding.ASCII.GetString(file.Span.Slice(entries[index].IdStart, 36));

    public string KeyHex(int index)
    {
        Span<byte> key = stackalloc byte[32];
        var e = entries[index];
        BinaryPrimitives.WriteUInt64BigEndian(key, e.K0);
        BinaryPrimitives.WriteUInt64BigEndian(key[8..], e.K1);
        BinaryPrimitives.WriteUInt64BigEndian(key[16..], e.K2);
        BinaryPrimitives.WriteUInt64BigEndian(key[24..], e.K3);
        return Convert.ToHexStringLower(key);
    }

    private sealed class StratumHeap(byte[] name, int depth, ReadOnlyMemory<byte> file)
    {
        public readonly byte[] Name = name;
        public readonly int Depth = depth;
        public int Count;
        public int Pool;
        public Ranked[] Items = new Ranked[Math.Min(depth, 1024)];

        /// <summary>Keeps the <see cref="Depth"/> smallest: a max-heap whose root is the worst kept.</summary>
        public void Offer(in Ranked candidate)
        {
            Pool++;
            if (Depth == 0) return;
            if (Count < Depth)
            {
                if (Count == Items.Length) Array.Resize(ref Items, (int)Math.Min(Depth, (long)Items.Length * 2));
                var i = Count++;
                while (i > 0)
                {
                    var parent = (i - 1) / 2;
                    if (Compare(Items[parent], candidate, file.Span) >= 0) break;
                    Items[i] = Items[parent];
                    i = parent;
                }
                Items[i] = candidate;
                return;
            }
            if (Compare(candidate, Items[0], file.Span) >= 0) return;
            var at = 0;
            while (true)
            {
                var left = 2 * at + 1;
                if (left >= Count) break;
                var larger = left + 1 < Count && Compare(Items[left + 1], Items[left], file.Span) > 0 ? left + 1 : left;
                if (Compare(Items[larger], candidate, file.Span) <= 0) break;
                Items[at] = Items[larger];
                at = larger;
            }
            Items[at] = candidate;
        }
    }

    private static int Compare(in Ranked a, in Ranked b, ReadOnlySpan<byte> file)
    {
        if (a.K0 != b.K0) return a.K0 < b.K0 ? -1 : 1;
        if (a.K1 != b.K1) return a.K1 < b.K1 ? -1 : 1;
        if (a.K2 != b.K2) return a.K2 < b.K2 ? -1 : 1;
        if (a.K3 != b.K3) return a.K3 < b.K3 ? -1 : 1;
        // Equal keys are practically impossible; the id then decides (ASCII, so bytewise is ordinal).
        return file.Slice(a.IdStart, 36).SequenceCompareTo(file.Slice(b.IdStart, 36));
    }

    /// <param name="file">The canonical targets file, UTF-8, every line "T|stratum|id|identifier" (the verifier checks the form first).</param>
    /// <param name="depth">How many of a stratum (by its escaped name) may ever be needed: its quota plus the target replacements.</param>
    public static TargetRanking Build(ReadOnlyMemory<byte> file, byte[] prk, Func<string, int> depth) =>
        Build(file, prk, depth, DrawComputation.Default);

    /// <param name="computation">How many workers and which HMAC path: the result is the same for every choice.</param>
    public static TargetRanking Build(ReadOnlyMemory<byte> file, byte[] prk, Func<string, int> depth, DrawComputation computation)
    {
        var length = file.Length;
        var workers = Math.Max(1, Math.Min(computation.Workers, length / Math.Max(1, computation.MinBytesPerWorker) + 1));
        // Split at line boundaries: each worker takes the lines that start in its byte range.
        var starts = new int[workers + 1];
        starts[workers] = length;
        for (var w = 1; w < workers; w++)
        {
            var guess = (int)((long)length * w / workers);
            var newline = file.Span[guess..].IndexOf((byte)'\n');
            starts[w] = newline < 0 ? length : Math.Max(starts[w - 1], guess + newline + 1);
        }
        var heaps = new List<StratumHeap>[workers];
        var depthByName = new Dictionary<string, int>(StringComparer.Ordinal);
        var depthLock = new object();
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                var mine = heaps[worker] = [];
                var span = file.Span;
                using var keys = new LabelKeys(prk, computation.Vectorized);
                // Lines are keyed a batch at a time (eight per vector), then offered to their stratum's heap in file order.
                const int batch = 64;
                var labelStarts = new int[batch];
                var labelLengths = new int[batch];
                var idStarts = new int[batch];
                var heapOf = new StratumHeap[batch];
                var digests = new byte[batch * 32];
                var pending = 0;
                void Flush(ReadOnlySpan<byte> source)
                {
                    keys.Compute(source, labelStarts.AsSpan(0, pending), labelLengths.AsSpan(0, pending), digests);
                    for (var i = 0; i < pending; i++)
                    {
                        var key = digests.AsSpan(i * 32, 32);
                        heapOf[i].Offer(new Ranked(BinaryPrimitives.ReadUInt64BigEndian(key), BinaryPrimitives.ReadUInt64BigEndian(key[8..]),
                            BinaryPrimitives.ReadUInt64BigEndian(key[16..]), BinaryPrimitives.ReadUInt64BigEndian(key[24..]), idStarts[i]));
                    }
                    pending = 0;
                }
                StratumHeap? last = null;
                for (var position = starts[worker]; position < starts[worker + 1];)
                {
                    var line = span[position..];
                    var end = line.IndexOf((byte)'\n');
                    if (end < 0) end = line.Length;
                    line = line[..end];
                    var afterStratum = line[2..].IndexOf((byte)'|') + 2;
                    var afterIdRelative = line[(afterStratum + 1)..].IndexOf((byte)'|');
                    var afterId = afterIdRelative < 0 ? end : afterStratum + 1 + afterIdRelative;
                    var stratum = line[2..afterStratum];
                    if (last is null || !stratum.SequenceEqual(last.Name))
                    {
                        last = null;
                        foreach (var heap in mine)
                            if (stratum.SequenceEqual(heap.Name)) { last = heap; break; }
                        if (last is null)
                        {
                            var name = Encoding.UTF8.GetString(stratum);
                            int d;
                            lock (depthLock)
                            {
                                if (!depthByName.TryGetValue(name, out d)) depthByName[name] = d = Math.Max(0, depth(name));
                            }
                            mine.Add(last = new StratumHeap(stratum.ToArray(), d, file));
                        }
                    }
                    // The label "T|stratum|id" is the line's own first bytes.
                    labelStarts[pending] = position;
                    labelLengths[pending] = afterId;
                    idStarts[pending] = position + afterStratum + 1;
                    heapOf[pending] = last;
                    if (++pending == batch) Flush(span);
                    position += end + 1;
                }
                if (pending > 0) Flush(span);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // A malformed line is named by its own exception, as the serial reference did.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }

        var entries = new List<Ranked>();
        var byStratum = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var pools = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var group in heaps.SelectMany(h => h).GroupBy(h => Encoding.UTF8.GetString(h.Name), StringComparer.Ordinal))
        {
            var merged = group.SelectMany(h => h.Items.Take(h.Count)).ToArray();
            Array.Sort(merged, (a, b) => Compare(a, b, file.Span));
            var kept = Math.Min(merged.Length, group.First().Depth);
            var order = new int[kept];
            for (var i = 0; i < kept; i++)
            {
                order[i] = entries.Count;
                entries.Add(merged[i]);
            }
            byStratum[group.Key] = order;
            pools[group.Key] = group.Sum(h => h.Pool);
        }
        return new TargetRanking(file, entries.ToArray(), byStratum, pools);
    }
}
