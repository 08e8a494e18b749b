using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Mwap.FakeProviders.MwapData;

/// <summary>
/// MWAP's secret format written the way MWAP's Node code writes it, implemented here independently of the importer
/// (which uses BouncyCastle): AES-256-GCM from the AES block function and GHASH as NIST SP 800-38D defines them, with
/// MWAP's 16-byte IV (hashed into the first counter block), its zero-padded key and its 32-hex-character salt.
/// </summary>
public sealed class LegacyMwapCipher(string encryptionKey, int seed)
{
    private static readonly UInt128 R = (UInt128)0xE1 << 120;
    private readonly byte[] _key = Key(encryptionKey);
    private readonly Random _random = new(seed);

    public static byte[] Key(string encryptionKey)
    {
        var key = new byte[32];
        var bytes = Encoding.UTF8.GetBytes(encryptionKey);
        bytes.AsSpan(0, Math.Min(32, bytes.Length)).CopyTo(key);
        return key;
    }

    /// <summary><c>base64(iv):base64(tag):base64(ciphertext)</c>; IV and salt come from the seeded generator, so a dataset is reproducible.</summary>
    public string Encrypt(string secret)
    {
        var iv = new byte[16];
        _random.NextBytes(iv);
        var saltBytes = new byte[16];
        _random.NextBytes(saltBytes);
        var plaintext = Encoding.UTF8.GetBytes(Convert.ToHexStringLower(saltBytes) + secret);

        using var aes = Aes.Create();
        aes.Key = _key;
        var h = Block(aes, new byte[16]);
        var j0 = Ghash(h, iv, [], ivLength: true);
        var ciphertext = new byte[plaintext.Length];
        var counter = j0;
        for (var offset = 0; offset < plaintext.Length; offset += 16)
        {
            counter = Increment32(counter);
            var stream = Block(aes, ToBytes(counter));
            for (var i = 0; i < 16 && offset + i < plaintext.Length; i++)
            {
                ciphertext[offset + i] = (byte)(plaintext[offset + i] ^ stream[i]);
            }
        }

        var tag = ToBytes(Ghash(h, [], ciphertext, ivLength: false) ^ Load(Block(aes, ToBytes(j0))));
        return $"{Convert.ToBase64String(iv)}:{Convert.ToBase64String(tag)}:{Convert.ToBase64String(ciphertext)}";
    }

    private static byte[] Block(Aes aes, byte[] input) => aes.EncryptEcb(input, PaddingMode.None);

    /// <summary>GHASH over <c>a ‖ pad ‖ c ‖ pad ‖ lengths</c>; for the IV (J0) the length block is 0⁶⁴ ‖ len(IV).</summary>
    private static UInt128 Ghash(UInt128 h, byte[] a, byte[] c, bool ivLength)
    {
        UInt128 y = 0;
        foreach (var data in new[] { a, c })
        {
            for (var offset = 0; offset < data.Length; offset += 16)
            {
                var block = new byte[16];
                data.AsSpan(offset, Math.Min(16, data.Length - offset)).CopyTo(block);
                y = Multiply(y ^ Load(block), h);
            }
        }

        UInt128 lengths = ivLength ? (UInt128)((ulong)a.Length * 8) : ((UInt128)((ulong)a.Length * 8) << 64) | (ulong)c.Length * 8;
        return Multiply(y ^ lengths, h);
    }

    private static UInt128 Ghash(byte[] h, byte[] a, byte[] c, bool ivLength) => Ghash(Load(h), a, c, ivLength);

    /// <summary>Multiplication in GF(2¹²⁸) with GCM's bit order (SP 800-38D, algorithm 1).</summary>
    private static UInt128 Multiply(UInt128 x, UInt128 y)
    {
        UInt128 z = 0, v = y;
        for (var i = 127; i >= 0; i--)
        {
            if (((x >> i) & 1) != 0)
            {
                z ^= v;
            }

            v = (v & 1) != 0 ? (v >> 1) ^ R : v >> 1;
        }

        return z;
    }

    private static UInt128 Increment32(UInt128 block) =>
        (block & ~(UInt128)uint.MaxValue) | (uint)((uint)(block & uint.MaxValue) + 1);

    private static UInt128 Load(byte[] block) => BinaryPrimitives.ReadUInt128BigEndian(block);

    private static byte[] ToBytes(UInt128 value)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, value);
        return bytes;
    }
}
