#!/usr/bin/env python3
"""Where the CPU of a controller and one `gantry agent` goes, by thread (issue 08, W1 and W3).

  w1  both JVMs started together on an existing home (as the harness's W1): per start, the time
      until the agent is online, the controller's ready time, and the CPU each process used by
      then; after the rounds, the CPU by thread name, averaged over the rounds after the first
      (the first start of a new set of options trains its class archive).
  w3  one controller and agent, a job of 100 `sh 'true'` steps pinned to the agent: the wall and
      CPU time of its first build and of two more, by thread name.

CPU comes from /proc/PID/stat and /proc/PID/task/*/stat (threads that ended are in the process
figure only). Thread names lose their numbers, so a pool's threads add up under one name.

Usage: scripts/bench/cpu.py w1|w3 [--gantry PATH] [--rounds N] [--controller-opts OPTS] [--agent-opts OPTS]
"""
import argparse
import collections
import os
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from server import Server  # noqa: E402
from harness import register, agent_process, wait_online, pinned, run_all  # noqa: E402
from agents import stop_all  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def process_cpu_ms(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / TICK


def thread_cpu_ms(pid):
    out = collections.Counter()
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            raw = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError:
            continue  # the thread ended meanwhile
        name = raw[raw.index("(") + 1:raw.rindex(")")].rstrip("0123456789 #-")
        fields = raw.rsplit(")", 1)[1].split()
        out[name] += (int(fields[11]) + int(fields[12])) * 1000 / TICK
    return out


def by_thread(counter, divide=1, top=8):
    return ", ".join(f"{name} {ms / divide:.0f}" for name, ms in counter.most_common(top) if ms > 0)


def start_pair(gantry, tmp, home, port, agent_opts, auth):
    agent = agent_process(gantry, f"http://127.0.0.1:{port}/", tmp, "w2", {"GANTRY_JAVA_OPTS": agent_opts})
    return agent, Server(gantry, home, 1, port=port, auth=auth)


def w1(gantry, tmp, home, rounds, agent_opts, auth):
    rows = []
    threads = {"controller": collections.Counter(), "agent": collections.Counter()}
    for r in range(rounds + 1):
        t0 = time.monotonic()
        agent, s = start_pair(gantry, tmp, home, 18931, agent_opts, auth)
        ready = s.ready_after + s.start - t0
        wait_online(s, ["w2"])
        online = time.monotonic() - t0
        c, a = process_cpu_ms(s.proc.pid), process_cpu_ms(agent.pid)
        ct, at = thread_cpu_ms(s.proc.pid), thread_cpu_ms(agent.pid)
        stop_all([agent])
        s.stop()
        print(f"start {r}{' (trains the archives)' if r == 0 else ''}: agent online after {online * 1000:.0f} ms, controller ready "
              f"after {ready * 1000:.0f} ms; CPU controller {c:.0f} ms, agent {a:.0f} ms; load {os.getloadavg()[0]:.1f}", flush=True)
        if r:
            rows.append((online, ready, c, a))
            threads["controller"].update(ct)
            threads["agent"].update(at)
    print(f"median of {rounds}: W1 {statistics.median(x[0] for x in rows) * 1000:.0f} ms, ready "
          f"{statistics.median(x[1] for x in rows) * 1000:.0f} ms, CPU controller {statistics.median(x[2] for x in rows):.0f} ms, "
          f"agent {statistics.median(x[3] for x in rows):.0f} ms")
    for who, t in threads.items():
        print(f"  {who} by thread (ms, mean): {by_thread(t, rounds, 10)}")


def w3(gantry, tmp, home, agent_opts, auth):
    agent, s = start_pair(gantry, tmp, home, 18932, agent_opts, auth)
    try:
        wait_online(s, ["w2"])
        time.sleep(5)
        s.job("w3", pinned("w2", "\n".join(["sh 'true'"] * 100)))
        for label in ["first", "second", "third"]:
            pids = {"controller": s.proc.pid, "agent": agent.pid}
            before = {w: (process_cpu_ms(p), thread_cpu_ms(p)) for w, p in pids.items()}
            wall = run_all(s, "w3", 1)
            print(f"{label} build: {wall * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}")
            for who, pid in pids.items():
                threads = thread_cpu_ms(pid)
                threads.subtract(before[who][1])
                print(f"  {who} CPU {process_cpu_ms(pid) - before[who][0]:.0f} ms: {by_thread(threads)}")
    finally:
        stop_all([agent])
        s.stop()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["w1", "w3"])
    ap.add_argument("--gantry", default=os.path.join(ROOT, "distribution", "target", "gantry", "bin", "gantry"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--controller-opts", default="", help="GANTRY_JAVA_OPTS of the controller")
    ap.add_argument("--agent-opts", default="", help="GANTRY_JAVA_OPTS of the agent")
    args = ap.parse_args()
    os.environ["GANTRY_JAVA_OPTS"] = args.controller_opts  # Server passes os.environ on
    tmp = tempfile.mkdtemp(prefix="gantry-cpu-")
    home = os.path.join(tmp, "home")
    s = Server(os.path.abspath(args.gantry), home, 1)
    register(s, tmp, "w2", ["w2"], 2)
    auth = s.token()  # the harness signs in with an API token (see harness.py)
    s.stop()
    if args.what == "w1":
        w1(os.path.abspath(args.gantry), tmp, home, args.rounds, args.agent_opts, auth)
    else:
        w3(os.path.abspath(args.gantry), tmp, home, args.agent_opts, auth)


if __name__ == "__main__":
    main()
