using Mwap.FakeProviders.Faults;

namespace Mwap.FakeProviders;

public sealed partial class FakeProviderState
{
    private readonly Lock _holdGate = new();
    private readonly List<RequestHold> _holds = [];

    /// <summary>
    /// Holds the next request whose real path starts with <paramref name="path"/> (after letting <paramref name="skip"/>
    /// of them through) until the returned hold is released. Holds are taken oldest first.
    /// </summary>
    public RequestHold HoldNext(string path, int skip = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        var hold = new RequestHold(path, skip);
        lock (_holdGate)
        {
            _holds.Add(hold);
        }

        return hold;
    }

    /// <summary>Waits while a hold matches this request (consuming the hold); returns at once otherwise.</summary>
    internal Task WaitIfHeldAsync(string realPath, CancellationToken cancellationToken)
    {
        RequestHold? match = null;
        lock (_holdGate)
        {
            foreach (var hold in _holds.Where(h => realPath.StartsWith(h.Path, StringComparison.OrdinalIgnoreCase)))
            {
                if (hold.Skip > 0)
                {
                    hold.Skip--;
                    continue;
                }

                match = hold;
                _holds.Remove(hold);
                break;
            }
        }

        return match?.HoldAsync(cancellationToken) ?? Task.CompletedTask;
    }
}
