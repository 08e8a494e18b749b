namespace Mwap.FakeProviders.Faults;

/// <summary>
/// Holds one matching request before the provider answers it, until <see cref="Release"/>: a provider call that takes
/// as long as a test needs (a page that stalls a sync past its lease), without sleeping.
/// </summary>
public sealed class RequestHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RequestHold(string path, int skip)
    {
        Path = path;
        Skip = skip;
    }

    /// <summary>The provider's real path (prefix) the hold matches.</summary>
    public string Path { get; }

    internal int Skip { get; set; }

    /// <summary>Completes when the held request has arrived (and is waiting).</summary>
    public Task Reached => _reached.Task;

    /// <summary>Lets the held request through; the provider answers it from the state at that moment.</summary>
    public void Release() => _released.TrySetResult();

    internal async Task HoldAsync(CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _released.Task.WaitAsync(cancellationToken);
    }
}
