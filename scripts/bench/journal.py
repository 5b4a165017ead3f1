#!/usr/bin/env python3
"""Measures what the step journal costs: one build of a 1,000-step pipeline on the built-in node
with journaling on (the default), off, and fsync, each on its own fresh controller of the built
distribution (the mode is the system property gantry.journal, given through GANTRY_JAVA_OPTS;
`off` exists for this benchmark only: such builds cannot resume).

Each round starts one controller per mode, one after the other (so that a change of the machine's
load hits every mode alike); per controller and workload --warmup builds, then --runs builds one
after another. Figures: the build's own duration as the API reports it (durationMillis), median
and min over all rounds; and the controller process's CPU time (user + system, /proc) per measured
build, median over rounds, which a loaded machine distorts far less than wall-clock time. Workloads:
  echo   node { for (i in 0..<1000) { echo "step $i" } }     the cheapest step: the worst case
  sh     node { for (i in 0..<200) { sh 'true' } }           a process per step: the usual case
  agent  node('bench') { ... 200 x sh 'true' ... }            with --agent: on a `gantry agent` process
                                                             (its launch records, see reliability.md);
                                                             the CPU figure is the controller's only

Usage: scripts/bench/journal.py [--gantry PATH] [--rounds N] [--runs N] [--warmup N] [--modes off,on,fsync] [--agent]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Server  # noqa: E402

WORKLOADS = {
    "echo": 'node { for (int i = 0; i < 1000; i++) { echo "step $i" } }',
    "sh": "node { for (int i = 0; i < 200; i++) { sh 'true' } }",
}
AGENT_WORKLOAD = "node('bench') { for (int i = 0; i < 200; i++) { sh 'true' } }"


def start_agent(gantry, s, tmp):
    """Registers agent `bench` on controller s and starts a `gantry agent` process for it; waits until it is online."""
    secret = s.call("POST", "api/v1/agents", {"name": "bench", "labels": ["bench"], "executors": 1})["secret"]
    secret_file = os.path.join(tmp, "bench.secret")
    with open(secret_file, "w") as f:
        f.write(secret)
    out = open(os.path.join(tmp, "agent.out"), "w")
    p = subprocess.Popen([gantry, "agent", "--url", s.base, "--name", "bench", "--secret-file", secret_file,
                          "--workdir", os.path.join(tmp, "agent")], stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if any(a["name"] == "bench" and a.get("online") for a in s.call("GET", "api/v1/agents")):
            return p
        time.sleep(0.1)
    sys.exit("the bench agent did not come online; see " + out.name)


def cpu_ms(pid):
    """CPU time (user + system) the process used so far, in ms (from /proc; 10 ms ticks)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def measure(gantry, mode, runs, warmup, agent=False):
    tmp = tempfile.mkdtemp(prefix="gantry-journal-bench-")
    old = os.environ.get("GANTRY_JAVA_OPTS")
    os.environ["GANTRY_JAVA_OPTS"] = ((old or "") + " -Dgantry.journal=" + mode).strip()
    try:
        s = Server(gantry, os.path.join(tmp, "home"), 1)
    finally:
        if old is None:
            del os.environ["GANTRY_JAVA_OPTS"]
        else:
            os.environ["GANTRY_JAVA_OPTS"] = old
    out = {}
    agent_proc = None
    try:
        workloads = dict(WORKLOADS)
        if agent:
            agent_proc = start_agent(gantry, s, tmp)
            workloads["agent"] = AGENT_WORKLOAD
        for name, script in workloads.items():
            s.job(name, script)
            times = []
            for i in range(warmup + runs):
                if i == warmup:
                    cpu0 = cpu_ms(s.proc.pid)
                b = s.wait(name, s.trigger(name))
                if b["result"] != "SUCCESS":
                    sys.exit(f"{name} ended {b['result']} with journal={mode}")
                if i >= warmup:
                    times.append(b["durationMillis"])
            out[name] = (times, (cpu_ms(s.proc.pid) - cpu0) / runs)
    finally:
        if agent_proc is not None:
            agent_proc.terminate()
            agent_proc.wait(60)
        s.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(os.path.dirname(__file__), "../../distribution/target/gantry/bin/gantry"))
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--modes", default="off,on,fsync")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--agent", action="store_true", help="also the agent workload, on a `gantry agent` process")
    a = ap.parse_args()
    modes = a.modes.split(",")
    names = list(WORKLOADS) + (["agent"] if a.agent else [])
    results = {m: {w: [] for w in names} for m in modes}
    cpu = {m: {w: [] for w in names} for m in modes}
    for r in range(a.rounds):
        for m in modes:
            for w, (times, cpu_per_build) in measure(a.gantry, m, a.runs, a.warmup, a.agent).items():
                results[m][w].extend(times)
                cpu[m][w].append(cpu_per_build)
            print(f"round {r + 1}: {m} done", file=sys.stderr, flush=True)
    print(f"{'workload':8} {'journal':7} {'median ms':>10} {'min ms':>8} {'vs off':>8} {'CPU ms/build':>13} {'vs off':>8}")
    for w in names:
        base = statistics.median(results["off"][w]) if "off" in results else None
        base_cpu = statistics.median(cpu["off"][w]) if "off" in cpu else None
        for m, r in results.items():
            med = statistics.median(r[w])
            c = statistics.median(cpu[m][w])
            rel = f"{(med / base - 1) * 100:+.1f}%" if base else ""
            rel_cpu = f"{(c / base_cpu - 1) * 100:+.1f}%" if base_cpu else ""
            print(f"{w:8} {m:7} {med:10.0f} {min(r[w]):8.0f} {rel:>8} {c:13.0f} {rel_cpu:>8}")


if __name__ == "__main__":
    main()
