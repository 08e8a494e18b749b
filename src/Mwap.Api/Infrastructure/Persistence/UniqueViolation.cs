using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Mwap.Api.Infrastructure.Persistence;

/// <summary>
/// Recognises a unique-index violation on either provider, and which index it was, so a service can turn
/// a lost race into MWAP's 409 with the right code. PostgreSQL names the index; SQLite names its columns.
/// </summary>
internal static class UniqueViolation
{
    public static bool Is(DbUpdateException exception) => Describe(exception) is not null;

    /// <summary>True when the violated index is <paramref name="indexName"/> on <paramref name="table"/>.<paramref name="column"/>.</summary>
    public static bool IsOn(DbUpdateException exception, string indexName, string table, string column)
    {
        var description = Describe(exception);
        return description is not null &&
            (description.Equals(indexName, StringComparison.Ordinal) ||
             description.Contains($"{table}.{column}", StringComparison.Ordinal));
    }

    private static string? Describe(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg => pg.ConstraintName ?? "",
        // SQLITE_CONSTRAINT_UNIQUE (2067) / SQLITE_CONSTRAINT_PRIMARYKEY (1555): "UNIQUE constraint failed: tenants.name"
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 } lite => lite.Message,
        _ => null,
    };
}
