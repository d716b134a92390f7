namespace Supervision.Domain.Kernel;

/// <summary>
/// Name-based UUIDs (RFC 9562 version 5, SHA-1) for things that have a natural key, such as an
/// administrative division code. Registering the same natural key twice then targets the same stream,
/// so the event store itself refuses the duplicate on any node.
/// </summary>
public static class DeterministicId
{
    /// <summary>The namespace UUID of this system's name-based ids (fixed forever: changing it changes every id).</summary>
    private static readonly Guid Namespace = new("6b1f3c2e-5d0a-4c49-9a51-2f7e0b8d4c11");

    public static Guid For(string kind, string naturalKey)
    {
        var name = Encoding.UTF8.GetBytes(kind + ":" + naturalKey.Normalize(NormalizationForm.FormC));
        var ns = Namespace.ToByteArray(bigEndian: true);
        var hash = SHA1.HashData([.. ns, .. name]);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
