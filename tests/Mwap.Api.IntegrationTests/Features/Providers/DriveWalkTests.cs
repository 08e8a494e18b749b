using Mwap.Api.Features.Files.Sync;
using Mwap.Api.IntegrationTests.Features.Files;
using Mwap.FakeProviders;
using static Mwap.Api.IntegrationTests.Features.Files.FileSyncHarness;

namespace Mwap.Api.IntegrationTests.Features.Providers;

/// <summary>
/// Issue 12 item 1: Drive at times answers an OR of parents with nothing or with <c>incompleteSearch</c>; the full walk
/// must neither miss those subtrees nor, on a partial listing, remove rows.
/// </summary>
public sealed class DriveWalkTests(FileSyncApiFactory factory) : IClassFixture<FileSyncApiFactory>
{
    [Theory]
    [InlineData(DriveSearchFault.EmptyForSeveralParents)]
    [InlineData(DriveSearchFault.IncompleteForSeveralParents)]
    public async Task OrOfParentsAnsweringNothingOrPartly_IsAskedAgainPerParent_AndTheIndexIsComplete(DriveSearchFault fault)
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var fake = factory.Fake.Google;
        BuildTree(fake.Files);
        fake.DriveSearchFault = fault;
        try
        {
            await SyncOkAsync(factory, connection.IntegrationId);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);

            // A full resync under the same fault keeps every row.
            await SyncOkAsync(factory, connection.IntegrationId, full: true);
            await AssertIndexMatchesAsync(factory, fake.Files, connection.IntegrationId);
        }
        finally
        {
            fake.DriveSearchFault = DriveSearchFault.None;
        }
    }

    [Fact]
    public async Task IncompleteSearchThatPersists_FailsTheFullSync_AndRemovesNothing()
    {
        var connection = await ConnectAsync(factory, FakeProvider.Google);
        var fake = factory.Fake.Google;
        BuildTree(fake.Files);
        await SyncOkAsync(factory, connection.IntegrationId);
        var before = await IndexedAsync(factory, connection.IntegrationId);
        fake.DriveSearchFault = DriveSearchFault.IncompleteAlways;
        try
        {
            var result = await SyncAsync(factory, connection.IntegrationId, full: true);
            Assert.Equal(SyncResultKind.Failed, result.Kind);
            Assert.Equal(before, await IndexedAsync(factory, connection.IntegrationId));
        }
        finally
        {
            fake.DriveSearchFault = DriveSearchFault.None;
        }
    }
}
