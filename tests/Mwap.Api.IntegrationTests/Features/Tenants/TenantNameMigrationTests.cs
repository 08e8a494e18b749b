using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Persistence;
using Mwap.Api.IntegrationTests.Infrastructure;

namespace Mwap.Api.IntegrationTests.Features.Tenants;

/// <summary>
/// The migration that makes tenant names unique regardless of case, run on a database that already holds names
/// differing only in case: it succeeds, keeps both tenants, and they are reported as clashes.
/// </summary>
public sealed class TenantNameMigrationTests
{
    private const string Insert =
        "INSERT INTO tenants (id, name, owner_id, archived, created_at, updated_at, version, settings_allow_public_projects, " +
        "settings_max_projects, settings_features_advanced_security, settings_features_cloud_integrations, settings_features_custom_branding, " +
        "subscription_plan, subscription_status) VALUES ({0}, {1}, {2}, false, ";

    private const string InsertSqlite = Insert + "{3}, {3}, 0, false, 10, false, true, false, 'free', 'active')";
    private const string InsertPostgres = Insert + "CAST({3} AS TIMESTAMPTZ), CAST({3} AS TIMESTAMPTZ), 0, false, 10, false, true, false, 'free', 'active')";

    private static MwapDbContext Open(TestDatabase database) => database.IsPostgres
        ? new PostgresMwapDbContext(new DbContextOptionsBuilder<PostgresMwapDbContext>().UseNpgsql(database.ConnectionString).UseSnakeCaseNamingConvention().Options)
        : new SqliteMwapDbContext(new DbContextOptionsBuilder<SqliteMwapDbContext>().UseSqlite(database.ConnectionString).UseSnakeCaseNamingConvention().Options);

    [Fact]
    public async Task ExistingNamesThatDifferOnlyInCase_AreKept_AndReportedAsClashes()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = Open(database);
        var migrator = db.GetService<IMigrator>();
        var migrations = db.Database.GetMigrations().ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith("_I14TenantNameCaseInsensitive", StringComparison.Ordinal)) - 1];
        await migrator.MigrateAsync(before, TestContext.Current.CancellationToken);
        foreach (var (id, name, owner, created) in new[]
        {
            ("6b0000000000000000000001", "Clash Corp", "auth0|clash-a", "2026-01-01 00:00:00"),
            ("6b0000000000000000000002", "CLASH CORP", "auth0|clash-b", "2026-01-02 00:00:00"),
            ("6b0000000000000000000003", "Calm Corp", "auth0|calm", "2026-01-03 00:00:00"),
        })
        {
            await db.Database.ExecuteSqlRawAsync(database.IsPostgres ? InsertPostgres : InsertSqlite, [id, name, owner, created],
                TestContext.Current.CancellationToken);
        }

        await migrator.MigrateAsync(cancellationToken: TestContext.Current.CancellationToken);

        var tenants = await db.Tenants.AsNoTracking().OrderBy(t => t.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(["Clash Corp", "CLASH CORP", "Calm Corp"], tenants.Select(t => t.Name));
        Assert.Equal(["clash corp", "clash corp#6b0000000000000000000002", "calm corp"], tenants.Select(t => t.NameNormalized));
        var clash = Assert.Single(await TenantNameClashes.FindAsync(db, TestContext.Current.CancellationToken));
        Assert.Equal("6b0000000000000000000002", clash.Id);
        Assert.Contains("'CLASH CORP' (6b0000000000000000000002)", TenantNameClashes.Describe([clash]), StringComparison.Ordinal);
    }
}
