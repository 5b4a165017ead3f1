#!/usr/bin/env python3
"""Benchmarks builds on remote agents of the built distribution, from outside (HTTP and processes).

  A1  one controller and one `gantry agent` process over loopback HTTP: one build of 100 sequential
      `sh 'true'` steps on the agent, trigger to completion (median of --runs builds after one
      warm-up build); the same on the built-in agent for comparison
  A2  queue-to-process-start latency with --agents (50) real `gantry agent` processes connected,
      each a JVM started with GANTRY_JAVA_OPTS=--agent-java-opts (small heap, C1 only, so 50 fit on
      a small machine). One job per agent, pinned by the agent's name as label, whose only step is
      `sh 'date +%s%N'`; --builds (100) builds triggered one after another, round robin over the
      agents, after one warm-up build per agent and --settle (30) seconds of rest. Latency = the nanosecond timestamp the step prints
      minus the wall-clock time just before the trigger request (same machine, same clock): the
      queue, placement, the task's long-poll answer, the agent's process start. p50, p99, max.
  A3  the controller's extra heap for --idle-agents (200) idle connected agents: live heap after a
      full GC (jcmd GC.class_histogram total, and GC.run + GC.heap_info used) on a fresh controller
      with 0 agents, then with the agents registered and connected. The agents are NOT `gantry
      agent` JVMs (200 do not fit here) but a lightweight stand-in, Python threads speaking the real
      protocol of docs/agent-protocol.md: POST connect (the handshake), a long poll kept parked
      (POST poll?wait=60000, renewed at once when it answers), POST heartbeat every
      heartbeatMillis. The controller cannot tell them from real idle agents.
Usage: scripts/bench/agents.py [--gantry PATH] [--only A1,A2,A3] [--runs N] [--agents N] [--builds N]
                               [--idle-agents N] [--settle SECONDS] [--agent-java-opts OPTS]
"""
import argparse
import http.client
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import Server, rss_kb  # noqa: E402

STEPS = "\n".join("    sh 'true'" for _ in range(100))


def timed_build(server, job):
    t0 = time.monotonic()
    number = server.trigger(job)
    build = server.wait(job, number)
    elapsed = time.monotonic() - t0
    if build["result"] != "SUCCESS":
        sys.exit(f"{job} #{number} ended {build['result']}")
    return elapsed


def start_agent(gantry, server, tmp, name, labels, env=None):
    """Registers agent NAME and starts a `gantry agent` process for it."""
    secret = server.call("POST", "api/v1/agents", {"name": name, "labels": labels, "executors": 1})["secret"]
    secret_file = os.path.join(tmp, name + ".secret")
    with open(secret_file, "w") as f:
        f.write(secret)
    return subprocess.Popen([gantry, "agent", "--url", server.base, "--name", name, "--secret-file", secret_file,
                             "--workdir", os.path.join(tmp, "agent-" + name)],
                            stdout=open(os.path.join(tmp, name + ".out"), "w"), stderr=subprocess.STDOUT,
                            env=dict(os.environ, **(env or {})))


def wait_online(server, names, timeout, tmp):
    deadline = time.monotonic() + timeout
    while True:
        online = {a["name"] for a in server.call("GET", "api/v1/agents") if a["online"]}
        if set(names) <= online:
            return
        if time.monotonic() > deadline:
            sys.exit(f"{len(set(names) - online)} agents did not connect within {timeout} s; see their .out files in {tmp}")
        time.sleep(0.2)


def stop_all(procs):
    for p in procs:
        p.terminate()
    for p in procs:
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def a1(gantry, tmp, runs):
    server = Server(gantry, os.path.join(tmp, "home-a1"), 2)
    agent = None
    try:
        agent = start_agent(gantry, server, tmp, "bench", ["remote"])
        wait_online(server, ["bench"], 60, tmp)
        for job, label in (("remote-100", "remote"), ("builtin-100", "built-in")):
            server.job(job, f"node('{label}') {{\n{STEPS}\n}}\n")
            timed_build(server, job)  # warm-up: JIT, class loading, the workspace
            times = [timed_build(server, job) for _ in range(runs)]
            print(f"A1 {job} median {statistics.median(times) * 1000:.0f} ms "
                  f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}, {runs} builds)")
    finally:
        stop_all([agent] if agent else [])
        server.stop()


