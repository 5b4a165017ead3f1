#!/usr/bin/env python3
"""Benchmarks the controller of the built distribution from outside (HTTP and processes).

Prints one line per workload, `name value unit`, as issue 08 defines them (built-in node only,
until remote agents exist):
  W1  start to ready: process start until /ready answers 200 (fresh home, then existing home)
  W2  idle RSS of the controller 5 s after ready
  W3  one build of 100 sequential `sh 'true'` steps, trigger to completion
  W4  50 builds of `echo hi` triggered at once (2 executors), until all complete
  W5  one build running `seq 1 6000000` (~47 MB of log), until complete and the log read whole
  W6  20 builds of `sleep 5` at once (20 executors), until all complete; and peak RSS
  L1  100 server-sent-event followers of one running build (a line every 100 ms for 6 s): the
      controller's OS threads and heap before they connect and while they follow, and the time
      from the build's end until every follower has its end event
Usage: scripts/bench/server.py [--gantry PATH] [--only W1,W3]
"""
import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

# Every controller the benchmarks start gets this admin password; requests sign in with HTTP Basic
# (the server remembers a verified password for minutes, so bcrypt is paid once, not per request).
ADMIN_PASSWORD = "bench-admin-password"
AUTH = "Basic " + base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()


def status_field(pid, name):
    """A number from /proc/PID/status (VmRSS in kB, Threads, ...); 0 when the field is missing."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


def rss_kb(pid):
    return status_field(pid, "VmRSS")


class Server:
    def __init__(self, gantry, home, executors, port=0, auth=AUTH):
        self.start = time.monotonic()
        self.auth = auth
        self.log = open(home.rstrip("/") + ".out", "a")
        self.proc = subprocess.Popen([gantry, "server", "--home", home, "--port", str(port), "--executors", str(executors)],
                                     stdout=subprocess.PIPE, stderr=self.log, text=True,
                                     env=dict(os.environ, GANTRY_ADMIN_PASSWORD=ADMIN_PASSWORD))
        self.base = None
        for line in self.proc.stdout:
            m = re.search(r"ready at (http://\S+/)", line)
            if m:
                self.base = m.group(1)
                break
        if not self.base:
            sys.exit("the controller did not start")
        while True:
            try:
                if urllib.request.urlopen(self.base + "ready").status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.005)
        self.ready_after = time.monotonic() - self.start
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for _ in self.proc.stdout:
            pass

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base + path, data=data, method=method, headers={"Content-Type": "application/json", "Authorization": self.auth})
        with urllib.request.urlopen(req) as r:
            raw = r.read()
            return json.loads(raw) if raw and r.headers.get("Content-Type", "").startswith("application/json") else raw

    def token(self):
        """A new API token of the admin's, as `Authorization` header (kept in the home: it works after a restart).

        Scripts and monitors sign in with a token (SHA-256, checked at once); a password is checked
        with bcrypt (deliberately slow, ~0.1 s on a cold JVM), once per process and then remembered.
        """
        return "Bearer " + self.call("POST", "api/v1/users/admin/tokens", {"name": "bench"})["token"]

    def job(self, name, script):
        self.call("PUT", f"api/v1/jobs/{name}", {"script": script})

    def trigger(self, name):
        return self.call("POST", f"api/v1/jobs/{name}/builds", {})["number"]

    def wait(self, name, number):
        while True:
            b = self.call("GET", f"api/v1/jobs/{name}/builds/{number}")
            if b["status"] == "COMPLETED":
                return b
            time.sleep(0.01)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(60)
        self.log.close()


def os_threads(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def heap_mb(s):
    text = s.call("GET", "metrics").decode()
    m = re.search(r'^jvm_memory_used_bytes\{area="heap"\} (\S+)', text, re.M)
    return float(m.group(1)) / 1e6 if m else -1


def follow(base, job, number, out):
    """Reads the build's event stream until its end event; records when it came and how many log bytes."""
    import http.client
    import urllib.parse
    u = urllib.parse.urlparse(base)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    c.request("GET", f"/api/v1/jobs/{job}/builds/{number}/log/stream", headers={"Accept": "text/event-stream", "Authorization": AUTH})
    r = c.getresponse()
    events = 0
    for line in r:
        if line.startswith(b"id:"):
            events += 1
        if line.startswith(b"event: end"):
            out.append((time.monotonic(), events))
            break
    c.close()


