namespace Mwap.FakeProviders.Drive;

/// <summary>
/// Microsoft's published QuickXorHash: each byte is XORed into a 160-bit ring at a position advancing 11 bits per
/// byte, and the total length is XORed into the last 8 bytes.
/// </summary>
internal static class QuickXorHash
{
    private const int WidthInBits = 160;
    private const int Shift = 11;
    private const int BitsInLastCell = WidthInBits % 64;

    public static byte[] Compute(ReadOnlySpan<byte> data)
    {
        var cells = new ulong[((WidthInBits - 1) / 64) + 1];
        var cellIndex = 0;
        var cellOffset = 0;
        var iterations = Math.Min(data.Length, WidthInBits);
        for (var i = 0; i < iterations; i++)
        {
            var isLastCell = cellIndex == cells.Length - 1;
            var bitsInCell = isLastCell ? BitsInLastCell : 64;
            // Bytes i, i+160, i+320… land on the same bit position, so they can be folded first.
            byte folded = 0;
            for (var j = i; j < data.Length; j += WidthInBits)
            {
                folded ^= data[j];
            }

            if (cellOffset <= bitsInCell - 8)
            {
                cells[cellIndex] ^= (ulong)folded << cellOffset;
            }
            else
            {
                var next = isLastCell ? 0 : cellIndex + 1;
                cells[cellIndex] ^= (ulong)folded << cellOffset;
                cells[next] ^= (ulong)folded >> (bitsInCell - cellOffset);
            }

            cellOffset += Shift;
            while (cellOffset >= bitsInCell)
            {
                cellIndex = isLastCell ? 0 : cellIndex + 1;
                cellOffset -= bitsInCell;
            }
        }

        var result = new byte[((WidthInBits - 1) / 8) + 1];
        for (var i = 0; i < cells.Length - 1; i++)
        {
            BitConverter.GetBytes(cells[i]).CopyTo(result, i * 8);
        }

        BitConverter.GetBytes(cells[^1]).AsSpan(0, result.Length - ((cells.Length - 1) * 8)).CopyTo(result.AsSpan((cells.Length - 1) * 8));
        var length = BitConverter.GetBytes((long)data.Length);
        for (var i = 0; i < length.Length; i++)
        {
            result[(WidthInBits / 8) - length.Length + i] ^= length[i];
        }

        return result;
    }
}
