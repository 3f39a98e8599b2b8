#!/usr/bin/env python3
"""Inputs and projection of bench/SCALING.md: data-parallel training on N
machines, each like this one.

Measured here, per example model, at the batch size of its file:
  - the gradient buffers one step sums over the processes (bytes, buckets),
    and their allreduce on this machine (`mpirun -np 2 aec train`, shared
    memory), with the part of it the step waited for after its backward
    pass (the rest overlapped the backward pass);
  - the compute time of one training step on one process at the local
    batch of each N (the file's batch / N, N = 1, 2, 4, ..., 64): `aec train
    --batch b`, the median over epochs 2-4 of an epoch's seconds / steps.

Projected from them, for N = 2 ... 64 machines on 10 and 100 Gbit/s links,
each bucket's allreduce the faster of the two algorithms MPI libraries
choose between by size:
  ring               2 (N-1) latency + 2 (N-1)/N * bytes / bandwidth
  recursive doubling log2(N) (latency + bytes / bandwidth)
  step(N)     = compute(batch / N)
                + max(0, allreduce(N) - overlap * compute(batch / N))
  speed-up(N) = compute(batch) / step(N)   (global batch fixed, as aec does)
with the assumptions printed beside the table (bench/SCALING.md explains
them).

Usage: python3 bench/scaling.py [--json OUT]
       python3 bench/scaling.py --markdown JSON   (SCALING.md's tables)
"""

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import peerlib  # noqa: E402

ROOT = peerlib.ROOT
AEC = os.path.join(ROOT, "build", "bin", "aec")

MODELS = ["dense_ae", "deep_ae", "multitask", "conv_ae", "conv_denoise", "vae"]
PROCESSES = [1, 2, 4, 8, 16, 32, 64]
# Links: bandwidth an allreduce gets (bytes/s, 90 % of the line rate) and
# the latency of one message (s): TCP on 10 Gbit/s Ethernet, RDMA
# (InfiniBand or RoCE) on 100 Gbit/s.
LINKS = {"10 Gbit/s": (0.9 * 10e9 / 8, 20e-6), "100 Gbit/s": (0.9 * 100e9 / 8, 5e-6)}
# The share of a step's compute that the allreduce can overlap: the backward
# pass after its first bucket is ready, about half of a step (forward, then
# a backward of twice its cost, whose first bucket is ready early).
OVERLAP = 0.5


run = peerlib.run_checked


def file_batch(model):
    text = open(os.path.join(ROOT, "examples", model + ".aenet")).read()
    return int(re.search(r"^\s*batch\s+(\d+)", text, re.M).group(1))


def step_seconds(model, batch, folder):
    """Compute seconds per training step at |batch| on one process."""
    steps = 40
    out = os.path.join(folder, "%s-%d" % (model, batch))
    run([AEC, "train", os.path.join(ROOT, "examples", model + ".aenet"),
         "--batch", str(batch), "--limit", str(steps * batch), "--epochs",
         "4", "--seed", "1", "--out", out, "--overwrite"])
    rows = open(os.path.join(out, "metrics.csv")).read().splitlines()
    header = rows[0].split(",")
    seconds = [float(r.split(",")[header.index("seconds")]) for r in rows[2:]]
    return statistics.median(seconds) / steps


def exchange(model, batch, folder):
    """(KiB per step, buckets, allreduce ms, waited ms) of `mpirun -np 2`."""
    mpirun = ["mpirun", "--oversubscribe", "-np", "2"]
    if os.geteuid() == 0:
        mpirun.append("--allow-run-as-root")
    text = run(mpirun + [
        AEC, "train", os.path.join(ROOT, "examples", model + ".aenet"),
        "--limit", str(60 * batch), "--epochs", "3", "--seed", "1", "--out",
        os.path.join(folder, model + "-mpi"), "--overwrite"])
    m = re.search(r"Gradients summed over 2 processes: ([\d.]+) KiB in (\d+) "
                  r"buckets? per step, ([\d.]+) ms per step in allreduce, of "
                  r"which the step waited ([\d.]+) ms", text)
    if not m:
        sys.exit("no exchange line in:\n" + text)
    return float(m.group(1)), int(m.group(2)), float(m.group(3)), float(m.group(4))


def allreduce_seconds(n, nbytes, bandwidth, latency):
    """One allreduce of |nbytes| over |n| machines: the faster algorithm."""
    ring = 2 * (n - 1) * latency + 2 * (n - 1) / n * nbytes / bandwidth
    doubling = math.log2(n) * (latency + nbytes / bandwidth)
    return min(ring, doubling)


