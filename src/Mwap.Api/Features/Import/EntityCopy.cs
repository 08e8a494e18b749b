using Microsoft.EntityFrameworkCore;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Import;

/// <summary>Writes an imported row over the tracked one with the same id, keeping what belongs to this server.</summary>
internal static class EntityCopy
{
    /// <summary>Runtime state the source knows nothing of: the version (the update bumps it), refresh leases, sync state.</summary>
    private static readonly HashSet<string> Kept = new(StringComparer.Ordinal)
    {
        nameof(IVersioned.Version), "RefreshLeaseUntil", "RefreshLeaseOwner", "Sync", "OwnerEmail",
    };

    public static void Overwrite<T>(DbContext db, T current, T mapped) where T : class
    {
        var entry = db.Entry(current);
        foreach (var property in entry.Metadata.GetProperties().Where(p => !p.IsPrimaryKey() && !p.IsShadowProperty() && !Kept.Contains(p.Name)))
        {
            entry.Property(property.Name).CurrentValue = property.PropertyInfo?.GetValue(mapped) ?? property.FieldInfo?.GetValue(mapped);
        }

        foreach (var complex in entry.Metadata.GetComplexProperties().Where(c => !Kept.Contains(c.Name)))
        {
            complex.PropertyInfo!.SetValue(current, complex.PropertyInfo.GetValue(mapped));
        }

        // Marked modified even when every value is equal, so the version moves and the ledger's stamp stays exact.
        entry.State = EntityState.Modified;
    }
}
