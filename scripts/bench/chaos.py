#!/usr/bin/env python3
"""Chaos test of durability (issue 07; not part of the default test run): --builds (200) builds on
--agents (4) `gantry agent` processes while the controller is killed (kill -9) --controller-kills
(10) times and agents --agent-kills (10) times, at random moments; every killed process is started
again at once. Then it reports, each of which must be 0:

  builds lost            triggered builds that never completed (missing, or still QUEUED/RUNNING
                         at the end)
  results differing      builds whose result differs from the job's result in a run without faults
  log lines lost         output lines a completed build's final attempt must show, missing from its log
  log lines duplicated   step output lines that appear more than once in a log
  steps run twice        step side effects (a marker each step appends to a file, per build, per
                         attempt of its retry) that happened twice, split into builds that never
                         resumed and builds that resumed after a controller kill (both must be 0):
                         a step that was running on an agent when the controller died is re-attached
                         to (it goes on there, and is not run again), or, when its agent was killed
                         too, fails as that agent gone offline, so that its retry runs a new attempt
                         (see docs/reliability.md); a step that had completed must not run again.

The jobs: each step `sh` appends a marker and prints a line; steps run on the agents inside
`retry(count: 5, conditions: [agent()])`, so that a killed agent costs a retry, not the build
(the markers name the attempt, so a retry's new attempt is not a step run twice). Shapes: five
sequential steps; two parallel branches of three steps; a sleep between steps; one job that fails
by design (its expected result is FAILURE).

Usage: scripts/bench/chaos.py [--gantry PATH] [--builds N] [--agents N] [--controller-kills N]
                              [--agent-kills N] [--duration SECONDS] [--lease SECONDS] [--seed N] [--keep]
"""
import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from server import ADMIN_PASSWORD, AUTH  # noqa: E402

MARK = "$COUNTS/${env.JOB_NAME}-${env.BUILD_NUMBER}"

