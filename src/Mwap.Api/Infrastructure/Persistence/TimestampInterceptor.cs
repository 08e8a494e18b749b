using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>Stamps CreatedAt/UpdatedAt from the injected clock and bumps version columns; nothing else.</summary>
internal sealed class TimestampInterceptor(TimeProvider time) : SaveChangesInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    // A row touched only to take its version (serialising concurrent writers) has not been updated.
    private static bool ChangesMoreThanVersion(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry entry) =>
        entry.Properties.Any(p => p.IsModified && p.Metadata.Name != nameof(IVersioned.Version)) ||
        entry.ComplexProperties.Any(c => c.IsModified);

    private void Stamp(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.Entity is IHasTimestamps stamped)
            {
                if (entry.State == EntityState.Added)
                {
                    // A row that arrives with its own times (one imported from MWAP) keeps them.
                    stamped.CreatedAt = stamped.CreatedAt == default ? now : stamped.CreatedAt;
                    stamped.UpdatedAt = stamped.UpdatedAt == default ? stamped.CreatedAt : stamped.UpdatedAt;
                }
                else if (entry.State == EntityState.Modified && ChangesMoreThanVersion(entry))
                {
                    stamped.UpdatedAt = now;
                }
            }

            if (entry.Entity is IVersioned versioned && entry.State == EntityState.Modified)
            {
                versioned.Version++;
            }
        }
    }
}
