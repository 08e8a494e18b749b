using System.ComponentModel.DataAnnotations;

namespace Mwap.Api.Infrastructure.Http;

/// <summary>Conventions every feature's endpoints share.</summary>
internal static class EndpointConventions
{
    /// <summary>
    /// Declares the MWAP code this endpoint's input errors carry (400 with <c>details</c> keyed by field path). The
    /// validation itself runs for every <see cref="IRequestBody"/> of the <c>/api/v1</c> group (<see cref="RequestBodies"/>).
    /// </summary>
    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder, string code)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new InvalidInputCode(code));
}

/// <summary>Marks a request record so the validation filter checks it.</summary>
internal interface IRequestBody;

/// <summary>Recursive DataAnnotations validation that reports dotted field paths in camelCase.</summary>
internal static class RequestValidator
{
    public static Dictionary<string, string> Validate(object instance)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        Collect(instance, prefix: "", errors, depth: 0);
        return errors;
    }

    private static void Collect(object instance, string prefix, Dictionary<string, string> errors, int depth)
    {
        if (depth > 8)
        {
            return;
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true);
        foreach (var result in results)
        {
            var members = result.MemberNames.Any() ? result.MemberNames : [""];
            foreach (var member in members)
            {
                var key = Join(prefix, member.Length == 0 ? "" : char.ToLowerInvariant(member[0]) + member[1..]);
                errors.TryAdd(key.Length == 0 ? "body" : key, result.ErrorMessage ?? "Invalid value");
            }
        }

        foreach (var property in instance.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length == 0 && property.GetValue(instance) is IRequestBody nested)
            {
                var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
                Collect(nested, Join(prefix, name), errors, depth + 1);
            }
        }
    }

    private static string Join(string prefix, string name) =>
        prefix.Length == 0 ? name : name.Length == 0 ? prefix : $"{prefix}.{name}";
}
