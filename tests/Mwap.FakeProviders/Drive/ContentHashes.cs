using System.Security.Cryptography;

namespace Mwap.FakeProviders.Drive;

/// <summary>The checksums each provider publishes for a file, computed from the fake file's bytes.</summary>
internal static class ContentHashes
{
    private const int DropboxBlockSize = 4 * 1024 * 1024;

#pragma warning disable CA5350, CA5351 // Drive publishes MD5 and SHA-1 checksums; nothing here relies on them for security.
    public static string Md5Hex(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));

    public static string Sha1Hex(byte[] content) => Convert.ToHexStringLower(SHA1.HashData(content));
#pragma warning restore CA5350, CA5351

    public static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Dropbox content_hash: SHA-256 over the concatenated SHA-256 digests of each 4 MiB block, hex.</summary>
    public static string DropboxContentHash(byte[] content)
    {
        using var outer = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var offset = 0; offset < content.Length; offset += DropboxBlockSize)
        {
            var length = Math.Min(DropboxBlockSize, content.Length - offset);
            outer.AppendData(SHA256.HashData(content.AsSpan(offset, length)));
        }

        return Convert.ToHexStringLower(outer.GetHashAndReset());
    }

    /// <summary>OneDrive's quickXorHash, base64 (the only hash Graph returns on every account type).</summary>
    public static string QuickXorBase64(byte[] content) => Convert.ToBase64String(QuickXorHash.Compute(content));
}