def project(compute, batch, kib, buckets):
    """Per link: speed-up and efficiency per N. |compute| maps a local batch
    to the seconds of a step; the gradients are |buckets| equal buckets."""
    table = {}
    for link, (bandwidth, latency) in LINKS.items():
        rows = []
        for n in PROCESSES[1:]:
            local = batch // n
            c = compute[local]
            allreduce = buckets * allreduce_seconds(
                n, kib * 1024 / buckets, bandwidth, latency)
            step = c + max(0.0, allreduce - OVERLAP * c)
            speedup = compute[batch] / step
            rows.append({"n": n, "local_batch": local, "compute_ms": 1e3 * c,
                         "allreduce_ms": 1e3 * allreduce,
                         "step_ms": 1e3 * step, "speedup": speedup,
                         "efficiency": speedup / n})
        table[link] = rows
    return table


def markdown(path):
    """SCALING.md's tables from a --json file."""
    data = json.load(open(path))
    models = data["models"]
    # The projection again, from the measured inputs: the model may change
    # without measuring again.
    for m in models.values():
        compute = {int(b): ms / 1e3 for b, ms in m["compute_ms"].items()}
        m["projection"] = project(compute, m["batch"], m["kib"], m["buckets"])
    print("| model | batch | gradients (KiB) | buckets | allreduce here, 2 "
          "processes (ms) | of it after the backward pass (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, m in models.items():
        print("| %s | %d | %.1f | %d | %.3f | %.3f |" % (
            name, m["batch"], m["kib"], m["buckets"], m["shm_allreduce_ms"],
            m["shm_waited_ms"]))
    print()
    sizes = sorted({int(b) for m in models.values() for b in m["compute_ms"]},
                   reverse=True)
    print("| model | " + " | ".join("b=%d" % b for b in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for name, m in models.items():
        print("| %s | " % name + " | ".join(
            "%.2f" % m["compute_ms"][str(b)] if str(b) in m["compute_ms"]
            else "" for b in sizes) + " |")
    for link in data["links"]:
        print()
        print("%s: speed-up (efficiency)" % link)
        print()
        ns = [row["n"] for row in next(iter(models.values()))["projection"][link]]
        print("| model | " + " | ".join("N=%d" % n for n in ns) + " |")
        print("|---|" + "---:|" * len(ns))
        for name, m in models.items():
            print("| %s | " % name + " | ".join(
                "%.1fx (%d%%)" % (row["speedup"], round(100 * row["efficiency"]))
                for row in m["projection"][link]) + " |")
    print()
    print("| model | " + " | ".join(
        "%s: most machines at >= 50%% (samples each)" % link
        for link in data["links"]) + " |")
    print("|---|" + "---:|" * len(data["links"]))
    for name, m in models.items():
        cells = []
        for link in data["links"]:
            good = [row for row in m["projection"][link]
                    if row["efficiency"] >= 0.5]
            best = good[-1] if good else None
            cells.append("%d (%d)" % (best["n"], best["local_batch"])
                         if best else "1 (%d)" % m["batch"])
        print("| %s | " % name + " | ".join(cells) + " |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the measurements here too")
    parser.add_argument("--markdown", metavar="JSON",
                        help="print SCALING.md's tables from a --json file")
    args = parser.parse_args()
    if args.markdown:
        return markdown(args.markdown)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for model in MODELS:
            batch = file_batch(model)
            compute = {}
            for n in PROCESSES:
                local = max(1, batch // n)
                compute[local] = step_seconds(model, local, folder)
            kib, buckets, allreduce, waited = exchange(model, batch, folder)
            results[model] = {
                "batch": batch, "kib": kib, "buckets": buckets,
                "shm_allreduce_ms": allreduce, "shm_waited_ms": waited,
                "compute_ms": {str(b): 1e3 * s for b, s in compute.items()},
                "projection": project(compute, batch, kib, buckets)}
            print("%-13s batch %4d  %8.1f KiB in %d bucket(s)  shm allreduce "
                  "%.3f ms (waited %.3f)  step %s" % (
                      model, batch, kib, buckets, allreduce, waited,
                      " ".join("b%d=%.2fms" % (b, 1e3 * s)
                               for b, s in sorted(compute.items(),
                                                  reverse=True))),
                  flush=True)
    for model, r in results.items():
        for link, rows in r["projection"].items():
            print("%-13s %-10s " % (model, link) + "  ".join(
                "N=%d %.1fx (%.0f%%)" % (row["n"], row["speedup"],
                                         100 * row["efficiency"])
                for row in rows))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"links": {k: {"bytes_per_s": v[0], "latency_s": v[1]}
                                 for k, v in LINKS.items()},
                       "overlap": OVERLAP, "models": results}, f, indent=1)


if __name__ == "__main__":
    main()
