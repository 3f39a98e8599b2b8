#!/usr/bin/env python3
"""Reads the metrics.csv of aec train runs (Python 3 standard library only).

Usage:
  metrics.py rows FILE
      One line per epoch: "epoch N" then each column but seconds as
      "name value", values as written, for FileCheck.
  metrics.py same-losses A B
      The two logs have the same columns and epochs, and every value except
      the wall-clock "seconds" is the same string (so the same double).
  metrics.py close A B RTOL
      The two logs have the same columns and epochs, and every value except
      "seconds" agrees to RTOL relative (two backends, which round apart).
  metrics.py fell FILE EVAL_OUTPUT FACTOR
      The last epoch's val_loss in FILE is below FACTOR times the loss that
      `aec eval` printed ("loss X") in the text file EVAL_OUTPUT.
  metrics.py matches FILE EVAL_OUTPUT
      The last epoch's val_loss in FILE and the loss in EVAL_OUTPUT differ by
      at most 1e-4 (aec eval prints four decimals).

Prints what it found and exits 0 when the property holds, 1 when it does not.
"""

import csv
import re
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        raise SystemExit("metrics.py: %s is empty" % path)
    header, body = rows[0], rows[1:]
    return header, [dict(zip(header, r)) for r in body]


def cmd_rows(path):
    header, rows = read(path)
    if header[0] != "epoch" or header[-1] != "seconds":
        print("unexpected columns: %s" % ",".join(header))
        return 1
    for row in rows:
        float(row["seconds"])
        print("epoch %s %s" % (row["epoch"], " ".join(
            "%s %s" % (c, row[c]) for c in header[1:-1])))
    print("%d epochs" % len(rows))
    return 0


def read_pair(a, b):
    """The common header and the rows of logs |a| and |b|, or None (after
    saying why) when their columns or epochs differ."""
    header_a, rows_a = read(a)
    header_b, rows_b = read(b)
    if header_a != header_b or len(rows_a) != len(rows_b):
        print("different shapes: %s (%d rows) vs %s (%d rows)" % (
            header_a, len(rows_a), header_b, len(rows_b)))
        return None
    return header_a, rows_a, rows_b


def cmd_same_losses(a, b):
    pair = read_pair(a, b)
    if pair is None:
        return 1
    header_a, rows_a, rows_b = pair
    ok = True
    for ra, rb in zip(rows_a, rows_b):
        for column in header_a:
            if column != "seconds" and ra[column] != rb[column]:
                print("epoch %s %s: %s vs %s" % (ra["epoch"], column,
                                                 ra[column], rb[column]))
                ok = False
    print("%s: %d epochs" % ("same losses" if ok else "DIFFERENT losses",
                             len(rows_a)))
    return 0 if ok else 1


def cmd_close(a, b, rtol):
    pair = read_pair(a, b)
    if pair is None:
        return 1
    header_a, rows_a, rows_b = pair
    rtol = float(rtol)
    worst = 0.0
    for ra, rb in zip(rows_a, rows_b):
        for column in header_a:
            if column in ("epoch", "seconds"):
                continue
            x, y = float(ra[column]), float(rb[column])
            worst = max(worst, abs(x - y) / max(abs(x), abs(y), 1e-30))
    ok = worst <= rtol
    print("%s: largest relative difference %.1e over %d epochs" % (
        "close" if ok else "NOT close", worst, len(rows_a)))
    return 0 if ok else 1


def final_and_eval(path, eval_output):
    """The last val_loss of |path| and the loss printed in |eval_output|."""
    _, rows = read(path)
    if not rows:
        raise SystemExit("metrics.py: %s has no epoch" % path)
    with open(eval_output) as f:
        found = re.search(r"^\s*loss ([0-9.eE+-]+)\s*$", f.read(), re.M)
    if not found:
        raise SystemExit("metrics.py: no 'loss X' line in %s" % eval_output)
    return float(rows[-1]["val_loss"]), float(found.group(1))


def cmd_fell(path, eval_output, factor):
    final, initial = final_and_eval(path, eval_output)
    factor = float(factor)
    ok = final < factor * initial
    print("val_loss %.4f is %s %g x the initial %.4f (ratio %.2f)" % (
        final, "below" if ok else "NOT below", factor, initial,
        final / initial))
    return 0 if ok else 1


def cmd_matches(path, eval_output):
    final, printed = final_and_eval(path, eval_output)
    ok = abs(final - printed) <= 1e-4
    print("val_loss %.6f %s the eval loss %.4f" % (
        final, "matches" if ok else "does NOT match", printed))
    return 0 if ok else 1


def dispatch(commands, usage, argv):
    """Runs the command argv[1] of |commands| (name -> (function, number of
    arguments)) on the rest of argv; prints |usage| and returns 2 on a wrong
    command line. Shared by the checkers that import this module."""
    if len(argv) < 2 or argv[1] not in commands or \
            len(argv) - 2 != commands[argv[1]][1]:
        print(usage, file=sys.stderr)
        return 2
    return commands[argv[1]][0](*argv[2:])


def main(argv):
    return dispatch({"rows": (cmd_rows, 1),
                     "same-losses": (cmd_same_losses, 2),
                     "close": (cmd_close, 3),
                     "fell": (cmd_fell, 3), "matches": (cmd_matches, 2)},
                    __doc__, argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