def percentile(values, p):
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]  # nearest rank


def a2(gantry, tmp, n_agents, builds, java_opts, settle):
    server = Server(gantry, os.path.join(tmp, "home-a2"), 2)
    agents = []
    try:
        names = [f"a2-{i:02d}" for i in range(n_agents)]
        t0 = time.monotonic()
        for name in names:
            agents.append(start_agent(gantry, server, tmp, name, ["fleet"], {"GANTRY_JAVA_OPTS": java_opts}))
        wait_online(server, names, 300, tmp)
        connected = time.monotonic() - t0
        for name in names:
            server.job(name, f"node('{name}') {{\n  sh 'date +%s%N'\n}}\n")

        def latency(job):
            t = time.time_ns()
            number = server.trigger(job)
            b = server.wait(job, number)
            if b["result"] != "SUCCESS":
                sys.exit(f"{job} #{number} ended {b['result']}")
            log = server.call("GET", f"api/v1/jobs/{job}/builds/{number}/log")
            log = log.decode() if isinstance(log, bytes) else json.dumps(log)
            m = re.search(r"^(\d{19})\s*$", log, re.M)
            if not m:
                sys.exit(f"no timestamp in the log of {job} #{number}:\n{log}")
            return (int(m.group(1)) - t) / 1e6

        for name in names:
            latency(name)  # warm-up: each agent's first task, its workspace
        time.sleep(settle)  # the start-up of 50 JVMs is over: measure the connected fleet, not its start
        load = os.getloadavg()[0]
        lat = [latency(names[i % n_agents]) for i in range(builds)]
        rss = sum(rss_kb(p.pid) for p in agents if p.poll() is None) / 1024
        print(f"A2 queue-to-process-start with {n_agents} agents connected ({connected:.0f} s to connect all; "
              f"agents' RSS {rss:.0f} MB in all): p50 {percentile(lat, 50):.1f} ms, p99 {percentile(lat, 99):.1f} ms, "
              f"min {min(lat):.1f}, max {max(lat):.1f} ({builds} builds, one after another, round robin; "
              f"load average {load:.1f} before them)")
    finally:
        stop_all(agents)
        server.stop()


def jcmd_path():
    here = os.path.dirname(os.path.abspath(__file__))
    jdk = subprocess.run([os.path.join(here, "..", "find-jdk"), "javac"], capture_output=True, text=True).stdout.strip()
    return os.path.join(jdk, "bin", "jcmd")


def live_heap_mb(jcmd, pid):
    """Live heap after a full GC: (class histogram total, heap used right after GC.run), in MB."""
    hist = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"^Total\s+\d+\s+(\d+)", hist, re.M).group(1)) / 1e6
    subprocess.run([jcmd, str(pid), "GC.run"], capture_output=True, check=True)
    info = subprocess.run([jcmd, str(pid), "GC.heap_info"], capture_output=True, text=True, check=True).stdout
    used = sum(int(k) for k in re.findall(r"total \d+K, used (\d+)K", info)) / 1024  # every generation
    return total, used


