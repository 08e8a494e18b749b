namespace Mwap.Api.Infrastructure.Caching;

/// <summary>
/// Remembers the hashes of the last few thousand keys it was shown, in a fixed array: <see cref="SeenBefore"/> is true
/// when the same key was shown recently, so a cache can admit a value on its second request and not on its first.
/// No allocation and no lock per call (a slot is one <see cref="int"/> write); two keys sharing a slot overwrite each
/// other, and a hash collision admits a value early: both only change what is cached, never what is answered.
/// </summary>
internal sealed class Doorkeeper(int slots = 8192)
{
    private readonly int[] _hashes = new int[CheckedPowerOfTwo(slots)];

    /// <summary>Whether <paramref name="key"/> was shown since its slot was last taken; either way it is remembered now.</summary>
    public bool SeenBefore(string key)
    {
        // The low bit always set: zero (an empty slot) is never a stored hash; the slot index uses the other bits.
        var hash = key.GetHashCode(StringComparison.Ordinal) | 1;
        ref var slot = ref _hashes[(uint)hash >> 1 & (uint)(_hashes.Length - 1)];
        if (Volatile.Read(ref slot) == hash)
        {
            return true;
        }

        Volatile.Write(ref slot, hash);
        return false;
    }

    private static int CheckedPowerOfTwo(int slots) =>
        slots > 0 && (slots & (slots - 1)) == 0 ? slots : throw new ArgumentOutOfRangeException(nameof(slots), "a power of two");
}