def followers_benchmark(s, n):
    s.job("l1", pipeline("sh 'for i in $(seq 1 60); do echo line $i; sleep 0.1; done'"))
    time.sleep(1)
    threads_idle = os_threads(s.proc.pid)
    heap_idle = heap_mb(s)
    number = s.trigger("l1")
    done = []
    workers = [threading.Thread(target=follow, args=(s.base, "l1", number, done), daemon=True) for _ in range(n)]
    for w in workers:
        w.start()
        time.sleep(0.01)  # arriving 10 ms apart; a burst of simultaneous connects grows Jetty's pool for a minute
    time.sleep(2)
    threads_following = os_threads(s.proc.pid)
    heap_following = heap_mb(s)
    b = s.wait("l1", number)
    ended = time.monotonic()
    for w in workers:
        w.join(120)
    last = max(t for t, _ in done) if done else float("nan")
    print(f"L1-{n}-sse-followers threads {threads_idle} -> {threads_following}, heap {heap_idle:.0f} -> {heap_following:.0f} MB, "
          f"{len(done)}/{n} got the end event within {(last - ended) * 1000:.0f} ms of completion ({b['result']}), "
          f"~{sum(e for _, e in done) // max(1, len(done))} events each")


def pipeline(steps):
    return "pipeline { agent any\n stages { stage('S') { steps {\n" + steps + "\n } } } }\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default="distribution/target/gantry/bin/gantry")
    ap.add_argument("--only", default="W1,W2,W3,W4,W5,W6,L1")
    ap.add_argument("--followers", type=int, default=100)
    args = ap.parse_args()
    gantry = os.path.abspath(args.gantry)
    only = set(args.only.split(","))
    tmp = tempfile.mkdtemp(prefix="gantry-bench-")
    try:
        home = os.path.join(tmp, "home")
        s = Server(gantry, home, 2)
        if "W1" in only:
            print(f"W1-start-to-ready-fresh-home {s.ready_after * 1000:.0f} ms")
        time.sleep(5)
        if "W2" in only:
            print(f"W2-idle-rss {rss_kb(s.proc.pid) / 1024:.0f} MB")
        if "W3" in only:
            s.job("w3", pipeline("\n".join(["sh 'true'"] * 100)))
            t = time.monotonic()
            b = s.wait("w3", s.trigger("w3"))
            print(f"W3-100-sh-steps {(time.monotonic() - t) * 1000:.0f} ms ({b['result']})")
        if "W4" in only:
            s.job("w4", pipeline("echo 'hi'"))
            t = time.monotonic()
            numbers = [s.trigger("w4") for _ in range(50)]
            for n in numbers:
                s.wait("w4", n)
            print(f"W4-50-echo-builds {(time.monotonic() - t) * 1000:.0f} ms")
        if "W5" in only:
            s.job("w5", pipeline("sh 'seq 1 6000000'"))
            t = time.monotonic()
            n = s.trigger("w5")
            s.wait("w5", n)
            log = s.call("GET", f"api/v1/jobs/w5/builds/{n}/log")
            print(f"W5-47MB-log {(time.monotonic() - t) * 1000:.0f} ms (log {len(log) / 1e6:.1f} MB)")
        if "L1" in only:
            followers_benchmark(s, args.followers)
        s.stop()
        s = Server(gantry, home, 2)
        if "W1" in only:
            print(f"W1-start-to-ready-existing-home {s.ready_after * 1000:.0f} ms")
        s.stop()
        if "W6" in only:
            s = Server(gantry, os.path.join(tmp, "home6"), 20)
            s.job("w6", pipeline("sh 'sleep 5'"))
            peak = [0]
            done = threading.Event()

            def sample():
                while not done.is_set():
                    peak[0] = max(peak[0], rss_kb(s.proc.pid))
                    time.sleep(0.05)
            threading.Thread(target=sample, daemon=True).start()
            t = time.monotonic()
            numbers = [s.trigger("w6") for _ in range(20)]
            for n in numbers:
                s.wait("w6", n)
            done.set()
            print(f"W6-20-sleep-5-builds {(time.monotonic() - t) * 1000:.0f} ms (peak RSS {peak[0] / 1024:.0f} MB)")
            s.stop()
    finally:
        if os.environ.get("KEEP") is None:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept", tmp)


if __name__ == "__main__":
    main()
