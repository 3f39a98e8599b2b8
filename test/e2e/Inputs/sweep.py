#!/usr/bin/env python3
"""Checks what `aec sweep` wrote against the runs it made (standard library).

Usage:
  sweep.py tables BASE METRIC
      results.csv has one row per run folder BASE/POINT/run-R that holds a
      `done` file; each row's seed is the one in `done`, its compile seconds
      are positive, its epochs, final
      values, best epoch (lowest METRIC), best value and training seconds are
      those of the run's metrics.csv; run R has one seed across points and
      different runs have different seeds. summary.md has a row per point
      with the mean and sample standard deviation of METRIC over the point's
      rows of results.csv, and marks exactly the point of the lowest mean.
  replay RUNDIR OUT -- COMMAND...
      Runs COMMAND (an `aec train` of the run's point) with the seed in
      RUNDIR/done and --out OUT, then compares the tensors of
      OUT/model.safetensors with RUNDIR/model.safetensors bit for bit.
  pictures BASE
      Every point's first run BASE/POINT/run-1 has reconstructions.safetensors
      with the same `input` images as the others, and `reconstruction` (and a
      denoiser's `noisy`) images of that shape; BASE/reconstructions.png has
      a row of inputs and a row per point (two for a denoiser), each as tall
      as a row of the runs' own reconstructions.png, and as wide.
  seeded RUNDIR -- COMMAND...
      Runs COMMAND with --seed and the seed in RUNDIR/done, its output
      dropped.

Prints what it found and exits 0 when it holds, 1 when it does not.
"""

import csv
import glob
import math
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors  # noqa: E402


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-12)


def read_metrics(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], [[float(x) for x in row] for row in rows[1:]]


def cmd_tables(base, metric):
    with open(os.path.join(base, "results.csv")) as f:
        results = list(csv.DictReader(f))
    runs = sorted(glob.glob(os.path.join(base, "*", "run-*", "done")))
    if len(results) != len(runs):
        fail("%d rows for %d finished runs" % (len(results), len(runs)))
    seeds_by_run = {}
    points = {}
    names = [c for c in results[0] if c not in ("run",)]
    params = names[:names.index("seed")]
    for row in results:
        point = ",".join("%s=%s" % (p, row[p]) for p in params) or "base"
        folder = os.path.join(base, point, "run-" + row["run"])
        with open(os.path.join(folder, "done")) as f:
            seed = f.read().split()[0]
        if not float(row["compile_seconds"]) > 0:
            fail("%s: compile_seconds %s" % (folder, row["compile_seconds"]))
        if row["seed"] != seed:
            fail("%s: seed %s, done says %s" % (folder, row["seed"], seed))
        seeds_by_run.setdefault(row["run"], set()).add(seed)
        columns, rows = read_metrics(os.path.join(folder, "metrics.csv"))
        if int(row["epochs"]) != len(rows):
            fail("%s: %s epochs, metrics.csv has %d" % (
                folder, row["epochs"], len(rows)))
        for c, value in zip(columns, rows[-1]):
            if c in ("epoch", "seconds"):
                continue
            if not close(float(row[c]), value):
                fail("%s: %s %s, metrics.csv %r" % (folder, c, row[c], value))
        k = columns.index(metric)
        best = min(range(len(rows)), key=lambda i: rows[i][k])
        if int(row["best_epoch"]) != best + 1 or not close(
                float(row["best_" + metric]), rows[best][k]):
            fail("%s: best epoch %s (%s), metrics.csv %d (%r)" % (
                folder, row["best_epoch"], row["best_" + metric], best + 1,
                rows[best][k]))
        seconds = sum(r[columns.index("seconds")] for r in rows)
        if not close(float(row["train_seconds"]), seconds):
            fail("%s: train_seconds %s, metrics.csv sums %r" % (
                folder, row["train_seconds"], seconds))
        points.setdefault(point, []).append(float(row[metric]))
    if any(len(s) != 1 for s in seeds_by_run.values()):
        fail("a run index with several seeds: %r" % seeds_by_run)
    all_seeds = [next(iter(s)) for s in seeds_by_run.values()]
    if len(set(all_seeds)) != len(all_seeds):
        fail("two run indices share a seed: %r" % seeds_by_run)

    with open(os.path.join(base, "summary.md")) as f:
        lines = [l for l in f if l.startswith("|")]
    header = [c.strip() for c in lines[0].strip().strip("|").split("|")]
    rows = [[c.strip() for c in l.strip().strip("|").split("|")]
            for l in lines[2:]]
    if len(rows) != len(points):
        fail("summary.md has %d rows for %d points" % (len(rows), len(points)))
    column = header.index(metric)
    best_point = min(points, key=lambda p: statistics.mean(points[p]))
    marked = []
    for cells in rows:
        point = ",".join("%s=%s" % (p, cells[header.index(p)])
                         for p in params) or "base"
        xs = points[point]
        text = cells[column].replace("**best**", "").strip()
        parts = [float(x) for x in text.split("±")]
        if not close(parts[0], statistics.mean(xs)):
            fail("%s: mean %s, results.csv gives %r" % (
                point, text, statistics.mean(xs)))
        if len(xs) > 1 and not math.isclose(parts[1], statistics.stdev(xs),
                                            rel_tol=1e-4, abs_tol=1e-9):
            fail("%s: std %s, results.csv gives %r" % (
                point, text, statistics.stdev(xs)))
        if "**best**" in cells[column]:
            marked.append(point)
    if marked != [best_point]:
        fail("best marked at %r, lowest mean at %s" % (marked, best_point))
    print("tables: %d runs of %d points agree with their metrics.csv; best %s"
          % (len(results), len(points), best_point))


