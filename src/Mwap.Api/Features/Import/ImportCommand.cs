using Microsoft.Extensions.Options;
using MongoDB.Bson;
using Mwap.Api.Infrastructure.Persistence;

namespace Mwap.Api.Features.Import;

/// <summary>
/// <c>import mwap &lt;source&gt; [--legacy-key KEY | --legacy-key-env VAR] [--dry-run] [--overwrite] [--tenant ID]
/// [--batch N] [--report FILE]</c>. Progress goes to stderr, the report to stdout. Exit 0 when nothing was skipped,
/// 1 when something was, 2 on a usage or source error.
/// </summary>
internal static class ImportCommand
{
    public const string Usage = """
        Usage: import mwap <source> [--legacy-key KEY | --legacy-key-env VAR] [--dry-run] [--overwrite]
                                    [--tenant ID] [--batch N] [--report FILE]
          <source>   a mongodump folder (.bson or .bson.gz), a mongodump --archive file (optionally gzipped),
                     or a folder of mongoexport files (<collection>.json, lines or --jsonArray)
          --legacy-key KEY / --legacy-key-env VAR   MWAP's ENCRYPTION_KEY, to carry secrets over
          --dry-run   read and validate everything, write nothing
          --overwrite also update rows changed here since the last import (reported as conflicts otherwise)
          --tenant ID import one tenant only (and the catalogues)
          --batch N   tenants per progress line and database context (default 100)
          --report FILE  also write the report as JSON
        """;

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!TryParse(args, out var options, out var reportFile, out var error))
        {
            await stderr.WriteLineAsync(error);
            await stderr.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            await services.MigrateDatabaseAsync(cancellationToken);
            var importer = ActivatorUtilities.CreateInstance<MwapImporter>(services);
            var report = await importer.RunAsync(options!, stderr, cancellationToken);
            await stdout.WriteAsync(report.ToText());
            if (reportFile is not null)
            {
                await File.WriteAllTextAsync(reportFile, report.ToJson(), cancellationToken);
            }

            return report.AnySkipped ? 1 : 0;
        }
        catch (ImportSourceException e)
        {
            await stderr.WriteLineAsync("Source error: " + e.Message);
            return 2;
        }
        catch (OptionsValidationException e)
        {
            await stderr.WriteLineAsync("Configuration error: " + string.Join("; ", e.Failures));
            return 2;
        }
    }

    /// <summary>Reads <c>import mwap …</c> (the verb's own parsing, independent of the other verbs').</summary>
    internal static bool TryParse(string[] args, out ImportOptions? options, out string? reportFile, out string error)
    {
        options = null;
        reportFile = null;
        error = "";
        if (args is not ["import", "mwap", var source, ..] || source.StartsWith("--", StringComparison.Ordinal))
        {
            error = "import needs the kind and a source: import mwap <source>";
            return false;
        }

        string? key = null, tenant = null;
        bool dryRun = false, overwrite = false;
        var batch = 100;
        for (var i = 3; i < args.Length; i++)
        {
            string? Value() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--dry-run":
                    dryRun = true;
                    break;
                case "--overwrite":
                    overwrite = true;
                    break;
                case "--legacy-key" when key is null:
                    key = Value();
                    break;
                case "--legacy-key-env" when key is null:
                    var variable = Value();
                    key = variable is null ? null : Environment.GetEnvironmentVariable(variable);
                    if (key is null)
                    {
                        error = $"--legacy-key-env: the environment variable {variable ?? "(missing)"} is not set";
                        return false;
                    }

                    break;
                case "--tenant":
                    tenant = BsonFields.Id(Value() is { } t ? new BsonString(t) : null, out _);
                    if (tenant is null)
                    {
                        error = "--tenant needs a tenant id";
                        return false;
                    }

                    break;
                case "--batch":
                    if (!int.TryParse(Value(), System.Globalization.CultureInfo.InvariantCulture, out batch) || batch is < 1 or > 10_000)
                    {
                        error = "--batch needs a number from 1 to 10000";
                        return false;
                    }

                    break;
                case "--report":
                    reportFile = Value() ?? "";
                    if (reportFile.Length == 0)
                    {
                        error = "--report needs a file name";
                        return false;
                    }

                    break;
                default:
                    error = args[i] is "--legacy-key" or "--legacy-key-env" ? "give the legacy key once, by --legacy-key or --legacy-key-env" : $"unknown option {args[i]}";
                    return false;
            }
        }

        if (args[^1] is "--legacy-key")
        {
            error = "--legacy-key needs a value";
            return false;
        }

        options = new ImportOptions { Source = source, LegacyKey = key, DryRun = dryRun, Overwrite = overwrite, Tenant = tenant, Batch = batch };
        return true;
    }
}
