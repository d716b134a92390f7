using System.Security.Cryptography;

namespace Supervision.Api.Draws;

/// <summary>
/// The department's contribution to a draw's key, kept only sealed (AES-256-GCM, the draw id as associated data) under a key
/// that is never in the database: <c>Supervision:DrawSealKey</c> (base64, 32 bytes) from configuration, or locally a key
/// generated on first use into the git-ignored data folder. Whoever reads every table therefore learns nothing that
/// predicts a draw (docs/draw-algorithm.md, section 1). The same key, expanded for another purpose, makes the keyed digests
/// that stand for people in a public record.
/// </summary>
public sealed class DrawSecrets
{
    private readonly byte[] sealKey;
    private readonly byte[] actorKey;
    private readonly byte[] valueKey;

    public DrawSecrets(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The draw seal key is 32 bytes.", nameof(key));
        sealKey = HKDF.Expand(HashAlgorithmName.SHA256, key, 32, Encoding.UTF8.GetBytes("supervision draw seal"));
        actorKey = HKDF.Expand(HashAlgorithmName.SHA256, key, 32, Encoding.UTF8.GetBytes("supervision draw actor digest"));
        valueKey = HKDF.Expand(HashAlgorithmName.SHA256, key, 32, Encoding.UTF8.GetBytes("supervision draw first entry"));
    }

    public static DrawSecrets From(SupervisionSettings settings, bool production)
    {
        if (settings.Draws.SealKey is { } configured) return new DrawSecrets(Convert.FromBase64String(configured));
        if (production)
            throw new InvalidOperationException("Production needs Supervision__DrawSealKey (base64 of 32 random bytes, kept outside the database): it seals every draw's department contribution.");
        var path = Path.GetFullPath(Path.Combine(Environment.GetEnvironmentVariable("SUPERVISION_DATA_DIR") is { Length: > 0 } dir ? dir : ".data", "draw-seal-key"));
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                using var stream = new FileStream(path, options);
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process made it first: use theirs.
            }
        }
        return new DrawSecrets(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }

    /// <summary>A fresh 32-byte contribution (hex), its SHA-256, and its sealed form (the only one stored).</summary>
    public (string Hex, string Sha256, string Sealed) NewContribution(Guid drawId)
    {
        var bytes = RandomNumberGenerator.GetBytes(32);
        var hex = Convert.ToHexStringLower(bytes);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        CryptographicOperations.ZeroMemory(bytes);
        return (hex, sha, Seal(drawId, hex));
    }

    public string Seal(Guid drawId, string hex)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var plain = Convert.FromHexString(hex);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(sealKey, tag.Length)) aes.Encrypt(nonce, plain, cipher, tag, drawId.ToByteArray());
        return Convert.ToBase64String([.. nonce, .. cipher, .. tag]);
    }

    /// <summary>Opens a sealed contribution; a wrong key or a sealed value moved to another draw fails authentication.</summary>
    public string Unseal(Guid drawId, string sealedValue)
    {
        var bytes = Convert.FromBase64String(sealedValue);
        var nonceSize = AesGcm.NonceByteSizes.MaxSize;
        var tagSize = AesGcm.TagByteSizes.MaxSize;
        var plain = new byte[bytes.Length - nonceSize - tagSize];
        using var aes = new AesGcm(sealKey, tagSize);
        aes.Decrypt(bytes.AsSpan(0, nonceSize), bytes.AsSpan(nonceSize, plain.Length), bytes.AsSpan(nonceSize + plain.Length), plain, drawId.ToByteArray());
        return Convert.ToHexStringLower(plain);
    }

    /// <summary>A keyed digest of a first randomness entry: comparable with the second, unreadable (and unguessable) without the key.</summary>
    public string ValueDigest(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(valueKey, Encoding.UTF8.GetBytes(text)));

    /// <summary>16 hex characters standing for a person in a record: the same person always gives the same digest, and nobody without the key can tell who.</summary>
    public string ActorDigest(string userId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(actorKey, Encoding.UTF8.GetBytes(Identity.Normalize(userId))))[..16];
}