class StandInAgent:
    """An idle agent speaking protocol 1 over HTTP: the handshake, a parked long poll, heartbeats."""

    def __init__(self, base, name, secret):
        self.u = urllib.parse.urlparse(base)
        self.name = name
        self.headers = {"X-Gantry-Agent": name, "Authorization": "Bearer " + secret, "Content-Type": "application/json"}
        self.stopped = threading.Event()
        self.errors = 0

    def call(self, conn, path, body):
        h = dict(self.headers, **{"X-Gantry-Call": str(uuid.uuid4())})
        conn.request("POST", "/api/agent/v1/" + path, json.dumps(body).encode(), h)
        r = conn.getresponse()
        data = r.read()
        if r.status != 200:
            raise RuntimeError(f"{self.name}: {path} answered {r.status} {data[:200]!r}")
        return json.loads(data)

    def connect(self):
        c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=30)
        hello = self.call(c, "connect", {"protocol": 3, "instance": str(uuid.uuid4()), "labels": [], "executors": None,
                                         "version": "bench-stand-in", "os": "Linux", "arch": "amd64",
                                         "workdir": "/nonexistent/stand-in", "freeDiskBytes": 1 << 40, "environment": {}})
        c.close()
        self.headers["X-Gantry-Session"] = hello["session"]
        self.heartbeat_s = hello["heartbeatMillis"] / 1000
        threading.Thread(target=self.poll_loop, daemon=True).start()
        threading.Thread(target=self.heartbeat_loop, daemon=True).start()

    def poll_loop(self):
        c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=90)
        while not self.stopped.is_set():
            try:
                self.call(c, "poll?wait=60000", {"known": []})
            except Exception:
                self.errors += 1
                c.close()
                self.stopped.wait(1)

    def heartbeat_loop(self):
        c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=30)
        while not self.stopped.wait(self.heartbeat_s):
            try:
                self.call(c, "heartbeat", {"running": [], "freeDiskBytes": 1 << 40})
            except Exception:
                self.errors += 1
                c.close()

    def disconnect(self):
        self.stopped.set()
        try:
            c = http.client.HTTPConnection(self.u.hostname, self.u.port, timeout=10)
            self.call(c, "disconnect", {})
            c.close()
        except Exception:
            pass


def a3(gantry, tmp, n):
    jcmd = jcmd_path()
    server = Server(gantry, os.path.join(tmp, "home-a3"), 2)
    agents = []
    try:
        time.sleep(5)  # let start-up work settle
        base_hist, base_used = live_heap_mb(jcmd, server.proc.pid)
        rss0 = rss_kb(server.proc.pid) / 1024
        threads0 = len(os.listdir(f"/proc/{server.proc.pid}/task"))
        for i in range(n):
            name = f"idle-{i:03d}"
            secret = server.call("POST", "api/v1/agents", {"name": name, "labels": ["idle"], "executors": 1})["secret"]
            a = StandInAgent(server.base, name, secret)
            a.connect()
            agents.append(a)
        online = sum(1 for a in server.call("GET", "api/v1/agents") if a["online"])
        time.sleep(2 * agents[0].heartbeat_s + 1)  # every agent has heartbeated and re-parked its poll
        load = os.getloadavg()[0]
        hist, used = live_heap_mb(jcmd, server.proc.pid)
        rss = rss_kb(server.proc.pid) / 1024
        threads = len(os.listdir(f"/proc/{server.proc.pid}/task"))
        errors = sum(a.errors for a in agents)
        print(f"A3 controller live heap with 0 -> {n} idle connected agents ({online} online, {errors} call errors): "
              f"class histogram {base_hist:.1f} -> {hist:.1f} MB (+{hist - base_hist:.1f} MB, "
              f"{(hist - base_hist) * 1e3 / n:.1f} KB per agent); after GC.run {base_used:.1f} -> {used:.1f} MB "
              f"(+{used - base_used:.1f} MB); RSS {rss0:.0f} -> {rss:.0f} MB; OS threads {threads0} -> {threads}; load average {load:.1f}")
    finally:
        for a in agents:
            a.disconnect()
        server.stop()


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(here, "..", "..", "distribution", "target", "gantry", "bin", "gantry"))
    ap.add_argument("--only", default="A1,A2,A3")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--agents", type=int, default=50)
    ap.add_argument("--builds", type=int, default=100)
    ap.add_argument("--idle-agents", type=int, default=200)
    ap.add_argument("--settle", type=float, default=30, help="seconds between the warm-up and the A2 builds")
    ap.add_argument("--agent-java-opts", default="-Xmx64m -XX:TieredStopAtLevel=1")
    args = ap.parse_args()
    gantry = os.path.abspath(args.gantry)
    only = set(args.only.split(","))
    tmp = tempfile.mkdtemp(prefix="gantry-bench-agents-")
    try:
        if "A1" in only:
            a1(gantry, tmp, args.runs)
        if "A2" in only:
            a2(gantry, tmp, args.agents, args.builds, args.agent_java_opts, args.settle)
        if "A3" in only:
            a3(gantry, tmp, args.idle_agents)
    finally:
        if os.environ.get("KEEP") is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp)


if __name__ == "__main__":
    main()
