namespace Mwap.WebConsole.Services;

/// <summary>An error answer of the API, as its envelope says it: code, message, and per-field details for a 400.</summary>
public sealed class ApiException : Exception
{
    public ApiException(int status, string code, string message, IReadOnlyDictionary<string, string>? details = null)
        : base(message)
    {
        Status = status;
        Code = code;
        Details = details ?? new Dictionary<string, string>();
    }

    public ApiException()
        : this(0, "", "")
    {
    }

    public ApiException(string message)
        : this(0, "", message)
    {
    }

    public ApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "network/error";
        Details = new Dictionary<string, string>();
    }

    /// <summary>The HTTP status (0 when the request never got an answer).</summary>
    public int Status { get; }

    /// <summary>MWAP's error code, e.g. <c>project/invalid-input</c>.</summary>
    public string Code { get; }

    /// <summary>Field → problem, for validation errors.</summary>
    public IReadOnlyDictionary<string, string> Details { get; }
}
