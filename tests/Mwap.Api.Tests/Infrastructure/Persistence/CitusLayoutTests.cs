using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Tests.Infrastructure.Persistence;

/// <summary>
/// The rule that keeps the schema shardable by tenant with Citus (docs/deploy.md): every tenant-owned table has a
/// <c>tenant_id</c> column and every unique index on it includes <c>tenant_id</c>, because Citus can enforce uniqueness
/// only within one shard. Every table must be classified here, so a new table is a conscious choice.
/// </summary>
public sealed class CitusLayoutTests
{
    private const string DistributionColumn = "tenant_id";

    /// <summary>Replicated to every node: small catalogues, and tables whose uniqueness is global by design.</summary>
    private static readonly string[] ReferenceTables =
    [
        "cloud_providers", "project_types", "superadmins",
        // A tenant's name and owner are unique across the platform (MWAP's rule), which a table sharded by tenant cannot
        // enforce; tenants are few and small, so they are replicated like a catalogue.
        "tenants",
        // Platform-wide and small: spent dashboard links, anonymous OAuth callback refusals counted per address and minute.
        "dashboard_link_uses", "oauth_callback_failures",
    ];

    /// <summary>Distributed by <c>tenant_id</c>: these must exist with the column (and any new table with the column joins them).</summary>
    private static readonly string[] RequiredTenantTables =
    [
        "projects", "project_members", "cloud_integrations", "audit_logs", "oauth_flows",
    ];

    /// <summary>Tenant-owned tables that arrive with later work; checked as soon as they are in the model.</summary>
    private static readonly string[] FutureTenantTables = ["virtual_files"];

    [Fact]
    public void EveryTable_IsClassified_AsReferenceOrTenantOwned()
    {
        var unclassified = Tables().Keys
            .Where(t => !ReferenceTables.Contains(t) && !RequiredTenantTables.Contains(t) && !FutureTenantTables.Contains(t) && !HasTenantColumn(t))
            .ToList();
        Assert.True(unclassified.Count == 0,
            $"Tables neither reference nor tenant-owned: {string.Join(", ", unclassified)}. Add tenant_id, or list them in {nameof(ReferenceTables)} (and docs/deploy.md).");
    }

    [Fact]
    public void TenantOwnedTables_HaveTenantId()
    {
        var tables = Tables();
        var missing = RequiredTenantTables.Concat(FutureTenantTables.Where(tables.ContainsKey))
            .Where(t => !tables.ContainsKey(t) || !HasTenantColumn(t))
            .ToList();
        Assert.True(missing.Count == 0, $"Tenant-owned tables without a {DistributionColumn} column: {string.Join(", ", missing)}");
    }

    [Fact]
    public void UniqueIndexesOnTenantOwnedTables_IncludeTenantId()
    {
        var offenders = new List<string>();
        foreach (var (table, entities) in Tables().Where(t => !ReferenceTables.Contains(t.Key)))
        {
            foreach (var entity in entities)
            {
                var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
                offenders.AddRange(entity.GetIndexes()
                    .Where(i => i.IsUnique && !i.Properties.Any(p => p.GetColumnName(store) == DistributionColumn))
                    .Select(i => $"{i.GetDatabaseName(store)} on {table}({string.Join(", ", i.Properties.Select(p => p.GetColumnName(store)))})"));
            }
        }

        Assert.True(offenders.Count == 0,
            $"Unique indexes without {DistributionColumn} on tenant-owned tables (Citus cannot enforce them across shards): {string.Join("; ", offenders.Distinct())}");
    }

    [Fact]
    public void ReferenceTables_HaveNoTenantId()
    {
        var wrong = ReferenceTables.Where(t => Tables().ContainsKey(t) && HasTenantColumn(t)).ToList();
        Assert.True(wrong.Count == 0, $"Reference tables with a {DistributionColumn} column (distribute them instead): {string.Join(", ", wrong)}");
    }

    private static Dictionary<string, List<IEntityType>> Tables()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        var model = db.GetService<IDesignTimeModel>().Model;
        return model.GetEntityTypes()
            .Where(e => e.GetTableName() is not null && !e.IsOwned())
            .GroupBy(e => e.GetTableName()!)
            .ToDictionary(g => g.Key, g => g.ToList());
    }

    private static bool HasTenantColumn(string table)
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        var model = db.GetService<IDesignTimeModel>().Model;
        return model.GetRelationalModel().FindTable(table, null)?.FindColumn(DistributionColumn) is not null;
    }
}
