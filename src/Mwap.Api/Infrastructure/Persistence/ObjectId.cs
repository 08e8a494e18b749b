using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>
/// MongoDB-compatible ids: 4-byte big-endian seconds, 5 random bytes fixed per process, 3-byte counter,
/// printed as 24 lowercase hex characters. Time-ordered, so new rows append to indexes; ids imported from
/// MWAP keep their value.
/// </summary>
internal static class ObjectId
{
    private static readonly byte[] ProcessRandom = RandomNumberGenerator.GetBytes(5);
    private static int _counter = RandomNumberGenerator.GetInt32(0, 0xFFFFFF);

    public static string NewId() => NewId(TimeProvider.System.GetUtcNow());

    public static string NewId(DateTimeOffset timestamp)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)timestamp.ToUnixTimeSeconds());
        ProcessRandom.CopyTo(bytes[4..]);
        var counter = Interlocked.Increment(ref _counter) & 0xFFFFFF;
        bytes[9] = (byte)(counter >> 16);
        bytes[10] = (byte)(counter >> 8);
        bytes[11] = (byte)counter;
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>True for exactly 24 hexadecimal characters (either case, as MWAP's driver accepts).</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length != 24)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Ids are stored lowercase; a route id in upper case names the same row.</summary>
    public static string Normalize(string value) => value.ToLowerInvariant();
}