JOBS = {
    # name: (script, expected result, the output lines of a successful final attempt, by step)
    "seq": ("""
def attempt = 0
retry(count: 5, conditions: [agent()]) {
  attempt++
  node('work') {
    for (int i = 1; i <= 5; i++) {
      sh "echo seq-$i-a$attempt >> %s; echo out-seq-$i; sleep 0.3"
    }
  }
}
""" % MARK, "SUCCESS", ["out-seq-%d" % i for i in range(1, 6)]),
    "par": ("""
parallel(
  left: {
    def attempt = 0
    retry(count: 5, conditions: [agent()]) {
      attempt++
      node('work') { for (int i = 1; i <= 3; i++) { sh "echo left-$i-a$attempt >> %s; echo out-left-$i; sleep 0.2" } }
    }
  },
  right: {
    def attempt = 0
    retry(count: 5, conditions: [agent()]) {
      attempt++
      node('work') { for (int i = 1; i <= 3; i++) { sh "echo right-$i-a$attempt >> %s; echo out-right-$i; sleep 0.2" } }
    }
  }
)
""" % (MARK, MARK), "SUCCESS", ["out-left-%d" % i for i in range(1, 4)] + ["out-right-%d" % i for i in range(1, 4)]),
    "nap": ("""
def attempt = 0
retry(count: 5, conditions: [agent()]) {
  attempt++
  node('work') { sh "echo nap-1-a$attempt >> %s; echo out-nap-1" }
}
sleep 2
echo 'out-nap-slept'
retry(count: 5, conditions: [agent()]) {
  attempt++
  node('work') { sh "echo nap-2-a$attempt >> %s; echo out-nap-2" }
}
""" % (MARK, MARK), "SUCCESS", ["out-nap-1", "out-nap-slept", "out-nap-2"]),
    "fails": ("""
def attempt = 0
retry(count: 5, conditions: [agent()]) {
  attempt++
  node('work') { sh "echo fails-1-a$attempt >> %s; echo out-fails-1" }
}
retry(count: 5, conditions: [agent()]) {
  node { sh 'echo out-fails-2; exit 3' }
}
""" % MARK, "FAILURE", ["out-fails-1", "out-fails-2"]),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    def __init__(self, gantry, tmp, lease, env):
        self.gantry, self.tmp, self.lease, self.env = gantry, tmp, lease, env
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.server = None
        self.agents = {}
        self.lock = threading.Lock()
        self.server_starts = 0

    def start_server(self):
        self.server_starts += 1
        out = open(os.path.join(self.tmp, f"server-{self.server_starts}.out"), "w")
        self.server = subprocess.Popen([self.gantry, "server", "--home", os.path.join(self.tmp, "home"), "--port", str(self.port),
                                        "--executors", "4", "--agent-lease", str(self.lease)],
                                       stdout=out, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(self.base + "ready", timeout=2).status == 200:
                    return
            except OSError:
                pass
            if self.server.poll() is not None:
                sys.exit(f"the controller exited; see {out.name}")
            time.sleep(0.1)
        sys.exit("the controller did not get ready")

    def kill_server(self):
        self.server.kill()
        self.server.wait()

    def call(self, method, path, body=None, tries=600):
        data = None if body is None else json.dumps(body).encode()
        for _ in range(tries):
            try:
                req = urllib.request.Request(self.base + path, data=data, method=method,
                                             headers={"Content-Type": "application/json", "Authorization": AUTH})
                with urllib.request.urlopen(req, timeout=30) as r:
                    raw = r.read()
                    return json.loads(raw) if r.headers.get("Content-Type", "").startswith("application/json") else raw.decode()
            except urllib.error.HTTPError as e:
                if e.code < 500:
                    raise
            except OSError:
                pass
            time.sleep(0.2)  # the controller is down (being killed and restarted): try again
        raise RuntimeError(f"{method} {path}: the controller did not answer")

    def start_agent(self, name):
        secret_file = os.path.join(self.tmp, name + ".secret")
        out = open(os.path.join(self.tmp, f"agent-{name}.out"), "a")
        p = subprocess.Popen([self.gantry, "agent", "--url", self.base, "--name", name, "--secret-file", secret_file,
                              "--workdir", os.path.join(self.tmp, "agent-" + name), "--max-backoff", "1"],
                             stdout=out, stderr=subprocess.STDOUT, env=self.env)
        self.agents[name] = p

    def kill_agent(self, name):
        p = self.agents[name]
        for child in children(p.pid):
            try:
                os.kill(child, 9)
            except OSError:
                pass
        p.kill()
        p.wait()


def children(pid):
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    except OSError:
        return []
    return [int(x) for x in out] + [g for c in out for g in children(int(c))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default=os.path.join(os.path.dirname(__file__), "../../distribution/target/gantry/bin/gantry"))
    ap.add_argument("--builds", type=int, default=200)
    ap.add_argument("--agents", type=int, default=4)
    ap.add_argument("--controller-kills", type=int, default=10)
    ap.add_argument("--agent-kills", type=int, default=10)
    ap.add_argument("--duration", type=float, default=300, help="seconds over which builds are triggered and kills happen")
    ap.add_argument("--lease", type=float, default=5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    tmp = tempfile.mkdtemp(prefix="gantry-chaos-")
    counts = os.path.join(tmp, "counts")
    os.makedirs(counts)
    env = dict(os.environ, COUNTS=counts)
    env["GANTRY_ADMIN_PASSWORD"] = ADMIN_PASSWORD
    c = Cluster(os.path.abspath(a.gantry), tmp, a.lease, env)
    c.start_server()
    names = [f"chaos-{i}" for i in range(1, a.agents + 1)]
    for n in names:
        secret = c.call("POST", "api/v1/agents", {"name": n, "labels": ["work"], "executors": 2})["secret"]
        with open(os.path.join(tmp, n + ".secret"), "w") as f:
            f.write(secret)
        c.start_agent(n)
    for job, (script, _, _) in JOBS.items():
        c.call("PUT", f"api/v1/jobs/{job}", {"script": script})

    # The schedule: builds evenly over the duration, kills at random moments within it.
    events = [(a.duration * i / a.builds, "build", list(JOBS)[i % len(JOBS)]) for i in range(a.builds)]
    events += [(rnd.uniform(0.05, 0.95) * a.duration, "kill-controller", None) for _ in range(a.controller_kills)]
    events += [(rnd.uniform(0.05, 0.95) * a.duration, "kill-agent", rnd.choice(names)) for _ in range(a.agent_kills)]
    events.sort(key=lambda e: e[0])
    triggered = []
    t0 = time.monotonic()
    for at, kind, what in events:
        time.sleep(max(0.0, at - (time.monotonic() - t0)))
        if kind == "build":
            triggered.append((what, c.call("POST", f"api/v1/jobs/{what}/builds", {})["number"]))
        elif kind == "kill-controller":
            print(f"{time.monotonic() - t0:7.1f} s  kill -9 controller ({len(triggered)} builds triggered)", flush=True)
            c.kill_server()
            c.start_server()
        else:
            print(f"{time.monotonic() - t0:7.1f} s  kill -9 agent {what}", flush=True)
            c.kill_agent(what)
            c.start_agent(what)

    # Wait for every build to end (a stuck one counts as lost).
    deadline = time.monotonic() + max(600, a.duration)
    pending = list(triggered)
    final = {}
    while pending and time.monotonic() < deadline:
        still = []
        for job, n in pending:
            try:
                b = c.call("GET", f"api/v1/jobs/{job}/builds/{n}", tries=50)
            except urllib.error.HTTPError:
                b = None
            if b is not None and b.get("status") == "COMPLETED":
                final[(job, n)] = b
            else:
                still.append((job, n))
        pending = still
        if pending:
            time.sleep(1)

    lost = len(pending)
    resumed = set()
    for f in os.listdir(tmp):
        if f.startswith("server-"):
            for m in re.finditer(r"resuming (\S+) #(\d+) from its journal", open(os.path.join(tmp, f)).read()):
                resumed.add((m.group(1), int(m.group(2))))
    differing, lines_lost, lines_dup, twice, inflight_again = [], 0, 0, 0, 0
    details = []
    for (job, n), b in sorted(final.items()):
        _, expected, out_lines = JOBS[job]
        if b["result"] != expected:
            differing.append(f"{job} #{n}: {b['result']} (expected {expected})")
        log = c.call("GET", f"api/v1/jobs/{job}/builds/{n}/log")
        log_lines = [re.sub(r"^\[[^\]]*\] ", "", l) for l in log.splitlines()]
        for want in out_lines:
            k = log_lines.count(want)
            if k == 0 and b["result"] == expected:
                lines_lost += 1
                details.append(f"{job} #{n}: '{want}' missing from the log")
        marker_file = os.path.join(counts, f"{job}-{n}")
        markers = open(marker_file).read().split() if os.path.exists(marker_file) else []
        ran = {m: markers.count(m) for m in set(markers)}
        for m, k in ran.items():
            if k > 1:
                if (job, n) in resumed:
                    inflight_again += k - 1
                else:
                    twice += k - 1
                details.append(f"{job} #{n}: step {m} ran {k} times" + (" (the build resumed after a controller kill)" if (job, n) in resumed else ""))
        attempts = max([int(m.rsplit("-a", 1)[1]) for m in markers] or [1])
        for l in set(log_lines):
            # A retried attempt (its agent died) prints its lines again legitimately: at most once per attempt.
            if l.startswith("out-") and log_lines.count(l) > max(attempts, 1):
                lines_dup += log_lines.count(l) - max(attempts, 1)
                details.append(f"{job} #{n}: '{l}' appears {log_lines.count(l)} times in {attempts} attempt(s)")
    print()
    print(f"builds triggered        {len(triggered)}")
    print(f"controller kills        {a.controller_kills}, agent kills {a.agent_kills}, over {a.duration:.0f} s")
    print(f"builds lost             {lost}")
    print(f"results differing       {len(differing)}")
    print(f"log lines lost          {lines_lost}")
    print(f"log lines duplicated    {lines_dup}")
    print(f"steps run twice         {twice}   (in builds that never resumed)")
    print(f"  in resumed builds     {inflight_again}   (a step running on an agent when the controller died is re-attached, or fails"
          " as its agent gone offline when that died too: never run again as the same attempt; see docs/reliability.md)")
    print(f"builds resumed          {len(resumed)}")
    for d in differing[:20] + details[:40]:
        print("  " + d)
    for job, n in pending[:20]:
        print(f"  lost: {job} #{n}")
    c.kill_server()
    for n in names:
        c.kill_agent(n)
    if a.keep:
        print("kept", tmp)
    else:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
