#!/usr/bin/env python3
"""Small CSV sequence data sets for csv-sequences.test (standard library only).

Usage:
  make_sequences.py write DIR
      DIR/train.csv, DIR/val.csv: rows "id,a,b" (header "seq,a,b"), the rows
      of one sequence consecutive; DIR/train_targets.csv, DIR/val_targets.csv:
      "seq,y", one row per sequence, y the sum of column a over the sequence.
      Training sequences have 2 to 5 rows, the validation data holds one of 7
      (so the padded length, 7, comes from the validation data).
  make_sequences.py fell METRICS FACTOR
      The last epoch's loss in the metrics.csv METRICS is below FACTOR times
      the first epoch's.

Deterministic: random.Random(7).random(), whose sequence Python guarantees.
"""

import csv
import os
import random
import sys


def write(out, name, lengths, rng):
    rows, targets = ["seq,a,b"], ["seq,y"]
    for i, length in enumerate(lengths):
        seq = "%s%d" % (name, i)
        total = 0.0
        for _ in range(length):
            a, b = rng.random() - 0.5, rng.random() - 0.5
            total += round(a, 3)
            rows.append("%s,%.3f,%.3f" % (seq, a, b))
        targets.append("%s,%.3f" % (seq, total))
    for suffix, lines in (("", rows), ("_targets", targets)):
        with open(os.path.join(out, name + suffix + ".csv"), "w") as f:
            f.write("\n".join(lines) + "\n")


def fell(path, factor):
    with open(path, newline="") as f:
        losses = [float(r["loss"]) for r in csv.DictReader(f)]
    print("first loss %g, last loss %g" % (losses[0], losses[-1]))
    return 0 if losses[-1] < float(factor) * losses[0] else 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        rng = random.Random(7)
        write(sys.argv[2], "train", [2 + i % 4 for i in range(40)], rng)
        write(sys.argv[2], "val", [3, 7, 2, 4, 5, 2, 3, 4], rng)
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "fell":
        return fell(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
