using System.Globalization;

namespace Mwap.Bench;

/// <summary>
/// Command line: <c>[--mode refresh|sync] [--runs 5] [--database sqlite|postgres]</c>; refresh mode (default):
/// <c>[--integrations 10000] [--concurrency 4] [--warmup 2000]</c>; sync mode: <c>[--provider google|dropbox|onedrive]
/// [--files 100000] [--files-per-folder 1000] [--changes 100]</c>.
/// </summary>
internal sealed record BenchOptions(int Integrations, int Runs, string Database, int Concurrency, int Warmup)
{
    public const string Usage = "usage: Mwap.Bench [--mode refresh|sync] [--runs 5] [--database sqlite|postgres]\n" +
        "  refresh (default): [--integrations 10000] [--concurrency 4] [--warmup 2000]\n" +
        "  sync: [--provider google|dropbox|onedrive] [--files 100000] [--files-per-folder 1000] [--changes 100]\n" +
        "  import: [--scale 1.0] (1.0 = 10,000 tenants, 50,000 projects, 500,000 audit rows, 100,000 files) [--batch N] (the verb's --batch; its default if not given)";

    public string Mode { get; init; } = "refresh";
    public string Provider { get; init; } = "dropbox";
    public int Files { get; init; } = 100_000;
    public int FilesPerFolder { get; init; } = 1000;
    public int Changes { get; init; } = 100;

    /// <summary>Import mode: 1.0 is the full dataset (10,000 tenants …); smaller factors for a busy machine.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Import mode: tenants per transaction (the verb's <c>--batch</c>); null for the verb's default.</summary>
    public int? Batch { get; init; }

    /// <summary>The job's own default (<c>Integrations:Concurrency</c>).</summary>
    public const int DefaultConcurrency = 4;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(10_000, 5, "sqlite", DefaultConcurrency, 2000);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--integrations" or "-n" => options with { Integrations = Positive(args[i], value) },
                "--runs" => options with { Runs = Positive(args[i], value) },
                "--concurrency" => options with { Concurrency = Positive(args[i], value) },
                "--warmup" => options with { Warmup = int.Parse(value, CultureInfo.InvariantCulture) },
                "--mode" => options with
                {
                    Mode = value.ToLowerInvariant() is "refresh" or "sync" or "import" ? value.ToLowerInvariant() : throw new ArgumentException($"--mode must be refresh, sync or import, not '{value}'"),
                },
                "--provider" => options with
                {
                    Provider = value.ToLowerInvariant() switch
                    {
                        "google" or "google-drive" => "google",
                        "dropbox" => "dropbox",
                        "onedrive" or "microsoft" => "onedrive",
                        _ => throw new ArgumentException($"--provider must be google, dropbox or onedrive, not '{value}'"),
                    },
                },
                "--scale" => options with
                {
                    Scale = double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) && scale is > 0 and <= 10
                        ? scale : throw new ArgumentException($"--scale must be a number above 0 and at most 10, not '{value}'"),
                },
                "--files" => options with { Files = Positive(args[i], value) },
                "--batch" => options with { Batch = Positive(args[i], value) },
                "--files-per-folder" => options with { FilesPerFolder = Positive(args[i], value) },
                "--changes" => options with { Changes = int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture) },
                "--database" => options with
                {
                    Database = value.ToLowerInvariant() switch
                    {
                        "sqlite" => "sqlite",
                        "postgres" or "postgresql" or "pg" => "postgres",
                        _ => throw new ArgumentException($"--database must be sqlite or postgres, not '{value}'"),
                    },
                },
                _ => throw new ArgumentException($"Unknown option {args[i]}"),
            };
            i++;
        }

        if (options.Concurrency > 64)
        {
            throw new ArgumentException("--concurrency is at most 64 (the job's own limit, Integrations:Concurrency)");
        }

        return options with { Warmup = Math.Clamp(options.Warmup, 0, options.Integrations) };
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'");
}
