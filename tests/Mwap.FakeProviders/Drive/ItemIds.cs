using System.Globalization;
using System.Security.Cryptography;
using Mwap.FakeProviders.Tokens;

namespace Mwap.FakeProviders.Drive;

/// <summary>Item ids in each provider's style, so a client that assumes one shape for all three is caught.</summary>
internal sealed class ItemIds(FakeProvider provider)
{
    private int _next = 101;

    /// <summary>Graph drive id: 16 hex digits on personal accounts; item ids are "{driveId}!{n}".</summary>
    public string DriveId { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));

    public string NextRoot() => provider switch
    {
        FakeProvider.Google => TokenValues.RandomAlphanumeric("0A", 17) + "Uk9PVA",
        FakeProvider.Dropbox => TokenValues.RandomAlphanumeric("id:", 22),
        _ => Next(),
    };

    /// <summary>Same shapes from a fast non-cryptographic generator, for bulk trees of 100,000 items.</summary>
    public string NextBulk() => provider switch
    {
        FakeProvider.Google => "1" + Fast(32),
        FakeProvider.Dropbox => "id:" + Fast(22),
        _ => Next(),
    };

    public string Next() => provider switch
    {
        FakeProvider.Google => TokenValues.Random("1", 32),
        FakeProvider.Dropbox => TokenValues.Random("id:", 22),
        _ => DriveId + "!" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture),
    };

    private static string Fast(int length)
    {
        const string UrlSafe = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        return string.Create(length, 0, static (chars, _) =>
        {
#pragma warning disable CA5394 // Fake item ids only need to be unique-looking, not unpredictable.
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = UrlSafe[Random.Shared.Next(UrlSafe.Length)];
            }
#pragma warning restore CA5394
        });
    }
}
