using System.Globalization;

namespace Mwap.Api.Infrastructure.Cli;

/// <summary>One verb of the table in <see cref="CliVerbs"/>: its words, positional arguments, options and what it runs.</summary>
/// <param name="Name">The verb's words, e.g. <c>migrate</c> or <c>superadmin add</c>.</param>
/// <param name="Arguments">Names of the positional arguments it requires, in order (shown in the usage).</param>
/// <param name="Options">Its own options (each takes a value); every other <c>--Key value</c> is configuration.</param>
/// <param name="Summary">One line for the usage text.</param>
/// <param name="RunAsync">Runs the verb on the built host; returns the exit code.</param>
internal sealed record CliVerb(string Name, string[] Arguments, CliOption[] Options, string Summary,
    Func<WebApplication, CliInvocation, Task<int>> RunAsync)
{
    public string Usage => string.Join(' ', new[] { Name }.Concat(Arguments).Concat(Options.Select(o => o.Usage)));
}

/// <summary>
/// A verb option with a value; <see cref="Min"/>/<see cref="Max"/> make it a whole number in that range. A
/// <see cref="Flag"/> takes no value: its presence is the value.
/// </summary>
internal sealed record CliOption(string Name, string ValueName, bool Required = false, int? Min = null, int? Max = null, bool Flag = false)
{
    public string Usage => Flag ? $"[{Name}]" : Required ? $"{Name} {ValueName}" : $"[{Name} {ValueName}]";
}

/// <summary>What a verb was called with, checked against its <see cref="CliVerb"/> row.</summary>
internal sealed record CliInvocation(CliVerb Verb, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Options)
{
    public string? Option(string name) => Options.GetValueOrDefault(name);

    /// <summary>A whole-number option (already range-checked when parsed), or <paramref name="fallback"/> when absent.</summary>
    public int IntOption(string name, int fallback) =>
        Options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

/// <summary>
/// The command line split the way the server reads it: configuration (<c>--Key=Value</c> or <c>--Key Value</c>, anywhere)
/// goes to the host exactly as when the server runs; the first bare word picks a verb from the table; no bare word means
/// "run the server". Unknown verbs and bad arguments are errors (exit 2), never a silently started server.
/// </summary>
internal sealed class CliCommandLine
{
    private const string Program = "Mwap.Api";

    private CliCommandLine(string[] hostArgs, CliInvocation? invocation, string? error, bool help)
    {
        HostArgs = hostArgs;
        Invocation = invocation;
        Error = error;
        Help = help;
    }

    /// <summary>Arguments for the host's configuration (the command-line provider).</summary>
    public string[] HostArgs { get; }

    /// <summary>The verb to run, or null to run the server.</summary>
    public CliInvocation? Invocation { get; }

    public string? Error { get; }

    public bool Help { get; }

    public static CliCommandLine Parse(string[] args, IReadOnlyList<CliVerb> verbs)
    {
        var words = new List<string>();
        var pairs = new List<(string Name, string Value)>();
        var flags = verbs.SelectMany(v => v.Options).Where(o => o.Flag).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "help")
            {
                return new CliCommandLine([], null, null, help: true);
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                words.Add(arg);
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (flags.Contains(arg))
            {
                pairs.Add((arg, "true"));
            }
            else if (equals > 2)
            {
                pairs.Add((arg[..equals], arg[(equals + 1)..]));
            }
            else if (i + 1 < args.Length)
            {
                pairs.Add((arg, args[++i]));
            }
            else
            {
                return Fail($"{arg} needs a value ({arg}=VALUE or {arg} VALUE)");
            }
        }

        if (words.Count == 0)
        {
            return new CliCommandLine(args, null, null, help: false);
        }

        var verb = verbs.Where(v => Matches(v, words)).MaxBy(v => v.Name.Split(' ').Length);
        if (verb is null)
        {
            var group = verbs.Where(v => v.Name.StartsWith(words[0] + " ", StringComparison.Ordinal)).ToList();
            var commands = string.Join(", ", group.Select(v => v.Name));
            return Fail(group.Count == 0 ? $"unknown verb '{words[0]}'"
                : words.Count == 1 ? $"{words[0]} needs a command: {commands}"
                : $"unknown {words[0]} command '{words[1]}' (expected {commands})");
        }

        var positional = words.Skip(verb.Name.Split(' ').Length).ToList();
        if (positional.Count != verb.Arguments.Length)
        {
            return Fail(positional.Count < verb.Arguments.Length
                ? $"{verb.Name} needs {string.Join(' ', verb.Arguments)}"
                : $"{verb.Name}: unexpected argument '{positional[verb.Arguments.Length]}'");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var hostArgs = new List<string>();
        foreach (var (name, value) in pairs)
        {
            var option = verb.Options.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                hostArgs.Add($"{name}={value}");
                continue;
            }

            if (option.Min is { } min && (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ||
                number < min || number > option.Max))
            {
                return Fail($"{name} must be a whole number from {min} to {option.Max}, not '{value}'");
            }

            if (string.IsNullOrWhiteSpace(value))
            {
                return Fail($"{name} needs a value");
            }

            options[name] = value;
        }

        if (verb.Options.FirstOrDefault(o => o.Required && !options.ContainsKey(o.Name)) is { } missing)
        {
            return Fail($"{verb.Name} needs {missing.Name} {missing.ValueName}");
        }

        return new CliCommandLine([.. hostArgs], new CliInvocation(verb, positional, options), null, help: false);
    }

    private static bool Matches(CliVerb verb, List<string> words)
    {
        var name = verb.Name.Split(' ');
        return words.Count >= name.Length && name.SequenceEqual(words.Take(name.Length), StringComparer.Ordinal);
    }

    private static CliCommandLine Fail(string error) => new([], null, error, help: false);

    /// <summary>The usage text: every verb of the table, and how configuration is given.</summary>
    public static string UsageText(IReadOnlyList<CliVerb> verbs)
    {
        var lines = new List<string>
        {
            $"Usage: {Program} [verb] [--Section:Key=Value | --Section:Key Value]...",
            "  (no verb)".PadRight(58) + "run the server",
        };
        lines.AddRange(verbs.Select(v => ("  " + v.Usage).PadRight(57) + " " + v.Summary));
        lines.Add("Configuration arguments apply to every verb exactly as to the server (see docs/configuration.md).");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Prints the error (one line) and the usage on stderr; exit code 2.</summary>
    public static int WriteError(string error, IReadOnlyList<CliVerb> verbs)
    {
        Console.Error.WriteLine($"{Program}: {error}");
        Console.Error.WriteLine(UsageText(verbs));
        return 2;
    }
}
