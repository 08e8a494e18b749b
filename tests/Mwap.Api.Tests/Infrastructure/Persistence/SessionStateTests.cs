using System.Text.RegularExpressions;
using Mwap.Api.Tests.Docs;

namespace Mwap.Api.Tests.Infrastructure.Persistence;

/// <summary>
/// Issue 13: pooled PostgreSQL connections are handed on without Npgsql's reset (<c>No Reset On Close</c>, see
/// <c>PersistenceSetup.WithNpgsqlDefaults</c>), which is safe only while no SQL the server sends leaves session state
/// behind. This keeps it so: every setting is <c>SET LOCAL</c> (ends with its transaction), and nothing listens, takes
/// session advisory locks or creates temporary tables.
/// </summary>
public sealed partial class SessionStateTests
{
    [Fact]
    public void TheServersSql_LeavesNoSessionStateBehind()
    {
        var offences = Directory.EnumerateFiles(Path.Combine(ConfigurationDocsTests.RepositoryRoot(), "src", "Mwap.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && SessionState().IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(offences.Count == 0, "SQL that leaves session state (use SET LOCAL inside a transaction):\n" + string.Join('\n', offences));
    }

    [Theory]
    [InlineData("\"SET synchronous_commit = off\"", true)]
    [InlineData("\"SELECT 1; SET search_path TO x\"", true)]
    [InlineData("\"set_config('a', 'b', false)\"", true)]
    [InlineData("\"LISTEN mwap\"", true)]
    [InlineData("\"SELECT pg_advisory_lock(1)\"", true)]
    [InlineData("\"CREATE TEMP TABLE t (x int)\"", true)]
    [InlineData("\"SET SESSION statement_timeout = 5\"", true)]
    [InlineData("\"SET LOCAL synchronous_commit TO OFF\"", false)]
    [InlineData("\"cannot start; set these and start again\"", false)]
    [InlineData("\"UPDATE projects SET name = @p\"", false)]
    [InlineData("\"SELECT pg_advisory_xact_lock(1)\"", false)]
    public void TheCheck_TellsSessionStateFromTransactionState(string line, bool offends) =>
        Assert.Equal(offends, SessionState().IsMatch(line));

    // A statement that starts with SET (at the start of a string literal or after ';') but not SET LOCAL / SET TRANSACTION,
    // set_config(…, false), LISTEN, a session-level advisory lock, a temporary table.
    [GeneratedRegex("""(?:"|;)\s*SET\s+(?!LOCAL\b|TRANSACTION\b|CONSTRAINTS\b)(?:SESSION\s+)?\w+(?:\.\w+)?\s*(?:=|TO\b)|set_config\s*\([^)]*false|"\s*LISTEN\s|pg_advisory_lock(?:_shared)?\s*\(|CREATE\s+(?:TEMP|TEMPORARY)\s+TABLE""", RegexOptions.IgnoreCase)]
    private static partial Regex SessionState();
}
