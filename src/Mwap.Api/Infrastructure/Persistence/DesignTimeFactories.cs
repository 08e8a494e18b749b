using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Mwap.Api.Infrastructure.Persistence;

// Used only by `dotnet ef` to build each provider's model without starting the host.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMwapDbContext>
{
    public SqliteMwapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteMwapDbContext>()
            .UseSqlite("Data Source=design-time.db").UseSnakeCaseNamingConvention().Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMwapDbContext>
{
    public PostgresMwapDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresMwapDbContext>()
            .UseNpgsql("Host=localhost;Database=mwap_design").UseSnakeCaseNamingConvention().Options);
}
