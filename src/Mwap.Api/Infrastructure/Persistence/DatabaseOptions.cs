using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Persistence;

internal enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database the server uses (<c>Database:*</c>); the connection string is <c>ConnectionStrings:Mwap</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (default: a file under <c>data/</c>) or <c>Postgres</c>.</summary>
    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the server starts (default true). The <c>migrate</c> verb always applies them.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Folder for the embedded database, the development keys and the job store (default <c>data</c>, under the content root).</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";
}
