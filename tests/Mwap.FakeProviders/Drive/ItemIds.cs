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

    public string Next() => provider switch
    {
        FakeProvider.Google => TokenValues.Random("1", 32),
        FakeProvider.Dropbox => TokenValues.Random("id:", 22),
        _ => DriveId + "!" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture),
    };
}
