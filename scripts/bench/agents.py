#!/usr/bin/env python3
"""Benchmarks builds on a remote agent of the built distribution, from outside (HTTP and processes).

Starts a controller and one `gantry agent` process (connected over loopback HTTP), then:
  A1  one build of 100 sequential `sh 'true'` steps on the agent, trigger to completion
      (median of 5 builds after one warm-up build); the same on the built-in agent for comparison
Usage: scripts/bench/agents.py [--gantry PATH] [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Server  # noqa: E402

STEPS = "\n".join("    sh 'true'" for _ in range(100))


def timed_build(server, job):
    t0 = time.monotonic()
    number = server.trigger(job)
    build = server.wait(job, number)
    elapsed = time.monotonic() - t0
    if build["result"] != "SUCCESS":
        sys.exit(f"{job} #{number} ended {build['result']}")
    return elapsed


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(here, "..", "..", "distribution", "target", "gantry", "bin", "gantry"))
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="gantry-bench-agents-")
    server = Server(args.gantry, os.path.join(tmp, "home"), 2)
    agent = None
    try:
        secret = server.call("POST", "api/v1/agents", {"name": "bench", "labels": ["remote"], "executors": 1})["secret"]
        secret_file = os.path.join(tmp, "secret")
        with open(secret_file, "w") as f:
            f.write(secret)
        agent = subprocess.Popen([args.gantry, "agent", "--url", server.base, "--name", "bench", "--secret-file", secret_file,
                                  "--workdir", os.path.join(tmp, "agent")],
                                 stdout=open(os.path.join(tmp, "agent.out"), "w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not any(a["name"] == "bench" and a["online"] for a in server.call("GET", "api/v1/agents")):
            if time.monotonic() > deadline:
                sys.exit("the agent did not connect; see " + os.path.join(tmp, "agent.out"))
            time.sleep(0.05)
        for job, label in (("remote-100", "remote"), ("builtin-100", "built-in")):
            server.job(job, f"node('{label}') {{\n{STEPS}\n}}\n")
            timed_build(server, job)  # warm-up: JIT, class loading, the workspace
            times = [timed_build(server, job) for _ in range(args.runs)]
            print(f"A1 {job} median {statistics.median(times) * 1000:.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {args.runs} builds)")
    finally:
        if agent:
            agent.terminate()
            agent.wait(30)
        server.proc.terminate()
        server.proc.wait(60)


if __name__ == "__main__":
    main()
