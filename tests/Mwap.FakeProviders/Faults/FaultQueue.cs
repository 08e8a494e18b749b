namespace Mwap.FakeProviders.Faults;

/// <summary>Injected faults of one provider, consumed oldest first by the requests they match.</summary>
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

    /// <summary>The oldest ready fault matching this request, consumed once; faults for other paths stay queued.</summary>
    public PendingFault? TryTake(string realPath, string fullPath)
    {
        lock (_gate)
        {
            // Skipping faults count every matching request that passes them; the first ready one fires.
            foreach (var fault in _faults.Where(f => f.Matches(realPath, fullPath)))
            {
                if (fault.Skip > 0)
                {
                    fault.Skip--;
                    continue;
                }

                if (--fault.Remaining <= 0)
                {
                    _faults.Remove(fault);
                }

                return fault;
            }

            return null;
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
