using Microsoft.EntityFrameworkCore;
using Mwap.Api.Features.AuditLog;
using Mwap.Api.Features.Tenants;
using Mwap.Api.Infrastructure.Security;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>
/// The one model. Mapping lives in each feature's <c>IEntityTypeConfiguration</c>; the two thin subclasses exist
/// only so each provider has its own migration set (EF's "migrations with multiple providers" pattern).
/// </summary>
internal abstract class MwapDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<SuperAdmin> SuperAdmins => Set<SuperAdmin>();
    public DbSet<AuditLogEntry> AuditLogs => Set<AuditLogEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(MwapDbContext).Assembly,
            type => !type.IsAbstract && type.Namespace?.StartsWith("Mwap.Api", StringComparison.Ordinal) == true);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Ids are 24-hex ObjectIds; bounded strings keep PostgreSQL indexes compact and SQLite honest.
        configurationBuilder.Properties<string>().HaveMaxLength(4000);
    }
}

internal sealed class SqliteMwapDbContext(DbContextOptions<SqliteMwapDbContext> options) : MwapDbContext(options);

internal sealed class PostgresMwapDbContext(DbContextOptions<PostgresMwapDbContext> options) : MwapDbContext(options);
