using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Mwap.Api.Features.Import;

/// <summary>
/// Reads MWAP's secrets at rest: <c>base64(iv):base64(tag):base64(ciphertext)</c>, AES-256-GCM with a 16-byte IV and no
/// associated data, the key being the UTF-8 bytes of <c>ENCRYPTION_KEY</c> zero-padded or cut to 32 bytes, and the
/// plaintext prefixed with 32 hex characters of salt. .NET's <c>AesGcm</c> takes only 12-byte nonces, so this (and only
/// this) uses BouncyCastle's GCM, which derives the counter block from any IV length as the GCM specification does.
/// </summary>
internal sealed class LegacySecrets(string? legacyKey)
{
    private const int IvSize = 16;
    private const int TagSize = 16;
    private const int SaltLength = 32;

    private readonly byte[]? _key = legacyKey is null ? null : NormalizeKey(legacyKey);

    internal enum Outcome
    {
        Decrypted,

        /// <summary>Not in MWAP's envelope: MWAP's test mode stored some values in plain text. Never stored as is.</summary>
        NotEncrypted,

        /// <summary>In the envelope, but the key is missing or wrong, or the value was tampered with.</summary>
        Undecryptable,
    }

    public bool HasKey => _key is not null;

    /// <summary>MWAP's key rule: the UTF-8 bytes, zero-padded or truncated to 32 bytes. No KDF, no base64 decoding.</summary>
    public static byte[] NormalizeKey(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        var result = new byte[32];
        bytes.AsSpan(0, Math.Min(bytes.Length, 32)).CopyTo(result);
        return result;
    }

    public Outcome TryDecrypt(string stored, out string plaintext)
    {
        plaintext = "";
        if (!TryParse(stored, out var iv, out var tag, out var ciphertext))
        {
            return Outcome.NotEncrypted;
        }

        if (_key is null)
        {
            return Outcome.Undecryptable;
        }

        var cipher = new GcmBlockCipher(new AesEngine());
        cipher.Init(false, new AeadParameters(new KeyParameter(_key), TagSize * 8, iv));
        // BouncyCastle takes the tag appended to the ciphertext, as GCM's output is usually laid out.
        var input = new byte[ciphertext.Length + TagSize];
        ciphertext.CopyTo(input, 0);
        tag.CopyTo(input, ciphertext.Length);
        var output = new byte[cipher.GetOutputSize(input.Length)];
        try
        {
            var length = cipher.ProcessBytes(input, 0, input.Length, output, 0);
            length += cipher.DoFinal(output, length);
            var text = new UTF8Encoding(false, true).GetString(output, 0, length);
            if (text.Length < SaltLength)
            {
                return Outcome.Undecryptable;
            }

            plaintext = text[SaltLength..];
            return Outcome.Decrypted;
        }
        catch (Exception e) when (e is InvalidCipherTextException or DecoderFallbackException)
        {
            return Outcome.Undecryptable;
        }
    }

    private static bool TryParse(string stored, out byte[] iv, out byte[] tag, out byte[] ciphertext)
    {
        iv = tag = ciphertext = [];
        var parts = stored.Split(':');
        if (parts.Length != 3)
        {
            return false;
        }

        try
        {
            iv = Convert.FromBase64String(parts[0]);
            tag = Convert.FromBase64String(parts[1]);
            ciphertext = Convert.FromBase64String(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }

        return iv.Length == IvSize && tag.Length == TagSize && ciphertext.Length > 0;
    }
}
