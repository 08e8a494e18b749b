using System.Diagnostics;
using System.Runtime;

namespace Mwap.Bench;

/// <summary>
/// Memory over one phase. Starts from a full compacting collection; samples the managed heap (live plus not yet
/// collected) every few milliseconds; on Linux resets the kernel's peak-RSS mark (<c>/proc/self/clear_refs</c>) so that
/// <see cref="Process.PeakWorkingSet64"/> is the phase's peak, not the process's (seeding included).
/// </summary>
internal sealed class MemoryProbe
{
    private const long ImplausibleAllocationStep = 64L * 1024 * 1024;

    private readonly Thread _sampler;
    private readonly long _allocatedBefore;
    private readonly TimeSpan _pausesBefore;
    private readonly int[] _collectionsBefore;
    private volatile bool _stop;
    private long _peakHeap;
    private long _lastAllocated;
    private volatile bool _allocatedUnreliable;

    private MemoryProbe()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        PeakIsPhaseOnly = ResetPeakWorkingSet();
        HeapBefore = GC.GetTotalMemory(forceFullCollection: false);
        WorkingSetBefore = Environment.WorkingSet;
        _peakHeap = HeapBefore;
        _allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        _lastAllocated = _allocatedBefore;
        _pausesBefore = GC.GetTotalPauseDuration();
        _collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        _sampler = new Thread(Sample) { IsBackground = true, Name = "memory-probe" };
        _sampler.Start();
    }

    public long HeapBefore { get; }
    public long WorkingSetBefore { get; }

    /// <summary>False when the peak RSS mark could not be reset: the peak then covers the whole process so far.</summary>
    public bool PeakIsPhaseOnly { get; }

    public static MemoryProbe Start() => new();

    public PhaseMemory Stop()
    {
        _stop = true;
        _sampler.Join();
        SampleAllocated();
        var allocated = _allocatedUnreliable ? (long?)null : GC.GetTotalAllocatedBytes(precise: true) - _allocatedBefore;
        using var self = Process.GetCurrentProcess();
        return new PhaseMemory(
            PeakWorkingSet: self.PeakWorkingSet64,
            WorkingSetBefore: WorkingSetBefore,
            PeakHeap: Math.Max(Interlocked.Read(ref _peakHeap), GC.GetTotalMemory(false)),
            HeapBefore: HeapBefore,
            Allocated: allocated,
            Collections: [GC.CollectionCount(0) - _collectionsBefore[0], GC.CollectionCount(1) - _collectionsBefore[1], GC.CollectionCount(2) - _collectionsBefore[2]],
            GcPause: GC.GetTotalPauseDuration() - _pausesBefore,
            PeakIsPhaseOnly: PeakIsPhaseOnly);
    }

    private void Sample()
    {
        while (!_stop)
        {
            var heap = GC.GetTotalMemory(forceFullCollection: false);
            if (heap > _peakHeap)
            {
                Interlocked.Exchange(ref _peakHeap, heap);
            }

            SampleAllocated();
            Thread.Sleep(5);
        }
    }

    // Under DATAS (the server GC's default since .NET 9) the total drops when the GC retires a heap and jumps back
    // when it revives one (dotnet/runtime#131069), so a difference across such a change means nothing: report none.
    // A jump is told from real allocation by its size: 64 MB in one 5 ms sample would be 12 GB/s.
    private void SampleAllocated()
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        if (allocated < _lastAllocated || allocated - _lastAllocated > ImplausibleAllocationStep)
        {
            _allocatedUnreliable = true;
        }

        _lastAllocated = allocated;
    }

    private static bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5"); // Linux ≥ 4.0: reset VmHWM (peak RSS) to the current RSS
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }
}

/// <summary>One phase's memory figures (bytes).</summary>
internal sealed record PhaseMemory(
    long PeakWorkingSet,
    long WorkingSetBefore,
    long PeakHeap,
    long HeapBefore,
    long? Allocated,
    int[] Collections,
    TimeSpan GcPause,
    bool PeakIsPhaseOnly);
