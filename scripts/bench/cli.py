#!/usr/bin/env python3
"""Benchmarks `gantry run` on the built distribution (issue 01 / W9).

Prints one line per figure, `name value unit`, and the verdict against the targets:
  W9  1,000 `echo` steps minus a one-step pipeline          target <= 500 ms
  SH  200 `sh 'true'` steps minus a one-step pipeline,
      as a multiple of 200 `sh -c true` in a shell loop      target <= 3.0 x
Each figure is the median of --runs runs (default 5) after one warm-up run; the runs of the
commands are interleaved, so a change in the machine's load hits every figure alike.
Usage: scripts/bench/cli.py [--gantry PATH] [--runs N]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def pipeline(body):
    return "pipeline {\n agent any\n stages {\n  stage('Bench') {\n   steps {\n" + body + "   }\n  }\n }\n}\n"


def once(cmd):
    start = time.monotonic()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.monotonic() - start


def timed(cmds, runs):
    """Median time of each command. Runs are interleaved (one round of every command, then the
    next round) so that a change in the machine's load hits every figure alike."""
    for cmd in cmds.values():
        once(cmd)
    samples = {name: [] for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            samples[name].append(once(cmd))
    return {name: statistics.median(v) for name, v in samples.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gantry", default="distribution/target/gantry/bin/gantry")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    gantry = os.path.abspath(args.gantry)
    if not os.access(gantry, os.X_OK):
        sys.exit(f"no gantry at {gantry}: build it with scripts/mvn -DskipTests package")
    with tempfile.TemporaryDirectory(prefix="gantry-bench-") as tmp:
        files = {
            "one": pipeline("    echo 'one'\n"),
            "echo1000": pipeline("".join(f"    echo 'line {i}'\n" for i in range(1000))),
            "sh200": pipeline("    sh 'true'\n" * 200),
        }
        cmds = {}
        for name, text in files.items():
            path = os.path.join(tmp, name + ".groovy")
            with open(path, "w") as f:
                f.write(text)
            cmds[name] = [gantry, "run", path, "--workspace", os.path.join(tmp, "ws")]
        cmds["loop"] = ["sh", "-c", "i=0; while [ $i -lt 200 ]; do sh -c true; i=$((i+1)); done"]
        load_before = os.getloadavg()[0]
        t = timed(cmds, args.runs)
        load_after = os.getloadavg()[0]
        loop = t["loop"]
    w9 = (t["echo1000"] - t["one"]) * 1000
    sh_cost = t["sh200"] - t["one"]
    ratio = sh_cost / loop
    print(f"one-step-pipeline {t['one'] * 1000:.0f} ms")
    print(f"echo-1000-pipeline {t['echo1000'] * 1000:.0f} ms")
    print(f"W9-echo-1000-minus-one {w9:.0f} ms (target <= 500: {'met' if w9 <= 500 else 'MISSED'})")
    print(f"sh-200-pipeline {t['sh200'] * 1000:.0f} ms")
    print(f"shell-loop-200-sh {loop * 1000:.0f} ms")
    print(f"sh-200-cost-ratio {ratio:.2f} x (target <= 3.0: {'met' if ratio <= 3.0 else 'MISSED'})")
    print(f"load-average {load_before:.2f} before, {load_after:.2f} after (this benchmark adds about 1; more inflates the figures)")


if __name__ == "__main__":
    main()
