using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Mwap.Api.Features.CloudProviders;

namespace Mwap.Api.Features.Integrations;

/// <summary>
/// Tells <see cref="IntegrationReadCache"/> about every tracked save that adds, changes or removes an integration (or
/// changes a provider, whose name the list shows), once the save has succeeded: token refreshes, the connect flow,
/// revocation, key rotation, the API's own writes. <c>ExecuteUpdate</c>/<c>ExecuteDelete</c> bypass interceptors; those
/// sites call the cache themselves. A save inside an explicit transaction bumps before the commit; the only such saves
/// of integrations are the import's, which running servers learn about from <see cref="Import.ImportWatcher"/>.
/// Singleton: the pending changes are kept per context, between SavingChanges and SavedChanges.
/// </summary>
internal sealed class IntegrationChangesInterceptor(IntegrationReadCache cache) : SaveChangesInterceptor
{
    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    private sealed record Pending(string[] IntegrationIds, string[] TenantIds, bool Providers);

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        if (Take(eventData.Context) is { } pending)
        {
            // Synchronous saves are rare (none on a request path); the local bump is synchronous, only the publish waits.
            cache.ChangedManyAsync(pending.IntegrationIds, pending.TenantIds, pending.Providers).GetAwaiter().GetResult();
        }

        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } pending)
        {
            await cache.ChangedManyAsync(pending.IntegrationIds, pending.TenantIds, pending.Providers, CancellationToken.None);
        }

        return result;
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Take(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Take(eventData.Context);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Take(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        List<string>? ids = null;
        List<string>? tenants = null;
        var providers = false;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (entry.Entity is CloudIntegration integration)
            {
                (ids ??= []).Add(integration.Id);
                if (entry.State is EntityState.Added or EntityState.Deleted)
                {
                    (tenants ??= []).Add(integration.TenantId);
                }
            }
            else if (entry.Entity is CloudProvider)
            {
                providers = true;
            }
        }

        _pending.Remove(context);
        if (ids is not null || providers)
        {
            _pending.Add(context, new Pending([.. ids ?? []], [.. tenants ?? []], providers));
        }
    }

    private Pending? Take(DbContext? context) =>
        context is not null && _pending.TryGetValue(context, out var pending) && _pending.Remove(context) ? pending : null;
}
