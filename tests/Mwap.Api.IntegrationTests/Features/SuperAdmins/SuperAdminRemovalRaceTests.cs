using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Features.SuperAdmins;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.SuperAdmins;

/// <summary>
/// Two operators removing the last two superadmins at the same moment (two <c>superadmin remove</c> processes, or two
/// instances) must leave one: the second removal sees what the first left and refuses.
/// </summary>
public sealed class SuperAdminRemovalRaceTests(MwapApiFactory factory) : IClassFixture<MwapApiFactory>
{
    [Fact]
    public async Task TwoSimultaneousRemovals_OfTheLastTwo_LeaveOne()
    {
        for (var round = 0; round < 10; round++)
        {
            var first = TestUsers.NewSubject("race-a");
            var second = TestUsers.NewSubject("race-b");
            await factory.WithDbAsync(db => db.SuperAdmins.ExecuteDeleteAsync());
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                var registry = scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>();
                await registry.AddAsync(first, "test", CancellationToken.None);
                await registry.AddAsync(second, "test", CancellationToken.None);
            }

            var results = await Task.WhenAll(RemoveAsync(first), RemoveAsync(second));

            var left = await factory.WithDbAsync(db => db.SuperAdmins.Select(s => s.UserId).ToListAsync());
            Assert.Single(left);
            Assert.Contains(RemoveResult.Removed, results);
            Assert.Contains(RemoveResult.LastOne, results);
        }
    }

    private async Task<RemoveResult> RemoveAsync(string userId)
    {
        // Each removal in its own scope (own DbContext and connection), released together to maximise the overlap.
        await Task.Yield();
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SuperAdminRegistry>().RemoveAsync(userId, "test", CancellationToken.None);
    }
}
