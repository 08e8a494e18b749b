using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Mwap.LoadBench;

internal sealed record WrkFigures(double PerSecond, double P50Ms, double P99Ms, long Requests);

/// <summary>Debian's wrk, driven as a process; any non-2xx answer or socket error fails the bench.</summary>
internal static class Wrk
{
    public static bool Installed => File.Exists("/usr/bin/wrk") || File.Exists("/usr/local/bin/wrk");

    /// <summary>GET <paramref name="url"/> from <paramref name="connections"/> connections on two threads.</summary>
    public static Task<WrkFigures> GetAsync(string url, string token, int connections, double seconds) =>
        RunAsync(["-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-H", $"Authorization: Bearer {token}", url], seconds);

    /// <summary>
    /// GET <paramref name="pathPrefix"/> followed by a four-digit term that changes with every request (each of wrk's
    /// two threads on its own sequence), so no answer can come from a cache: an uncached search.
    /// </summary>
    public static async Task<WrkFigures> GetVaryingAsync(string baseUrl, string pathPrefix, string token, int connections, double seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), $"mwap-vary-{System.Environment.ProcessId}.lua");
        var lua = new StringBuilder();
        lua.AppendLine("local threads = 0");
        lua.AppendLine("function setup(thread) threads = threads + 1; thread:set(\"offset\", threads * 5000) end");
        lua.AppendLine("local n = 0");
        lua.AppendLine("function request()");
        lua.AppendLine("  n = n + 1");
        lua.AppendLine($"  return wrk.format(\"GET\", \"{pathPrefix}\" .. string.format(\"%04d\", (offset + n) % 10000), {{[\"Authorization\"] = \"Bearer {token}\"}})");
        lua.AppendLine("end");
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            return await RunAsync(["-t", "2", "-c", connections.ToString(CultureInfo.InvariantCulture), "-s", script, baseUrl], seconds);
        }
        finally
        {
            File.Delete(script);
        }
    }

    /// <summary>
    /// PATCH with one connection per thread and one project per thread, so every writer has a project of its own
    /// (wrk's Lua has no notion of a connection; a thread with a single connection is one).
    /// </summary>
    public static async Task<WrkFigures> PatchAsync(string baseUrl, IReadOnlyList<string> projectIds, string token, double seconds)
    {
        var script = Path.Combine(Path.GetTempPath(), $"mwap-patch-{System.Environment.ProcessId}.lua");
        var lua = new StringBuilder();
        lua.Append("local ids = {").AppendJoin(", ", projectIds.Select(id => $"\"{id}\"")).AppendLine("}");
        lua.AppendLine("local next = 0");
        lua.AppendLine("function setup(thread) next = next + 1; thread:set(\"project\", ids[next]) end");
        lua.AppendLine("local n = 0");
        lua.AppendLine("function request()");
        lua.AppendLine("  n = n + 1");
        lua.AppendLine($"  return wrk.format(\"PATCH\", \"/api/v1/projects/\" .. project, {{[\"Authorization\"] = \"Bearer {token}\", " +
            "[\"Content-Type\"] = \"application/json\"}, '{\"description\":\"bench write ' .. n .. '\"}')");
        lua.AppendLine("end");
        await File.WriteAllTextAsync(script, lua.ToString());
        try
        {
            var count = projectIds.Count.ToString(CultureInfo.InvariantCulture);
            return await RunAsync(["-t", count, "-c", count, "-s", script, baseUrl], seconds);
        }
        finally
        {
            File.Delete(script);
        }
    }

    private static async Task<WrkFigures> RunAsync(string[] args, double seconds)
    {
        var start = new ProcessStartInfo("wrk") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-d");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{Math.Max(1, (int)Math.Round(seconds))}s"));
        start.ArgumentList.Add("--latency");
        // wrk's default 2 s timeout would turn a slow route into socket errors; 30 s keeps slow answers in the latencies.
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add("30s");
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (output.Contains("Non-2xx", StringComparison.Ordinal) || output.Contains("Socket errors", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"wrk saw non-2xx answers or socket errors from {args[^1]}:\n{output}");
        }

        var requests = long.Parse(Find(output, "").Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
        return new WrkFigures(double.Parse(Find(output, "Requests/sec:"), CultureInfo.InvariantCulture),
            Milliseconds(Find(output, "50%")), Milliseconds(Find(output, "99%")), requests);
    }

    // An empty label finds the "N requests in Xs, Y read" line.
    private static string Find(string output, string label)
    {
        var line = label.Length == 0
            ? output.Split('\n').FirstOrDefault(l => l.Contains(" requests in ", StringComparison.Ordinal))
            : output.Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
        return line is null ? throw new InvalidOperationException($"wrk output has no '{label}':\n{output}") : line.Trim()[label.Length..].Trim();
    }

    private static double Milliseconds(string value)
    {
        var (number, unit) = value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith('s') ? (value[..^1], 1000.0) : (value, 1.0);
        return double.Parse(number, CultureInfo.InvariantCulture) * unit;
    }
}
