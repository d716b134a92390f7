using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Supervision.Domain.Draws;

/// <summary>
/// key(label) = HKDF-Expand(PRK, label, 32) = HMAC-SHA256(PRK, label ‖ 0x01) (docs/draw-algorithm.md, section 4.2) for many
/// labels at once. A draw computes one per candidate and one per (selected target, inspector): at province size tens of
/// millions of short HMACs, where a call into the platform's HMAC per label costs several times the hashing itself.
/// Here the key's inner and outer pads are compressed once (RFC 2104: the two midstates), and eight labels go through
/// SHA-256 (FIPS 180-4) side by side, one per 32-bit lane of a 256-bit vector. The result is the same HMAC whatever the
/// path: <see cref="LabelKeysTests"/> holds it to <see cref="HMACSHA256"/> on random keys, labels and batch sizes, and the
/// plain path (<c>vectorized: false</c>, or a machine without 256-bit vectors) calls the platform's HMAC per label.
/// Not thread-safe: each worker makes its own (the midstates cost two compressions).
/// </summary>
internal sealed class LabelKeys : IDisposable
{
    private const int Lanes = 8;
    private const int BlockBytes = 64;

    private static readonly uint[] Initial = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];

    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    private readonly IncrementalHash? plain;
    private readonly uint[] innerMidstate = new uint[8];
    private readonly uint[] outerMidstate = new uint[8];
    /// <summary>Each lane's padded inner message (label ‖ 0x01 ‖ SHA-256 padding), <see cref="stride"/> bytes per lane.</summary>
    private byte[] padded = new byte[Lanes * 2 * BlockBytes];
    private int stride = 2 * BlockBytes;
    private byte[] scratch = new byte[256];
    // Working vectors, kept (a stackalloc would be zeroed on every batch of eight).
    private readonly Vector256<uint>[] state = new Vector256<uint>[8];
    private readonly Vector256<uint>[] before = new Vector256<uint>[8];
    private readonly Vector256<uint>[] schedule = new Vector256<uint>[64];
    private readonly uint[] words = new uint[16 * Lanes];
    private readonly uint[] active = new uint[Lanes];
    private readonly uint[] digest = new uint[Lanes];

    /// <param name="prk">The HMAC key (the draw's PRK).</param>
    /// <param name="vectorized">False: one platform HMAC per label (the reference path; also taken where 256-bit vectors are not accelerated).</param>
    public LabelKeys(byte[] prk, bool vectorized = true)
    {
        Vectorized = vectorized && Vector256.IsHardwareAccelerated;
        if (!Vectorized)
        {
            plain = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, prk);
            return;
        }
        // RFC 2104: a key longer than the block is hashed first; then K ⊕ ipad and K ⊕ opad are each one block.
        Span<byte> key = stackalloc byte[BlockBytes];
        key.Clear();
        if (prk.Length > BlockBytes) SHA256.HashData(prk, key);
        else prk.CopyTo(key);
        Span<byte> pad = stackalloc byte[BlockBytes];
        for (var i = 0; i < BlockBytes; i++) pad[i] = (byte)(key[i] ^ 0x36);
        CompressOne(Initial, pad, innerMidstate);
        for (var i = 0; i < BlockBytes; i++) pad[i] = (byte)(key[i] ^ 0x5c);
        CompressOne(Initial, pad, outerMidstate);
    }

    /// <summary>Whether the eight-lane path is in use.</summary>
    public bool Vectorized { get; }

    /// <summary>
    /// keys[32 i .. 32 i + 32) = HMAC-SHA256(PRK, labels[starts[i] .. starts[i] + lengths[i]) ‖ 0x01) for every i.
    /// </summary>
    public void Compute(ReadOnlySpan<byte> labels, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<byte> keys)
    {
        var count = starts.Length;
        if (lengths.Length != count || keys.Length < count * 32) throw new ArgumentException("one length and 32 bytes of key per label.");
        if (!Vectorized)
        {
            for (var i = 0; i < count; i++) ComputePlain(labels.Slice(starts[i], lengths[i]), keys.Slice(i * 32, 32));
            return;
        }
        for (var from = 0; from < count; from += Lanes)
            ComputeLanes(labels, starts[from..Math.Min(count, from + Lanes)], lengths[from..Math.Min(count, from + Lanes)], keys[(from * 32)..]);
    }

    private void ComputePlain(ReadOnlySpan<byte> label, Span<byte> key)
    {
        if (label.Length + 1 > scratch.Length) scratch = new byte[label.Length * 2 + 1];
        label.CopyTo(scratch);
        scratch[label.Length] = 0x01;
        plain!.AppendData(scratch, 0, label.Length + 1);
        plain.GetHashAndReset(key);
    }

    /// <summary>Up to eight labels, one per lane; a lane whose message has fewer blocks keeps its state from its last block on.</summary>
    private void ComputeLanes(ReadOnlySpan<byte> labels, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, Span<byte> keys)
    {
        var lanes = starts.Length;
        Span<int> blocks = stackalloc int[Lanes];
        var maxBlocks = 1;
        for (var l = 0; l < lanes; l++)
        {
            // 64 bytes of the inner pad are already compressed; the message is label ‖ 0x01, then 0x80 and the 64-bit bit length.
            blocks[l] = (lengths[l] + 1 + 1 + 8 + BlockBytes - 1) / BlockBytes;
            maxBlocks = Math.Max(maxBlocks, blocks[l]);
        }
        if (maxBlocks * BlockBytes > stride)
        {
            stride = maxBlocks * BlockBytes;
            padded = new byte[Lanes * stride];
        }
        for (var l = 0; l < lanes; l++)
        {
            var message = padded.AsSpan(l * stride, blocks[l] * BlockBytes);
            var label = labels.Slice(starts[l], lengths[l]);
            label.CopyTo(message);
            message[label.Length] = 0x01;
            message[label.Length + 1] = 0x80;
            message[(label.Length + 2)..^8].Clear();
            BinaryPrimitives.WriteUInt64BigEndian(message[^8..], (ulong)(BlockBytes + label.Length + 1) * 8);
        }

        var state = this.state;
        var schedule = this.schedule;
        var words = this.words;
        var active = this.active;
        for (var i = 0; i < 8; i++) state[i] = Vector256.Create(innerMidstate[i]);
        for (var block = 0; block < maxBlocks; block++)
        {
            Array.Clear(words);
            Array.Clear(active);
            var allActive = true;
            for (var l = 0; l < lanes; l++)
            {
                if (block >= blocks[l]) { allActive = false; continue; }
                active[l] = uint.MaxValue;
                var bytes = padded.AsSpan(l * stride + block * BlockBytes, BlockBytes);
                for (var t = 0; t < 16; t++) words[t * Lanes + l] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(t * 4)..]);
            }
            var vectors = MemoryMarshal.Cast<uint, Vector256<uint>>(words.AsSpan());
            for (var t = 0; t < 16; t++) schedule[t] = vectors[t];
            if (allActive) Compress(state, schedule);
            else CompressMasked(state, schedule, Vector256.Create<uint>(active), before);
        }

        // The outer message is the inner digest (the state words, big-endian, are exactly the block's first eight words).
        for (var i = 0; i < 8; i++) schedule[i] = state[i];
        schedule[8] = Vector256.Create(0x80000000u);
        for (var i = 9; i < 15; i++) schedule[i] = Vector256<uint>.Zero;
        schedule[15] = Vector256.Create((uint)(BlockBytes + 32) * 8);
        for (var i = 0; i < 8; i++) state[i] = Vector256.Create(outerMidstate[i]);
        Compress(state, schedule);

        var digest = this.digest;
        for (var i = 0; i < 8; i++)
        {
            state[i].CopyTo(digest);
            for (var l = 0; l < lanes; l++) BinaryPrimitives.WriteUInt32BigEndian(keys.Slice(l * 32 + i * 4, 4), digest[l]);
        }
    }

    /// <summary>A lane that has already taken its last block keeps its state: its bits of <paramref name="active"/> are zero.</summary>
    private static void CompressMasked(Span<Vector256<uint>> state, Span<Vector256<uint>> schedule, Vector256<uint> active, Span<Vector256<uint>> before)
    {
        state.CopyTo(before);
        Compress(state, schedule);
        for (var i = 0; i < 8; i++) state[i] = Vector256.ConditionalSelect(active, state[i], before[i]);
    }

    // Where AVX-512 (VL) is there, a rotation is one instruction and so is any function of three vectors (vpternlogd, its
    // truth table as the constant: 0x96 three-way xor, 0xCA choose, 0xE8 majority); elsewhere the plain vector forms.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Rotate(Vector256<uint> x, [System.Diagnostics.CodeAnalysis.ConstantExpected] byte n) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.RotateRight(x, n) : Vector256.ShiftRightLogical(x, n) | Vector256.ShiftLeft(x, 32 - n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Xor3(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0x96) : a ^ b ^ c;

    /// <summary>Ch(e, f, g) = (e ∧ f) ⊕ (¬e ∧ g).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Choose(Vector256<uint> e, Vector256<uint> f, Vector256<uint> g) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(e, f, g, 0xCA) : (e & f) ^ Vector256.AndNot(g, e);

    /// <summary>Maj(a, b, c) = (a ∧ b) ⊕ (a ∧ c) ⊕ (b ∧ c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Majority(Vector256<uint> a, Vector256<uint> b, Vector256<uint> c) =>
        Avx512F.VL.IsSupported ? Avx512F.VL.TernaryLogic(a, b, c, 0xE8) : (a & b) | (c & (a | b));

    /// <summary>One SHA-256 compression (FIPS 180-4, 6.2.2) in every lane; schedule[0..16) holds the block's words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compress(Span<Vector256<uint>> state, Span<Vector256<uint>> schedule)
    {
        var w = schedule[..64];
        for (var t = 16; t < 64; t++)
        {
            var x = w[t - 15];
            var y = w[t - 2];
            var s0 = Xor3(Rotate(x, 7), Rotate(x, 18), Vector256.ShiftRightLogical(x, 3));
            var s1 = Xor3(Rotate(y, 17), Rotate(y, 19), Vector256.ShiftRightLogical(y, 10));
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        var s = state[..8];
        Vector256<uint> a = s[0], b = s[1], c = s[2], d = s[3], e = s[4], f = s[5], g = s[6], h = s[7];
        var k = RoundConstants;
        for (var t = 0; t < 64; t++)
        {
            var t1 = h + Xor3(Rotate(e, 6), Rotate(e, 11), Rotate(e, 25)) + Choose(e, f, g) + Vector256.Create(k[t]) + w[t];
            var t2 = Xor3(Rotate(a, 2), Rotate(a, 13), Rotate(a, 22)) + Majority(a, b, c);
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        s[0] += a;
        s[1] += b;
        s[2] += c;
        s[3] += d;
        s[4] += e;
        s[5] += f;
        s[6] += g;
        s[7] += h;
    }

    /// <summary>One compression of one block, for the two midstates (every lane the same).</summary>
    private static void CompressOne(ReadOnlySpan<uint> from, ReadOnlySpan<byte> block, Span<uint> into)
    {
        Span<Vector256<uint>> state = stackalloc Vector256<uint>[8];
        Span<Vector256<uint>> schedule = stackalloc Vector256<uint>[64];
        for (var i = 0; i < 8; i++) state[i] = Vector256.Create(from[i]);
        for (var t = 0; t < 16; t++) schedule[t] = Vector256.Create(BinaryPrimitives.ReadUInt32BigEndian(block[(t * 4)..]));
        Compress(state, schedule);
        for (var i = 0; i < 8; i++) into[i] = state[i].GetElement(0);
    }

    public void Dispose() => plain?.Dispose();
}
