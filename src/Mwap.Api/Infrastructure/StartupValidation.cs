using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Mwap.Api.Infrastructure;

/// <summary>
/// Checks every setting the server needs before it starts (every options class registered with <c>ValidateOnStart</c>)
/// and, when some are missing or invalid, prints all of them at once: one line per setting, naming the key and what to
/// set, without a stack trace. The host would otherwise stop at the first failure with an exception.
/// </summary>
internal static partial class StartupValidation
{
    /// <summary>
    /// True when the configuration is complete; otherwise the problems are on stderr and the caller exits 1. Inside a test
    /// host (WebApplicationFactory's TestServer) the exception is left to propagate instead: the factory reports an entry
    /// point that throws, while one that returns early would look like a server that started.
    /// </summary>
    public static bool Check(WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (OptionsValidationException e) when (!InTestServer(app))
        {
            Console.Error.WriteLine(Describe([e], app.Environment.EnvironmentName));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OptionsValidationException) && !InTestServer(app))
        {
            Console.Error.WriteLine(Describe(e.InnerExceptions.Cast<OptionsValidationException>(), app.Environment.EnvironmentName));
        }

        return false;
    }

    private static bool InTestServer(WebApplication app) =>
        app.Services.GetService<Microsoft.AspNetCore.Hosting.Server.IServer>()?.GetType().FullName == "Microsoft.AspNetCore.TestHost.TestServer";

    public static string Describe(OptionsValidationException error, string environment) => Describe([error], environment);

    public static string Describe(IEnumerable<OptionsValidationException> errors, string environment)
    {
        var text = new StringBuilder($"Configuration error: the server cannot start (environment {environment}); set these and start again:");
        foreach (var line in errors.SelectMany(Lines).Distinct(StringComparer.Ordinal))
        {
            text.AppendLine().Append("  ").Append(line);
        }

        return text.ToString();
    }

    /// <summary>Our own rules already say "Key: what to set"; DataAnnotations' messages get the key put in front.</summary>
    private static IEnumerable<string> Lines(OptionsValidationException error)
    {
        var section = error.OptionsType.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string;
        foreach (var failure in error.Failures)
        {
            var annotation = DataAnnotationFailure().Match(failure);
            yield return annotation.Success
                ? $"{(section is null ? "" : section + ":")}{annotation.Groups["member"].Value}: {annotation.Groups["error"].Value.TrimEnd('.')}"
                : failure;
        }
    }

    // Microsoft.Extensions.Options.DataAnnotations: "DataAnnotation validation failed for 'T' members: 'M' with the error: 'E'."
    [GeneratedRegex("^DataAnnotation validation failed for '[^']*' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\\.?$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();
}
