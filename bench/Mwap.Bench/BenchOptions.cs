using System.Globalization;

namespace Mwap.Bench;

/// <summary>Command line: <c>[--integrations 10000] [--runs 5] [--database sqlite|postgres] [--concurrency 4] [--warmup 2000]</c>.</summary>
internal sealed record BenchOptions(int Integrations, int Runs, string Database, int Concurrency, int Warmup)
{
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
