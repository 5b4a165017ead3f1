#!/usr/bin/env python3
"""Interleaved A/B of the remote-agent workloads W3 and W5 between two built distributions, with
the CPU time they cost: on a loaded machine wall-clock figures scatter by 2x between identical
runs, CPU time much less.

    python3 scripts/bench/remote-ab.py OLD/bin/gantry NEW/bin/gantry [--rounds 4]

Per round and distribution (alternating, after one training round each for the AOT caches): a
controller on a new home and one `gantry agent` process, as the harness starts them; W3's first
build (100 `sh 'true'`), then 5 warm builds, then W5 (`seq 1 6000000`, until complete and the
log read whole). CPU = user + system time of the controller and the agent process (/proc) over
the workload. Prints one line per round and medians at the end.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from server import Server  # noqa: E402
from agents import stop_all  # noqa: E402
from harness import register, agent_process, wait_online, pinned, run_all, cpu_seconds  # noqa: E402


def cpu(*procs):
    return sum(cpu_seconds(p.pid) for p in procs)


def one(gantry, tmp):
    s = Server(gantry, os.path.join(tmp, "home"), 1)
    agent = None
    try:
        register(s, tmp, "w2", ["w2"], 2)
        agent = agent_process(gantry, s.base, tmp, "w2")
        wait_online(s, ["w2"])
        time.sleep(3)
        s.job("w3", pinned("w2", "\n".join(["sh 'true'"] * 100)))
        r = {}
        c0 = cpu(s.proc, agent)
        r["W3"] = run_all(s, "w3", 1) * 1000
        c1 = cpu(s.proc, agent)
        r["W3-cpu"] = (c1 - c0) * 1000
        warm = [run_all(s, "w3", 1) * 1000 for _ in range(5)]
        c2 = cpu(s.proc, agent)
        r["W3-warm"] = statistics.median(warm)
        r["W3-warm-cpu"] = (c2 - c1) * 1000 / 5
        s.job("w5", pinned("w2", "sh 'seq 1 6000000'"))
        c3 = cpu(s.proc, agent)
        t = time.monotonic()
        n = s.trigger("w5")
        s.wait("w5", n)
        s.call("GET", f"api/v1/jobs/w5/builds/{n}/log")
        r["W5"] = (time.monotonic() - t) * 1000
        r["W5-cpu"] = (cpu(s.proc, agent) - c3) * 1000
        return r
    finally:
        stop_all([agent] if agent else [])
        s.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--rounds", type=int, default=4)
    a = ap.parse_args()
    runs = {"old": [], "new": []}
    for i in range(a.rounds + 1):
        for name in ("old", "new"):
            tmp = tempfile.mkdtemp(prefix="gantry-remote-ab-")
            try:
                load = os.getloadavg()[0]
                r = one(os.path.abspath(getattr(a, name)), tmp)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if i == 0:
                continue  # training round: the AOT caches of both builds are written by it
            runs[name].append(r)
            print(f"{time.strftime('%H:%M:%S')} {name} load {load:.1f} " + " ".join(f"{k} {v:.0f}" for k, v in r.items()), flush=True)
    for name in ("old", "new"):
        keys = runs[name][0].keys()
        print(f"median {name} " + " ".join(f"{k} {statistics.median(r[k] for r in runs[name]):.0f}" for k in keys), flush=True)


if __name__ == "__main__":
    main()
