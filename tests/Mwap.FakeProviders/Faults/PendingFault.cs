namespace Mwap.FakeProviders.Faults;

/// <summary>An injected failure waiting for the next matching requests.</summary>
internal sealed class PendingFault(string path, int status, string? body, int? retryAfterSeconds, int times, string? contentType)
{
    public string Path { get; } = path;
    public int Status { get; } = status;
    public string? Body { get; } = body;
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;
    public string? ContentType { get; } = contentType;
    public int Remaining { get; set; } = times;

    /// <summary>Matching requests still to let through before this fault fires.</summary>
    public int Skip { get; set; }

    /// <summary>
    /// Matches the provider's real path (<c>/drive/v3/files</c>, <c>/2/files/list_folder</c>, <c>/v1.0/me</c>,
    /// <c>/token</c>) or the fake's full path by prefix; <c>*</c> matches every request to the provider.
    /// </summary>
    public bool Matches(string realPath, string fullPath) =>
        Path is "*" or "" || realPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase)
            || fullPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase);
}