def run_seeded(rundir, command):
    with open(os.path.join(rundir, "done")) as f:
        seed = f.read().split()[0]
    subprocess.run(command + ["--seed", seed], check=True,
                   stdout=subprocess.DEVNULL)


def cmd_replay(rundir, out, command):
    run_seeded(rundir, command + ["--out", out])
    _, a = safetensors.load(os.path.join(rundir, "model.safetensors"))
    _, b = safetensors.load(os.path.join(out, "model.safetensors"))
    if sorted(a) != sorted(b):
        fail("different tensors: %r vs %r" % (sorted(a), sorted(b)))
    differing = [n for n in a if a[n] != b[n]]
    if differing:
        fail("tensors differ: %r" % differing)
    print("replay: %d tensors equal bit for bit" % len(a))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def cmd_pictures(base):
    runs = sorted(glob.glob(os.path.join(base, "*", "run-1")))
    if not runs:
        fail("no run-1 folders in %s" % base)
    inputs = None
    rows_per_point = None
    for run in runs:
        _, t = safetensors.load(os.path.join(run, "reconstructions.safetensors"))
        if inputs is None:
            inputs = t["input"]
        elif t["input"] != inputs:
            fail("%s shows other inputs than the first point" % run)
        if t["reconstruction"][1] != inputs[1]:
            fail("%s: reconstructions of shape %r for inputs of %r" % (
                run, t["reconstruction"][1], inputs[1]))
        rows = 2 if "noisy" in t else 1
        if rows_per_point not in (None, rows):
            fail("%s: noisy images in some points and not others" % run)
        rows_per_point = rows
    # A run's own picture: input, (noisy,) reconstruction.
    own_w, own_h = png_size(os.path.join(runs[0], "reconstructions.png"))
    gap = 2
    pitch = (own_h - gap) // (rows_per_point + 1)
    want_h = gap + (1 + rows_per_point * len(runs)) * pitch
    w, h = png_size(os.path.join(base, "reconstructions.png"))
    if h != want_h:
        fail("reconstructions.png is %d pixels tall; 1 + %d x %d rows of %d "
             "make %d" % (h, len(runs), rows_per_point, pitch, want_h))
    if w < own_w:
        fail("reconstructions.png is %d wide, narrower than a run's %d" % (w, own_w))
    print("pictures: %d points, %d rows of %d pixels" % (
        len(runs), 1 + rows_per_point * len(runs), pitch))


def main(argv):
    if len(argv) >= 4 and argv[1] == "tables":
        cmd_tables(argv[2], argv[3])
    elif len(argv) >= 6 and argv[1] == "replay" and argv[4] == "--":
        cmd_replay(argv[2], argv[3], argv[5:])
    elif len(argv) == 3 and argv[1] == "pictures":
        cmd_pictures(argv[2])
    elif len(argv) >= 5 and argv[1] == "seeded" and argv[3] == "--":
        run_seeded(argv[2], argv[4:])
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
