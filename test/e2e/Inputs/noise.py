#!/usr/bin/env python3
"""Checks the noisy inputs a denoising model's `aec predict` wrote.

Usage: noise.py PREDICTIONS IDX SCALE SIGMA LOW HIGH OUTPUT METRICS

PREDICTIONS is predictions.safetensors, holding "x (noisy)" (what the layers
read) and OUTPUT (the reconstructions); IDX the gzip'd IDX file of the clean
images, scaled by SCALE; the corruption was gaussian(SIGMA) clip(LOW, HIGH).
Prints, and exits 1 unless each holds:
  - every noisy value lies in [LOW, HIGH];
  - every noisy value is within 6 SIGMA of its clean pixel (the in-graph
    Box-Muller draws at most about 5.8 standard deviations in f32);
  - noise was drawn: over the pixels the clip left alone, the deviation from
    the clean pixel has a standard deviation near SIGMA;
  - the mean squared error of OUTPUT against the clean images equals the
    last val_loss of METRICS (training's metrics.csv) to 1e-6 relative, so
    predict read the noise evaluate did (another draw moves it by far more).
"""

import csv
import gzip
import math
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors  # noqa: E402


def floats(entry):
    dtype, shape, raw = entry
    if dtype != "F32":
        raise SystemExit("noise.py: expected F32, got %s" % dtype)
    return shape, struct.unpack("<%df" % (len(raw) // 4), raw)


def number(text):
    """A float from "0.5" or a fraction such as "1/255"."""
    top, _, bottom = text.partition("/")
    return float(top) / (float(bottom) if bottom else 1.0)


def clean_images(path, count, size, scale):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    header = 4 + 4 * dims
    pixels = data[header:header + count * size]
    return [p * scale for p in pixels]


def main(argv):
    if len(argv) != 9:
        print(__doc__, file=sys.stderr)
        return 2
    pred, idx, output, metrics = argv[1], argv[2], argv[7], argv[8]
    scale, sigma, low, high = (number(v) for v in argv[3:7])
    _, tensors = safetensors.load(pred)
    shape, noisy = floats(tensors["x (noisy)"])
    _, recon = floats(tensors[output])
    count, size = shape[0], len(noisy) // shape[0]
    clean = clean_images(idx, count, size, scale)
    ok = True

    outside = sum(1 for v in noisy if not low <= v <= high)
    far = sum(1 for v, c in zip(noisy, clean) if abs(v - c) > 6 * sigma)
    inner = [v - c for v, c in zip(noisy, clean) if low < v < high]
    spread = math.sqrt(sum(d * d for d in inner) / len(inner))
    print("x (noisy): %d x %d values, %d outside [%g, %g], %d beyond 6 sigma"
          % (count, size, outside, low, high, far))
    ok &= outside == 0 and far == 0
    # Clipping removes the tails, so the deviation of the unclipped values
    # sits a little below sigma; no noise at all would give 0.
    near = 0.5 * sigma < spread <= 1.05 * sigma
    print("unclipped deviation %.3f is %s sigma %g" % (
        spread, "near" if near else "NOT near", sigma))
    ok &= near

    mse = sum((r - c) ** 2 for r, c in zip(recon, clean)) / len(clean)
    with open(metrics) as f:
        logged = float(list(csv.DictReader(f))[-1]["val_loss"])
    same = abs(mse - logged) <= 1e-6 * logged
    print("%s mse %.8f %s the val_loss %.8f" % (
        output, mse, "matches" if same else "does NOT match", logged))
    ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
