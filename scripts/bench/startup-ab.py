#!/usr/bin/env python3
"""Start-to-ready of two built distributions, interleaved (issue 02/08, W1): each round starts
A then B on a fresh home and again on that (now existing) home, and records the wall time until
/ready answers 200 and the controller's CPU time at that moment (from /proc, which a busy machine
distorts less than wall time). The first round trains the class caches and is not counted.

Usage: python3 scripts/bench/startup-ab.py OLD_DIST/bin/gantry NEW_DIST/bin/gantry [ROUNDS]
"""
import os
import shutil
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Server  # noqa: E402


def cpu_ms(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) * 1000 // os.sysconf("SC_CLK_TCK")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    dists = {"A": sys.argv[1], "B": sys.argv[2]}
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 4
    res = {k: {"fresh": [], "existing": [], "cpu-fresh": [], "cpu-existing": []} for k in dists}
    tmp = tempfile.mkdtemp()
    try:
        for i in range(rounds + 1):
            for k, g in dists.items():
                h = os.path.join(tmp, f"{k}{i}")
                for kind in ("fresh", "existing"):
                    s = Server(g, h, 2)
                    t, c = s.ready_after, cpu_ms(s.proc.pid)
                    s.stop()
                    if i > 0:
                        res[k][kind].append(t * 1000)
                        res[k]["cpu-" + kind].append(c)
            print(f"round {i}: load average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for k in dists:
        print(k, dists[k])
        for name, xs in res[k].items():
            print(f"  {name} median {statistics.median(xs):.0f} ms, min {min(xs):.0f} ms")


if __name__ == "__main__":
    main()
