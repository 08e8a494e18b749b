using System.Collections;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Mwap.Api.Tests.Docs;

/// <summary>
/// docs/configuration.md lists exactly the settings the code reads. The code's keys are found the way the code reads
/// them: every options class (a type with a <c>SectionName</c> constant, bound with <c>BindConfiguration</c>) contributes
/// <c>Section:Property</c> for each settable property, recursing into nested objects and dictionaries (<c>{id}</c>); and
/// explicit reads in the source (<c>GetValue&lt;T&gt;("…")</c>, <c>configuration["…"]</c>, <c>GetConnectionString(…)</c>).
/// The documented keys are the backticked keys in the first column of the document's tables.
/// </summary>
public sealed partial class ConfigurationDocsTests
{
    /// <summary>Read by the framework or a library from our configuration, not by our own code.</summary>
    private static readonly string[] ReadByFramework = ["Urls", "AllowedHosts", "Serilog:"];

    /// <summary>ASP.NET Core's host keys our code reads through <c>WebHostDefaults</c>.</summary>
    private static readonly Dictionary<string, string> WebHostDefaultKeys = new(StringComparer.Ordinal)
    {
        ["ServerUrlsKey"] = "Urls",
        ["HttpPortsKey"] = "HTTP_PORTS",
        ["HttpsPortsKey"] = "HTTPS_PORTS",
    };

    [Fact]
    public void EveryKeyTheCodeReads_IsDocumented()
    {
        var documented = DocumentedKeys().Select(Normalise).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = CodeKeys().Where(k => !documented.Contains(Normalise(k))).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0,
            $"Read by the code but not in a table of docs/configuration.md: {string.Join(", ", missing)}. Add a row (key, default, meaning).");
    }

    [Fact]
    public void EveryDocumentedKey_IsRead()
    {
        var read = CodeKeys().Select(Normalise).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var stale = DocumentedKeys()
            .Where(k => !read.Contains(Normalise(k)) && !ReadByFramework.Any(f => f.EndsWith(':') ? k.StartsWith(f, StringComparison.OrdinalIgnoreCase) : k.Equals(f, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(stale.Count == 0, $"Documented in docs/configuration.md but read nowhere: {string.Join(", ", stale)}.");
    }

    [Fact]
    public void TheScanner_FindsKeysOfEachKind()
    {
        var keys = CodeKeys().ToHashSet(StringComparer.Ordinal);
        Assert.Contains("Auth:Authority", keys);                         // a property of an options class
        Assert.Contains("Encryption:Keys:{id}", keys);                   // a dictionary of values
        Assert.Contains("CloudProviders:Seed:{id}:ClientSecret", keys);  // a dictionary of objects
        Assert.Contains("ConnectionStrings:Mwap", keys);                 // GetConnectionString(constant)
        Assert.Contains("Urls", keys);                                   // configuration[WebHostDefaults.ServerUrlsKey]
        Assert.DoesNotContain("Redis:Enabled", keys);                    // computed, not settable
    }

    internal static IEnumerable<string> CodeKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in typeof(Program).Assembly.GetTypes())
        {
            if (type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field &&
                field.GetRawConstantValue() is string section)
            {
                AddProperties(type, section, keys, depth: 0);
            }
        }

        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src", "Mwap.Api"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var constants = sources.SelectMany(s => StringConstant().Matches(s)).GroupBy(m => m.Groups["name"].Value)
            .ToDictionary(g => g.Key, g => g.First().Groups["value"].Value, StringComparer.Ordinal);
        string? Resolve(Match m)
        {
            if (m.Groups["literal"].Success)
            {
                return m.Groups["literal"].Value;
            }

            var name = m.Groups["constant"].Value.Split('.')[^1];
            return WebHostDefaultKeys.GetValueOrDefault(name) ?? constants.GetValueOrDefault(name);
        }

        foreach (var source in sources)
        {
            foreach (Match m in ExplicitRead().Matches(source))
            {
                if (Resolve(m) is { } key)
                {
                    keys.Add(key);
                }
            }

            foreach (Match m in ConnectionStringRead().Matches(source))
            {
                if (Resolve(m) is { } name)
                {
                    keys.Add("ConnectionStrings:" + name);
                }
            }
        }

        return keys;
    }

    private static void AddProperties(Type type, string prefix, HashSet<string> keys, int depth)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                var valueType = propertyType.GetGenericArguments()[1];
                if (IsScalar(valueType))
                {
                    keys.Add(key + ":{id}");
                }
                else if (depth < 4)
                {
                    AddProperties(valueType, key + ":{id}", keys, depth + 1);
                }
            }
            else if (IsScalar(propertyType) || typeof(IEnumerable).IsAssignableFrom(propertyType) || depth >= 4)
            {
                keys.Add(key);
            }
            else
            {
                AddProperties(propertyType, key, keys, depth + 1);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) ||
        type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Uri) || Nullable.GetUnderlyingType(type) is not null;

    internal static IEnumerable<string> DocumentedKeys()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith('|') || line.StartsWith("|---", StringComparison.Ordinal))
            {
                continue;
            }

            var firstCell = line.Split('|', StringSplitOptions.None)[1];
            foreach (Match key in BacktickedKey().Matches(firstCell))
            {
                yield return key.Groups[1].Value;
            }
        }
    }

    /// <summary>Keys compare without case, and any <c>{placeholder}</c> equals any other.</summary>
    private static string Normalise(string key) => Placeholder().Replace(key, "{}");

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mwap.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Mwap.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("""(?:GetValue<[^>]+>\(|[Cc]onfiguration\[)\s*(?:"(?<literal>[^"]+)"|(?<constant>[A-Za-z_][A-Za-z0-9_.]*))""")]
    private static partial Regex ExplicitRead();

    [GeneratedRegex("""GetConnectionString\(\s*(?:"(?<literal>[^"]+)"|(?<constant>[A-Za-z_][A-Za-z0-9_.]*))\s*\)""")]
    private static partial Regex ConnectionStringRead();

    [GeneratedRegex("""const string (?<name>\w+) = "(?<value>[^"]*)";""")]
    private static partial Regex StringConstant();

    [GeneratedRegex("`([A-Za-z][A-Za-z0-9_]*(?::[A-Za-z0-9_{}.-]+)*)`")]
    private static partial Regex BacktickedKey();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();
}
