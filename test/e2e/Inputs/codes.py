#!/usr/bin/env python3
"""Checks what aec encode and aec decode write (Python 3 standard library only).

Usage:
  codes.py close A B TOLERANCE
      A and B are tensors, each FILE:NAME of a safetensors file or FILE of a
      .npy file or of a .csv file (its columns but `label`, row by row):
      same number of values, none further apart than TOLERANCE.
  labels FILE[:NAME] CLASSES
      The labels tensor (or a .npy file, or a csv's `label` column) holds
      sample i's label as i % CLASSES, which make_idx.py's labels are.
  range FILE:NAME LOW HIGH
      Every value lies in [LOW, HIGH].
  grid FILE:NAME K
      The K x K codes of aec decode --grid: row i, column j is the point
      (q[j], q[K-1-i]), q the normal quantiles of K even steps from 0.05 to
      0.95 (computed here with statistics.NormalDist), within 1e-6.

Prints what it found and exits 0 when the property holds, 1 when not.
"""

import csv
import statistics
import struct
import sys

from safetensors import load, values


def read(spec):
    """The values and shape of tensor |spec| (see the usage)."""
    if spec.endswith(".npy"):
        with open(spec, "rb") as f:
            data = f.read()
        (length,) = struct.unpack("<H", data[8:10])
        header = eval(data[10:10 + length].decode("latin-1"))
        fmt = {"<f4": "f", "<i8": "q"}[header["descr"]]
        body = data[10 + length:]
        count = len(body) // struct.calcsize(fmt)
        return list(struct.unpack("<%d%s" % (count, fmt), body)), list(
            header["shape"])
    if spec.endswith(".csv"):
        with open(spec, newline="") as f:
            rows = list(csv.reader(f))
        keep = [k for k, name in enumerate(rows[0]) if name != "label"]
        out = [float(row[k]) for row in rows[1:] for k in keep]
        return out, [len(rows) - 1, len(keep)]
    path, name = spec.rsplit(":", 1)
    _, tensors = load(path)
    dtype, shape, raw = tensors[name]
    return list(values(dtype, raw)), shape


def cmd_close(a, b, tolerance):
    va, sa = read(a)
    vb, sb = read(b)
    if len(va) != len(vb):
        print("DIFFERENT: %s has %d values %s, %s %d %s" % (
            a, len(va), sa, b, len(vb), sb))
        return 1
    worst = max((abs(x - y) for x, y in zip(va, vb)), default=0.0)
    ok = worst <= float(tolerance)
    print("%s: %d values, largest difference %s %s" % (
        "close" if ok else "DIFFERENT", len(va),
        "within" if ok else "%g exceeds" % worst, tolerance))
    return 0 if ok else 1


def cmd_labels(spec, classes):
    if spec.endswith(".csv"):
        with open(spec, newline="") as f:
            got = [int(row["label"]) for row in csv.DictReader(f)]
    else:
        got = [int(v) for v in read(spec if ":" in spec or spec.endswith(
            ".npy") else spec + ":labels")[0]]
    want = [i % int(classes) for i in range(len(got))]
    ok = got == want and len(got) > 0
    print("%s: %d labels" % ("labels" if ok else "WRONG", len(got)))
    return 0 if ok else 1


def cmd_range(spec, low, high):
    v, shape = read(spec)
    bad = [x for x in v if not float(low) <= x <= float(high)]
    print("%s: %d values %s" % ("in range" if not bad else "OUT OF RANGE",
                                len(v), shape))
    return 0 if not bad else 1


def cmd_grid(spec, k):
    k = int(k)
    v, shape = read(spec)
    steps = [0.5] if k == 1 else [0.05 + 0.9 * i / (k - 1) for i in range(k)]
    q = [statistics.NormalDist().inv_cdf(p) for p in steps]
    want = [z for i in range(k) for j in range(k) for z in (q[j], q[k - 1 - i])]
    ok = shape == [k * k, 2] and all(
        abs(x - y) <= 1e-6 for x, y in zip(v, want))
    print("%s: %s" % ("grid" if ok else "NOT THE GRID", shape))
    return 0 if ok else 1


if __name__ == "__main__":
    commands = {"close": cmd_close, "labels": cmd_labels, "range": cmd_range,
                "grid": cmd_grid}
    sys.exit(commands[sys.argv[1]](*sys.argv[2:]))
