using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Infrastructure.Security;

/// <summary>
/// AES-256-GCM with a key ring. A 12-byte random nonce per value, the key id in the envelope (so keys can rotate),
/// and associated data naming table, row and field (so a ciphertext copied to another row does not decrypt).
/// Singleton: the key ring is immutable once loaded; AesGcm instances are created per call (they are not thread-safe).
/// </summary>
internal sealed class SecretProtector : ISecretProtector
{
    private const string Prefix = "mwap:v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public SecretProtector(IOptions<EncryptionOptions> options, IHostEnvironment environment, DataPaths paths)
    {
        var configured = options.Value;
        var keys = new Dictionary<string, string>(configured.Keys, StringComparer.Ordinal);
        var activeKeyId = string.IsNullOrWhiteSpace(configured.ActiveKeyId) ? null : configured.ActiveKeyId;
        if (!environment.IsProduction())
        {
            // Outside Production a key is generated when none is configured. Once generated it stays in the ring even when
            // keys are configured beside it (say k2 for a rotation drill), so the secrets written under it stay readable and
            // `keys rotate` can move them; the configured active key, if any, still wins.
            var generated = paths.File("encryption-keys.json");
            if ((keys.Count == 0 && activeKeyId is null) || File.Exists(generated))
            {
                var development = DevelopmentKeys.LoadOrCreate(generated);
                foreach (var (id, key) in development.Keys)
                {
                    keys.TryAdd(id, key);
                }

                activeKeyId ??= development.ActiveKeyId;
            }
        }

        if (keys.Count == 0 && activeKeyId is null)
        {
            throw new InvalidOperationException(
                "Encryption:ActiveKeyId and Encryption:Keys:{id} (base64 of 32 bytes) are required in Production. " +
                "Generate one with: openssl rand -base64 32");
        }

        configured = new EncryptionOptions { Keys = keys, ActiveKeyId = activeKeyId };
        _keys = configured.Keys.ToDictionary(k => k.Key, k => DecodeKey(k.Key, k.Value), StringComparer.Ordinal);
        _activeKeyId = configured.ActiveKeyId ?? throw new InvalidOperationException("Encryption:ActiveKeyId is not set.");
        if (!_keys.ContainsKey(_activeKeyId))
        {
            throw new InvalidOperationException($"Encryption:ActiveKeyId is '{_activeKeyId}' but Encryption:Keys:{_activeKeyId} is not set.");
        }

        if (_keys.Keys.Any(id => id.Contains(':', StringComparison.Ordinal) || id.Length is 0 or > 32))
        {
            throw new InvalidOperationException("Encryption key ids must be 1–32 characters without ':'.");
        }
    }

    public string ActiveKeyId => _activeKeyId;

    public string Protect(string plaintext, SecretContext context)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), AssociatedData(context));
        return $"{Prefix}{_activeKeyId}:{Convert.ToBase64String(output)}";
    }

    public string Unprotect(string envelope, SecretContext context)
    {
        var (keyId, payload) = Parse(envelope, context);
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new SecretUnavailableException($"unknown key {keyId}: secret {context} is encrypted under a key that is not in Encryption:Keys.");
        }

        if (payload.Length < NonceSize + TagSize)
        {
            throw new SecretUnavailableException($"Secret {context} is truncated.");
        }

        var length = payload.Length - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize, length), payload.AsSpan(NonceSize + length),
                plaintext, AssociatedData(context));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new SecretUnavailableException($"Secret {context} failed authentication (tampered, or moved from another row).", e);
        }

        return Encoding.UTF8.GetString(plaintext);
    }

    public bool IsUnderActiveKey(string envelope) => envelope.StartsWith($"{Prefix}{_activeKeyId}:", StringComparison.Ordinal);

    private static (string KeyId, byte[] Payload) Parse(string envelope, SecretContext context)
    {
        if (!envelope.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new SecretUnavailableException($"Secret {context} is not in the mwap:v1 format.");
        }

        var rest = envelope.AsSpan(Prefix.Length);
        var colon = rest.IndexOf(':');
        if (colon <= 0)
        {
            throw new SecretUnavailableException($"Secret {context} has no key id.");
        }

        try
        {
            return (rest[..colon].ToString(), Convert.FromBase64String(rest[(colon + 1)..].ToString()));
        }
        catch (FormatException e)
        {
            throw new SecretUnavailableException($"Secret {context} is not valid base64.", e);
        }
    }

    private static byte[] AssociatedData(SecretContext context) => Encoding.UTF8.GetBytes(context.ToString());

    private static byte[] DecodeKey(string id, string base64)
    {
        byte[] key;
        try
        {
            key = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"Encryption:Keys:{id} is not valid base64.");
        }

        return key.Length == 32 ? key : throw new InvalidOperationException($"Encryption:Keys:{id} must decode to 32 bytes, not {key.Length}.");
    }

    /// <summary>Development only: one generated key kept in <c>data/encryption-keys.json</c>, readable only by its owner.</summary>
    private static class DevelopmentKeys
    {
        public static EncryptionOptions LoadOrCreate(string path)
        {
            if (!File.Exists(path))
            {
                var generated = new EncryptionOptions
                {
                    ActiveKeyId = "dev1",
                    Keys = new() { ["dev1"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) },
                };
                var temp = path + ".tmp";
                File.WriteAllText(temp, JsonSerializer.Serialize(generated));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }

                try
                {
                    File.Move(temp, path, overwrite: false);
                }
                catch (IOException) when (File.Exists(path))
                {
                    File.Delete(temp); // another process created it first; use theirs
                }
            }

            return JsonSerializer.Deserialize<EncryptionOptions>(File.ReadAllText(path))
                ?? throw new InvalidOperationException($"{path} is empty.");
        }
    }
}
