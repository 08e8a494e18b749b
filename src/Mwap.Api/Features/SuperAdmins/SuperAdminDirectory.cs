using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.SuperAdmins;

/// <summary>
/// Who is a superadmin, as this instance knows it. The table is tiny and changes rarely, but a change made elsewhere
/// (the <c>superadmin</c> verb is another process; other instances run without Redis) must take effect everywhere
/// within seconds, not when a cached role entry expires: so the set is kept apart from the role cache, reloaded at once
/// after a change made here, and re-read by <see cref="SuperAdminWatcher"/> every <see cref="PollInterval"/>.
/// Singleton: holds only the set.
/// </summary>
internal sealed class SuperAdminDirectory : IDisposable
{
    /// <summary>How often each instance re-reads the table; the bound on how late a change made elsewhere arrives.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly Lock _store = new();
    private volatile FrozenSet<string>? _subjects;
    private long _started;
    private long _stored;

    public async Task<bool> ContainsAsync(MwapDbContext db, string userId, CancellationToken cancellationToken)
    {
        var subjects = _subjects ?? await LoadOnceAsync(db, cancellationToken);
        return subjects.Contains(userId);
    }

    public void Dispose() => _loading.Dispose();

    /// <summary>
    /// Re-reads the table (after a change, or on the watcher's schedule). Reads can overlap: a slower read that started
    /// before a change must not overwrite the set a later read (started after the change) already stored.
    /// </summary>
    public async Task ReloadAsync(MwapDbContext db, CancellationToken cancellationToken)
    {
        var ticket = Interlocked.Increment(ref _started);
        var subjects = (await db.SuperAdmins.AsNoTracking().Select(s => s.UserId).ToListAsync(cancellationToken)).ToFrozenSet(StringComparer.Ordinal);
        lock (_store)
        {
            if (ticket > _stored)
            {
                _stored = ticket;
                _subjects = subjects;
            }
        }
    }

    private async Task<FrozenSet<string>> LoadOnceAsync(MwapDbContext db, CancellationToken cancellationToken)
    {
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_subjects is null)
            {
                await ReloadAsync(db, cancellationToken);
            }

            return _subjects!;
        }
        finally
        {
            _loading.Release();
        }
    }
}

/// <summary>Re-reads the superadmin table on every instance, so an add or remove made anywhere applies here within seconds.</summary>
internal sealed partial class SuperAdminWatcher(IServiceScopeFactory scopes, SuperAdminDirectory directory, TimeProvider time, ILogger<SuperAdminWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SuperAdminDirectory.PollInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await directory.ReloadAsync(scope.ServiceProvider.GetRequiredService<MwapDbContext>(), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database is away (or not yet migrated): keep the last known set and try again on the next tick.
                LogReloadFailed(logger, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not re-read the superadmin table ({ExceptionType}); keeping the last known set")]
    private static partial void LogReloadFailed(ILogger logger, string exceptionType);
}

internal static class SuperAdminsFeature
{
    /// <summary>The registry, this instance's directory of superadmins and the watcher that keeps it current.</summary>
    public static IServiceCollection AddSuperAdmins(this IServiceCollection services)
    {
        services.AddSingleton<SuperAdminDirectory>();
        services.AddScoped<SuperAdminRegistry>();
        services.AddHostedService<SuperAdminWatcher>();
        return services;
    }
}
