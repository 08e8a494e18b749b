using Mwap.Api.IntegrationTests.Infrastructure;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>A 2-second attempt timeout, so a slow recursive listing times out quickly.</summary>
public sealed class ShortTimeoutApiFactory : ConnectFlowApiFactory
{
    protected override IReadOnlyDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>
    {
        ["CloudProviders:AllowInsecureUrls"] = "true",
        ["OAuth:RedirectUri"] = RedirectUri,
        ["OAuth:FrontendOrigin"] = FrontendOrigin,
        ["Providers:RetryBaseDelayMilliseconds"] = "20",
        ["Providers:AttemptTimeoutSeconds"] = "2",
        ["Integrations:SyncPageSize"] = "25",
    };
}

/// <summary>
/// Issue 12 item 7 (second half): a recursive <c>list_folder</c> that times out is not sent again while Dropbox may
/// still be running it (Dropbox answers simultaneous identical calls with 429 too_many_requests); the full sync walks
/// the tree without <c>recursive</c> instead, and its cursor still serves the next incremental sync.
/// </summary>
public sealed class DropboxListingTimeoutTests(ShortTimeoutApiFactory factory) : IClassFixture<ShortTimeoutApiFactory>
{
    [Fact]
    public async Task TimedOutRecursiveListing_IsNotRepeated_TheSyncWalksTheTreeInstead()
    {
        var fake = factory.Fake.Dropbox;
        var connection = await ConnectAsync(factory, FakeProvider.Dropbox);
        BuildTree(fake.Files);
        fake.SlowRecursiveListing = TimeSpan.FromSeconds(5);
        try
        {
            await SyncOkAsync(factory, connection.IntegrationId, full: true);

            Assert.Equal(0, fake.ListingCollisions);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);

            fake.Files.AddFile(fake.Files.FindByPath("/Projects/Shoot1/Sub")!, "after-walk.txt");
            fake.Files.Trash(fake.Files.FindByPath("/Projects/Other")!);
            await SyncOkAsync(factory, connection.IntegrationId);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
            Assert.Equal(0, fake.ListingCollisions);
        }
        finally
        {
            fake.SlowRecursiveListing = null;
        }
    }
}
