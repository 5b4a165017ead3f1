#!/usr/bin/env python3
"""The standard workloads of issue 08, W1 to W9, against the built distribution, from outside.

Prints one line per figure on standard output, `name value unit`, and what each line means and
under which load it was taken on standard error. A controller and one `gantry agent` process on
loopback (the agent is what runs the builds: jobs are pinned to it by label), as the peer
engine's figures were taken with a master and a worker:

  W1  start to ready: process start of controller and agent (started together) until /ready
      answers 200 and the agent is online; also the controller alone on a fresh home, where the
      built-in agent is online at ready
  W2  idle RSS of controller plus agent, 5 s after ready
  W3  one build of 100 sequential `sh 'true'` steps on the agent, trigger to completion (the
      job's first build, as a user's first push; a warm median follows in W3-warm)
  W4  50 builds of `echo hi` triggered at once, the agent with 2 executors, until all complete
  W5  one build running `seq 1 6000000` (~47 MB of log) until complete and the log read whole
  W6  20 builds of `sleep 5` at once on an agent with 20 executors, until all complete; and the
      controller's peak RSS during them
  W7  1,000 concurrent builds of `sleep 60` on 10 agents (100 executors each), the controller
      started with -Xmx512m (--w7-controller-opts): its peak used heap, its CPU during the run,
      and dispatch latency (trigger request to the step's first output, a timestamp the step
      prints) p50 and p99
  W8  API latency with 10,000 builds in history (scripts/bench/api-latency)
  W9  1,000 `echo` steps through `gantry run` minus a one-step pipeline (scripts/bench/cli.py)

Usage: scripts/bench/run [--only W1,W3,...] [--w7-builds N] [--w7-agents N] [--no-build]
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from server import Server, rss_kb, heap_mb  # noqa: E402
from agents import percentile, stop_all  # noqa: E402


def out(name, value, unit, note=""):
    print(f"{name} {value} {unit}", flush=True)
    if note:
        print(f"  {name}: {note}", file=sys.stderr, flush=True)


def load():
    return f"load average {os.getloadavg()[0]:.1f}"


def register(server, tmp, name, labels, executors):
    secret = server.call("POST", "api/v1/agents", {"name": name, "labels": labels, "executors": executors})["secret"]
    path = os.path.join(tmp, name + ".secret")
    with open(path, "w") as f:
        f.write(secret)
    return path


def agent_process(gantry, base, tmp, name, env=None):
    return subprocess.Popen([gantry, "agent", "--url", base, "--name", name, "--secret-file", os.path.join(tmp, name + ".secret"),
                             "--workdir", os.path.join(tmp, "agent-" + name), "--max-backoff", "1"],
                            stdout=open(os.path.join(tmp, name + ".out"), "a"), stderr=subprocess.STDOUT,
                            env=dict(os.environ, **(env or {})))


def online(server, names):
    return set(names) <= {a["name"] for a in server.call("GET", "api/v1/agents") if a["online"]}


def wait_online(server, names, timeout=120):
    deadline = time.monotonic() + timeout
    while not online(server, names):
        if time.monotonic() > deadline:
            sys.exit(f"agents {names} did not come online within {timeout} s")
        time.sleep(0.005)


def pinned(label, steps):
    return "pipeline { agent { label '" + label + "' }\n stages { stage('S') { steps {\n" + steps + "\n } } } }\n"


def run_all(server, job, count):
    t = time.monotonic()
    numbers = [server.trigger(job) for _ in range(count)]
    results = [server.wait(job, n)["result"] for n in numbers]
    elapsed = time.monotonic() - t
    bad = [r for r in results if r != "SUCCESS"]
    if bad:
        sys.exit(f"{job}: {len(bad)} of {count} builds did not succeed: {bad[:3]}")
    return elapsed


def controller_workloads(gantry, tmp, only):
    home = os.path.join(tmp, "home")
    if "W1" in only:
        s = Server(gantry, os.path.join(tmp, "home-fresh"), 2)
        out("W1-builtin-agent-fresh-home", f"{s.ready_after * 1000:.0f}", "ms", f"controller alone, new home; {load()}")
        s.stop()
    # Register the agents once, then start controller and agent together on that (existing) home.
    s = Server(gantry, home, 1)
    register(s, tmp, "w2", ["w2"], 2)
    register(s, tmp, "w20", ["w20"], 20)
    # W1 ends when the harness sees the agent online through the API: with an API token, as a
    # script would ask, not with the admin's password, whose first check on a new process is a
    # bcrypt hash on a cold JVM (~0.1 s inside W1's time). BENCH_AUTH=password for the old way.
    auth = s.token() if os.environ.get("BENCH_AUTH", "token") == "token" else s.auth
    s.stop()
    t0 = time.monotonic()
    agent = agent_process(gantry, "http://127.0.0.1:18911/", tmp, "w2")
    s = Server(gantry, home, 1, port=18911, auth=auth)
    wait_online(s, ["w2"])
    w1 = time.monotonic() - t0
    procs = [agent]
    try:
        if "W1" in only:
            out("W1", f"{w1 * 1000:.0f}", "ms", f"controller and agent started together, existing home; controller ready after "
                f"{(s.ready_after + s.start - t0) * 1000:.0f} ms; {load()}")
        time.sleep(5)
        if "W2" in only:
            c, a = rss_kb(s.proc.pid) / 1024, rss_kb(agent.pid) / 1024
            out("W2", f"{c + a:.0f}", "MB", f"controller {c:.0f} MB + agent {a:.0f} MB, 5 s after ready")
        if "W3" in only:
            s.job("w3", pinned("w2", "\n".join(["sh 'true'"] * 100)))
            out("W3", f"{run_all(s, 'w3', 1) * 1000:.0f}", "ms", f"first build of the job; {load()}")
            warm = [run_all(s, "w3", 1) for _ in range(5)]
            out("W3-warm", f"{statistics.median(warm) * 1000:.0f}", "ms", f"median of 5 further builds; {load()}")
        if "W4" in only:
            s.job("w4", pinned("w2", "echo 'hi'"))
            out("W4", f"{run_all(s, 'w4', 50) * 1000:.0f}", "ms", load())
        if "W5" in only:
            s.job("w5", pinned("w2", "sh 'seq 1 6000000'"))
            t = time.monotonic()
            n = s.trigger("w5")
            s.wait("w5", n)
            size = len(s.call("GET", f"api/v1/jobs/w5/builds/{n}/log"))
            out("W5", f"{(time.monotonic() - t) * 1000:.0f}", "ms", f"log {size / 1e6:.1f} MB read whole; {load()}")
        if "W6" in only:
            procs.append(agent_process(gantry, s.base, tmp, "w20"))
            wait_online(s, ["w20"])
            s.job("w6", pinned("w20", "sh 'sleep 5'"))
            peak = [0]
            done = threading.Event()

            def sample():
                while not done.is_set():
                    peak[0] = max(peak[0], rss_kb(s.proc.pid))
                    time.sleep(0.05)
            threading.Thread(target=sample, daemon=True).start()
            elapsed = run_all(s, "w6", 20)
            done.set()
            out("W6", f"{elapsed * 1000:.0f}", "ms", load())
            out("W6-peak-rss", f"{peak[0] / 1024:.0f}", "MB", "the controller's, sampled every 50 ms")
    finally:
        stop_all(procs)
        s.stop()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def w7(gantry, tmp, builds, n_agents, seconds, controller_opts):
    # The controller with the heap the target allows: W7 holds when every build completes in it.
    saved = os.environ.get("GANTRY_JAVA_OPTS")
    os.environ["GANTRY_JAVA_OPTS"] = controller_opts
    try:
        s = Server(gantry, os.path.join(tmp, "home-w7"), 1)
    finally:
        if saved is None:
            os.environ.pop("GANTRY_JAVA_OPTS", None)
        else:
            os.environ["GANTRY_JAVA_OPTS"] = saved
    per_agent = -(-builds // n_agents)
    names = [f"w7-{i}" for i in range(n_agents)]
    procs = []
    try:
        for name in names:
            register(s, tmp, name, ["w7"], per_agent)
            procs.append(agent_process(gantry, s.base, tmp, name, {"GANTRY_JAVA_OPTS": "-Xmx256m"}))
        wait_online(s, names, 300)
        s.job("w7", pinned("w7", f"sh 'date +%s%N; sleep {seconds}'"))
        run_all(s, "w7", 2)  # warm-up
        time.sleep(5)
        peak_heap = [heap_mb(s)]
        done = threading.Event()

        def sample():
            while not done.wait(0.5):
                peak_heap[0] = max(peak_heap[0], heap_mb(s))
        threading.Thread(target=sample, daemon=True).start()
        cpu0, wall0 = cpu_seconds(s.proc.pid), time.monotonic()
        triggered = []
        for _ in range(builds):
            t = time.time_ns()
            triggered.append((s.trigger("w7"), t))
        trigger_s = time.monotonic() - wall0
        for n, _ in triggered:
            s.wait("w7", n)
        wall = time.monotonic() - wall0
        cpu = cpu_seconds(s.proc.pid) - cpu0
        done.set()
        lat = []
        for n, t in triggered:
            log = s.call("GET", f"api/v1/jobs/w7/builds/{n}/log")
            log = log.decode() if isinstance(log, bytes) else str(log)
            m = re.search(r"^(\d{19})\s*$", log, re.M)
            if not m:
                sys.exit(f"w7 #{n}: no timestamp in its log:\n{log[:2000]}")
            lat.append((int(m.group(1)) - t) / 1e6)
        note = f"controller with {controller_opts}; {builds} builds of sleep {seconds} on {n_agents} agents x {per_agent} executors; triggered in {trigger_s:.1f} s, all done after {wall:.1f} s"
        out("W7-peak-heap", f"{peak_heap[0]:.0f}", "MB", note + "; used heap from /metrics every 0.5 s")
        out("W7-controller-cpu", f"{cpu / wall * 100:.0f}", "%", f"{cpu:.1f} s of CPU over {wall:.1f} s (100% = one core); {load()}")
        out("W7-dispatch-p50", f"{percentile(lat, 50):.1f}", "ms", "trigger request to the step's first output")
        out("W7-dispatch-p99", f"{percentile(lat, 99):.1f}", "ms", f"max {max(lat):.1f} ms")
    finally:
        stop_all(procs)
        s.stop()


def script_lines(cmd, pattern):
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    return re.findall(pattern, r.stdout, re.M)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(ROOT, "distribution", "target", "gantry", "bin", "gantry"))
    ap.add_argument("--only", default="W1,W2,W3,W4,W5,W6,W7,W8,W9")
    ap.add_argument("--no-build", action="store_true", help="use the distribution as built")
    ap.add_argument("--w7-builds", type=int, default=1000)
    ap.add_argument("--w7-agents", type=int, default=10)
    ap.add_argument("--w7-seconds", type=int, default=60)
    ap.add_argument("--w7-controller-opts", default="-Xmx512m", help="GANTRY_JAVA_OPTS of W7's controller (the target: a heap <= 512 MB)")
    ap.add_argument("--agent", choices=["remote", "builtin"], default="remote",
                    help="W1-W6 with a `gantry agent` process (remote) or on the controller's built-in agent (builtin)")
    args = ap.parse_args()
    only = set(args.only.split(","))
    if not args.no_build:
        subprocess.run([os.path.join(ROOT, "scripts", "mvn"), "-B", "-q", "-DskipTests", "package"], cwd=ROOT, check=True)
    gantry = os.path.abspath(args.gantry)
    print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, {load()}", file=sys.stderr)
    tmp = tempfile.mkdtemp(prefix="gantry-harness-")
    try:
        if only & {"W1", "W2", "W3", "W4", "W5", "W6"} and args.agent == "remote":
            controller_workloads(gantry, tmp, only)
        elif only & {"W1", "W2", "W3", "W4", "W5", "W6"}:
            # The built-in agent runs in the controller's process, through the same task path.
            names = {"W1-start-to-ready-fresh-home": "W1-builtin-fresh-home", "W1-start-to-ready-existing-home": "W1-builtin",
                     "W2-idle-rss": "W2-builtin", "W3-100-sh-steps": "W3-builtin", "W4-50-echo-builds": "W4-builtin",
                     "W5-47MB-log": "W5-builtin", "W6-20-sleep-5-builds": "W6-builtin"}
            for name, value, unit, rest in script_lines([sys.executable, os.path.join(HERE, "server.py"), "--gantry", gantry,
                                                         "--only", ",".join(sorted(only & {"W1", "W2", "W3", "W4", "W5", "W6"}))],
                                                        r"^(W\d-\S+) (\d+) (ms|MB)(.*)$"):
                out(names.get(name, name), value, unit, rest.strip())
                m = re.search(r"peak RSS (\d+) MB", rest)
                if m:
                    out("W6-builtin-peak-rss", m.group(1), "MB")
        if "W7" in only:
            w7(gantry, tmp, args.w7_builds, args.w7_agents, args.w7_seconds, args.w7_controller_opts)
        if "W8" in only:
            for name, p50, p99 in script_lines([os.path.join(HERE, "api-latency"), "10000", "2000"],
                                               r"(W8-[\w-]+) p50 ([\d.]+) ms, p99 ([\d.]+) ms"):
                out(name + "-p50", p50, "ms")
                out(name + "-p99", p99, "ms")
        if "W9" in only:
            for value in script_lines([sys.executable, os.path.join(HERE, "cli.py"), "--gantry", gantry, "--runs", "5"],
                                      r"^W9-echo-1000-minus-one (\d+) ms"):
                out("W9", value, "ms", "median of 5 interleaved runs")
    finally:
        if os.environ.get("KEEP") is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp, file=sys.stderr)


if __name__ == "__main__":
    main()
