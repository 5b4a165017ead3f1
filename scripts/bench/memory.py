#!/usr/bin/env python3
"""Where the resident memory of a controller and one `gantry agent` goes (issue 08, W2 and W6).

Starts a controller and one agent on loopback as the harness does (jobs pinned to the agent),
with Native Memory Tracking on in both (`-XX:NativeMemoryTracking=summary`, which itself costs a
few MB: the RSS it prints is a little above the harness's), and prints for each process at each
point: RSS split by kind of mapping (from /proc/PID/smaps: the AOT/CDS archive, other files, the
Java heap, other anonymous memory), NMT's committed memory per category, and the OS thread count.

Points: idle 5 s after ready, 30 s after ready (has the idle figure settled?), right after a W3
build (100 `sh 'true'`), and 20 s after that build.

Usage: scripts/bench/memory.py [--gantry PATH] [--controller-opts OPTS] [--agent-opts OPTS] [--no-nmt] [--points idle5,idle30,w3,w5w6]
       scripts/bench/memory.py --ab NAME=GANTRY|CONTROLLER_OPTS|AGENT_OPTS|AGENT_ENV ... [--rounds N]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
from server import Server, rss_kb, status_field  # noqa: E402
from harness import register, agent_process, wait_online, pinned, run_all  # noqa: E402
from agents import stop_all  # noqa: E402


def java_home_of(pid):
    exe = os.readlink(f"/proc/{pid}/exe")
    return os.path.dirname(os.path.dirname(exe))


def smaps(pid):
    """RSS in kB per kind of mapping."""
    kinds = {}
    name = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                parts = line.split()
                path = parts[5] if len(parts) > 5 else ""
                if path.endswith((".aot", ".jsa")):
                    name = "archive"
                elif path.endswith(".so") or ".so." in path:
                    name = "libs"
                elif path.endswith(".jar") or path.endswith("/modules"):
                    name = "jars"
                elif path.startswith("["):
                    name = path
                elif path:
                    name = "files"
                else:
                    name = "anon"
            elif line.startswith("Rss:"):
                kinds[name] = kinds.get(name, 0) + int(line.split()[1])
    return kinds


def nmt(pid):
    jcmd = os.path.join(java_home_of(pid), "bin", "jcmd")
    text = subprocess.run([jcmd, str(pid), "VM.native_memory", "summary", "scale=KB"], capture_output=True, text=True).stdout
    out = {}
    for m in re.finditer(r"^-\s+(.+?) \(reserved=(\d+)KB, committed=(\d+)KB", text, re.M):
        out[m.group(1).strip()] = int(m.group(3))
    m = re.search(r"Total: reserved=\d+KB, committed=(\d+)KB", text)
    if m:
        out["Total"] = int(m.group(1))
    return out


def report(label, pids, with_nmt):
    for who, pid in pids.items():
        rss = rss_kb(pid) / 1024
        kinds = smaps(pid)
        print(f"{label} {who} rss {rss:.1f} MB threads {status_field(pid, 'Threads')}", flush=True)
        print("   smaps: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]) if v > 512))
        # JDK 25.0.3 crashes in VM.native_memory when the process is an AOT training run (no
        # archive mapped: FileMapInfo::readonly_total on null): skip NMT for those.
        if with_nmt and "archive" not in kinds:
            print("   nmt: skipped (no class archive mapped: a training run)")
        elif with_nmt:
            n = nmt(pid)
            print("   nmt committed: " + ", ".join(f"{k} {v / 1024:.1f}" for k, v in n.items() if v > 512), flush=True)


def env_with(opts, extra_env):
    env = dict(os.environ, **extra_env)
    env["GANTRY_JAVA_OPTS"] = (os.environ.get("GANTRY_JAVA_OPTS", "") + " " + opts).strip()
    return env


def run_pair(gantry, points, with_nmt, controller_opts="", agent_opts="", agent_env=None, quiet=False):
    """One controller and one agent; returns {point: {who: rss MB}} and prints the reports."""
    nmt_opt = " -XX:NativeMemoryTracking=summary" if with_nmt else ""
    c_env = env_with(controller_opts + nmt_opt, {})
    a_env = env_with(agent_opts + nmt_opt, agent_env or {})
    tmp = tempfile.mkdtemp(prefix="gantry-memory-")
    home = os.path.join(tmp, "home")
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(c_env)  # Server passes os.environ on
    try:
        s = Server(gantry, home, 1)
        register(s, tmp, "w2", ["w2"], 2)
        s.stop()
        agent = agent_process(gantry, "http://127.0.0.1:18912/", tmp, "w2", a_env)
        s = Server(gantry, home, 1, port=18912)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    got = {}
    try:
        wait_online(s, ["w2"])
        t0 = time.monotonic()
        pids = {"controller": s.proc.pid, "agent": agent.pid}
        got["load"] = os.getloadavg()[0]

        def take(label):
            got[label] = {who: rss_kb(pid) / 1024 for who, pid in pids.items()}
            if not quiet:
                report(label, pids, with_nmt)
        if "idle5" in points:
            time.sleep(max(0, t0 + 5 - time.monotonic()))
            take("idle5")
        if "idle30" in points:
            time.sleep(max(0, t0 + 30 - time.monotonic()))
            take("idle30")
        if "w3" in points:
            s.job("w3", pinned("w2", "\n".join(["sh 'true'"] * 100)))
            got["w3ms"] = run_all(s, "w3", 1) * 1000
            got["w3warm"] = run_all(s, "w3", 1) * 1000
            take("w3")
            time.sleep(20)
            take("w3+20")
        if "w5w6" in points:
            # As in a full harness run: W5 (47 MB of log) and then W6's 20 `sleep 5` builds on a
            # second agent with 20 executors; the snapshot is taken 3 s into W6, when all run.
            s.job("w5", pinned("w2", "sh 'seq 1 6000000'"))
            s.wait("w5", s.trigger("w5"))
            take("w5")
            register(s, tmp, "w20", ["w20"], 20)
            extra = agent_process(gantry, s.base, tmp, "w20", a_env)
            try:
                wait_online(s, ["w20"])
                s.job("w6", pinned("w20", "sh 'sleep 5'"))
                numbers = [s.trigger("w6") for _ in range(20)]
                time.sleep(3)
                take("w6")
                for n in numbers:
                    s.wait("w6", n)
            finally:
                stop_all([extra])
    finally:
        stop_all([agent])
        s.stop()
        if os.environ.get("KEEP") is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp, file=sys.stderr)
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(ROOT, "distribution", "target", "gantry", "bin", "gantry"))
    ap.add_argument("--controller-opts", default="", help="added to GANTRY_JAVA_OPTS of the controller")
    ap.add_argument("--agent-opts", default="", help="added to GANTRY_JAVA_OPTS of the agent")
    ap.add_argument("--no-nmt", action="store_true")
    ap.add_argument("--points", default="idle5,idle30,w3")
    ap.add_argument("--ab", nargs="*", metavar="NAME=GANTRY[|CONTROLLER_OPTS[|AGENT_OPTS[|AGENT_ENV]]]",
                    help="interleaved A/B: per round each configuration in turn, RSS only (no NMT)")
    ap.add_argument("--rounds", type=int, default=3, help="the first round trains the archives: discard it")
    args = ap.parse_args()
    points = args.points.split(",")
    if not args.ab:
        print(f"# load average {os.getloadavg()[0]:.1f}", flush=True)
        got = run_pair(os.path.abspath(args.gantry), points, not args.no_nmt, args.controller_opts, args.agent_opts)
        if "w3ms" in got:
            print(f"# W3 first build {got['w3ms']:.0f} ms, second {got['w3warm']:.0f} ms", flush=True)
        print(f"# load average {os.getloadavg()[0]:.1f}", flush=True)
        return
    configs = []
    for spec in args.ab:
        name, rest = spec.split("=", 1)
        parts = rest.split("|") + ["", "", ""]
        env = dict(kv.split("=", 1) for kv in parts[3].split() if "=" in kv)
        configs.append((name, os.path.abspath(parts[0]), parts[1], parts[2], env))
    # Each configuration keeps its class archives in a cache of its own: the launcher keeps only
    # the three newest archives of a kind per cache, so configurations sharing one would evict
    # each other's and measure training runs.
    caches = os.environ.get("GANTRY_CACHE") or tempfile.mkdtemp(prefix="gantry-memory-cache-")
    for r in range(args.rounds):
        for name, gantry, c_opts, a_opts, env in configs:
            os.environ["GANTRY_CACHE"] = os.path.join(caches, name)
            g = run_pair(gantry, points, False, c_opts, a_opts, env, quiet=True)
            cells = [f"load {g['load']:.1f}"]
            for p in points:
                if p in g:
                    cells.append(f"{p} {g[p]['controller']:.0f}+{g[p]['agent']:.0f}={g[p]['controller'] + g[p]['agent']:.0f}")
            if "w3ms" in g:
                cells.append(f"W3 {g['w3ms']:.0f}/{g['w3warm']:.0f} ms")
            print(f"round {r} {name}: " + ", ".join(cells), flush=True)


if __name__ == "__main__":
    main()
