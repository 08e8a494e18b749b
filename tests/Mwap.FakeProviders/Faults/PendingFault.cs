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

    /// <summary>
    /// Matches the provider's real path (<c>/drive/v3/files</c>, <c>/2/files/list_folder</c>, <c>/v1.0/me</c>,
    /// <c>/token</c>) or the fake's full path by prefix; <c>*</c> matches every request to the provider.
    /// </summary>
    public bool Matches(string realPath, string fullPath) =>
        Path is "*" or "" || realPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase)
            || fullPath.StartsWith(Path, StringComparison.OrdinalIgnoreCase);
}

internal sealed class FaultQueue
{
    private readonly Lock _gate = new();
    private readonly List<PendingFault> _faults = [];

    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _faults.Sum(f => f.Remaining);
            }
        }
    }

    public void Enqueue(PendingFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    /// <summary>The oldest fault matching this request, consumed once; faults for other paths stay queued.</summary>
    public PendingFault? TryTake(string realPath, string fullPath)
    {
        lock (_gate)
        {
            var fault = _faults.FirstOrDefault(f => f.Matches(realPath, fullPath));
            if (fault is not null && --fault.Remaining <= 0)
            {
                _faults.Remove(fault);
            }

            return fault;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }
}
