using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Mwap.Api.Infrastructure.Security;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Members;

/// <summary>Holds one user's next role load open (after its database read, before it is cached) until the test releases it.</summary>
public sealed class RoleLoadGate : IRoleLoadHook
{
    private string? _user;
    private TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Loaded => _loaded.Task;

    public void Arm(string userId)
    {
        _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _user, userId);
    }

    public void Release() => _release.TrySetResult();

    async Task IRoleLoadHook.AfterLoadAsync(string userId, CancellationToken cancellationToken)
    {
        // Only the first load of the armed user waits; reloads pass straight through.
        if (Volatile.Read(ref _user) == userId && Interlocked.CompareExchange(ref _user, null, userId) == userId)
        {
            _loaded.TrySetResult();
            await _release.Task.WaitAsync(cancellationToken);
        }
    }
}

public sealed class SlowRoleLoadApiFactory : MwapApiFactory
{
    public RoleLoadGate Gate { get; } = new();

    protected override void ConfigureTestServices(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<IRoleLoadHook>(Gate));
}

/// <summary>A role load that read the database before a member was removed must not outlive the removal in the cache.</summary>
public sealed class RoleCacheRaceTests(SlowRoleLoadApiFactory factory) : IClassFixture<SlowRoleLoadApiFactory>
{
    [Fact]
    public async Task MemberRemovedDuringASlowRoleLoad_LosesAccessOnTheNextRequest()
    {
        var s = await ProjectScenario.CreateAsync(factory);
        Assert.Equal(HttpStatusCode.OK, (await s.Member.Client.GetAsync(s.ProjectUrl)).StatusCode);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Forget the cached roles so the member's next request loads them, and hold that load open.
            factory.Gate.Arm(s.Member.Subject);
            await scope.ServiceProvider.GetRequiredService<IRoleResolver>().InvalidateAsync([s.Member.Subject]);
        }

        var inFlight = s.Member.Client.GetAsync(s.ProjectUrl);
        await factory.Gate.Loaded.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, (await s.ProjectOwner.Client.DeleteAsync(s.MemberUrl(s.Member.Subject))).StatusCode);
        factory.Gate.Release();

        // The request that raced the removal re-reads once it sees the invalidation; the next one certainly must.
        await (await inFlight).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        await (await s.Member.Client.GetAsync(s.ProjectUrl)).AssertErrorAsync(HttpStatusCode.NotFound, "project/not-found");
        var roles = await s.Member.Client.GetAsync("/api/v1/users/me/roles").ReadDataAsync();
        Assert.Equal(0, roles.GetProperty("projectRoles").GetArrayLength());
    }
}
