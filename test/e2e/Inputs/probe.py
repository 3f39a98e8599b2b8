#!/usr/bin/env python3
"""Checks the table of `aec probe` against independent computations on the
same samples (Python 3 standard library only).

Usage:
  probe.py OUTPUT TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS N MARGIN

OUTPUT is what `aec probe --limit N` printed; the four IDX files (gzip) are
the data it read, of which the first N samples of each are used. Checks:
  - chance: the table's chance is the share of the most frequent class among
    the N test labels, counted here;
  - margin: both rows (codes and pixels) score at least MARGIN above it;
  - baseline: the pixels row scores at least the accuracy of the nearest
    class mean (each test image goes to the class whose mean training image
    is nearest in Euclidean distance, pixels scaled by 1/255), computed
    here. That classifier is linear too, but not fitted to separate the
    classes, so an SVM on the same pixels that scores below it is wrong.
Prints what it found and exits 0 when all hold, 1 otherwise.

Usage:
  probe.py codes OUTPUT MARGIN
Checks only that the codes row of OUTPUT scores at least MARGIN above the
chance it printed (the full check above counts that chance independently):
a short test over many models that probe runs on each of them.
"""

import gzip
import re
import struct
import sys


def idx(path, n):
    with gzip.open(path, "rb") as f:
        magic = struct.unpack(">I", f.read(4))[0]
        rank = magic & 0xFF
        dims = struct.unpack(">" + "I" * rank, f.read(4 * rank))
        size = 1
        for d in dims[1:]:
            size *= d
        data = f.read(n * size)
    return [list(data[i * size:(i + 1) * size]) for i in range(n)]


def table(path):
    text = open(path).read()
    rows = {}
    for m in re.finditer(r"^  (codes|pixels) \(.*?\)\s+([0-9,]+)\s+"
                         r"([0-9.]+)\s+([0-9.]+)$", text, re.M):
        rows[m.group(1)] = (int(m.group(2).replace(",", "")),
                            float(m.group(3)))
    m = re.search(r"^chance \(.*\): ([0-9.]+)$", text, re.M)
    return rows, float(m.group(1)) if m else None


def nearest_mean(train_x, train_y, test_x, test_y):
    classes = sorted(set(train_y))
    size = len(train_x[0])
    means = {}
    for k in classes:
        rows = [x for x, y in zip(train_x, train_y) if y == k]
        means[k] = [sum(r[j] for r in rows) / (255.0 * len(rows))
                    for j in range(size)]
    right = 0
    for x, y in zip(test_x, test_y):
        v = [p / 255.0 for p in x]
        best = min(classes, key=lambda k: sum(
            (a - b) * (a - b) for a, b in zip(v, means[k])))
        right += best == y
    return right / len(test_y)


def main(argv):
    out, tri, trl, tei, tel, n, margin = argv[1:8]
    n, margin = int(n), float(margin)
    rows, chance = table(out)
    if set(rows) != {"codes", "pixels"} or chance is None:
        print("no codes and pixels rows and chance line in %s" % out)
        return 1
    test_y = [r[0] for r in idx(tel, n)]
    counted = max(test_y.count(k) for k in set(test_y)) / len(test_y)
    ok = abs(counted - chance) < 1e-4
    print("chance %.4f %s the %.4f counted here"
          % (chance, "is" if ok else "is NOT", counted))
    for name in ("codes", "pixels"):
        beats = rows[name][1] >= counted + margin
        ok &= beats
        print("%s accuracy %.4f %s chance + %.2f" %
              (name, rows[name][1], "beats" if beats else "does NOT beat",
               margin))
    test_x = idx(tei, n)
    train_x = idx(tri, n)
    train_y = [r[0] for r in idx(trl, n)]
    dims = len(train_x[0])
    same = rows["pixels"][0] == dims
    ok &= same
    print("pixels have %d dimensions %s the %d of an image"
          % (rows["pixels"][0], "as" if same else "NOT as", dims))
    baseline = nearest_mean(train_x, train_y, test_x, test_y)
    above = rows["pixels"][1] >= baseline
    ok &= above
    print("pixels accuracy %.4f is %s the nearest class mean's %.4f"
          % (rows["pixels"][1], "at least" if above else "BELOW", baseline))
    return 0 if ok else 1


def codes_only(out, margin):
    rows, chance = table(out)
    if "codes" not in rows or chance is None:
        print("no codes row and chance line in %s" % out)
        return 1
    beats = rows["codes"][1] >= chance + float(margin)
    print("codes accuracy %.4f %s chance %.4f + %s" %
          (rows["codes"][1], "beats" if beats else "does NOT beat", chance,
           margin))
    return 0 if beats else 1


if __name__ == "__main__":
    if sys.argv[1] == "codes":
        sys.exit(codes_only(*sys.argv[2:4]))
    sys.exit(main(sys.argv))
