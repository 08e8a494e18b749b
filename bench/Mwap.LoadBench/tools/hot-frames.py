#!/usr/bin/env python3
"""Top frames of a dotnet-trace sampled-thread-time profile, counting only stacks that were on the CPU.

dotnet-trace's sampler records every managed thread, waiting or not, and marks each sample's innermost frame
CPU_TIME (running managed code) or UNMANAGED_CODE_TIME (native code: a syscall, a wait, or native work). This keeps
the CPU_TIME samples (and, with --native, the native ones that are not a known wait), so the figures say where the
CPU went. Usage:
  dotnet-trace convert --format Speedscope trace.nettrace -o trace
  python3 hot-frames.py trace.speedscope.json [N] [--native]
"""
import json
import sys
from collections import defaultdict

WAITS = ("WaitForSignal", "ManualResetEventSlim.Wait", "WaitOneNoCheck", "Interop+Sys.Read", "Sys.WaitForSocketEvents",
         "LowLevelLifoSemaphore.Wait", "Monitor.Wait", "Thread.Sleep", "SemaphoreSlim.Wait", "WaitHandle.Wait",
         "Interop+Sys.Poll", "Thread.Join")


def main(path, top, native):
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    inclusive, exclusive, total = defaultdict(float), defaultdict(float), 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack:
                names = [frames[i] for i in stack]
                kind = names[-1]
                names = names[:-1] if kind in ("CPU_TIME", "UNMANAGED_CODE_TIME") else names
                leaf = names[-1] if names else kind
                waiting = any(w in n for n in names[-4:] for w in WAITS)
                if kind == "CPU_TIME" or (native and kind == "UNMANAGED_CODE_TIME" and not waiting):
                    span = at - last
                    total += span
                    exclusive[leaf] += span
                    for name in set(names):
                        if not name.startswith(("Thread", "Process64", "(Non-Activities)")):
                            inclusive[name] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                stack.pop()
    print(f"on-CPU time sampled: {total:.0f} ms")
    print("inclusive:")
    for name, t in sorted(inclusive.items(), key=lambda x: -x[1])[:top]:
        print(f"{100 * t / total:6.1f}%  {name[:150]}")
    print("exclusive:")
    for name, t in sorted(exclusive.items(), key=lambda x: -x[1])[:top // 2]:
        print(f"{100 * t / total:6.1f}%  {name[:150]}")


args = [a for a in sys.argv[1:] if not a.startswith("--")]
main(args[0], int(args[1]) if len(args) > 1 else 40, "--native" in sys.argv)
